package bot

import (
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"flywheel/store"
)

// Metrics are the bot's Prometheus metrics. They live in their own
// registry so tests and the demo can run several bots in one process.
// Counters move only for what was committed (see store.Tx.OnCommit).
type Metrics struct {
	Registry       *prometheus.Registry
	Envelopes      *prometheus.CounterVec
	Acks           prometheus.Counter
	Duplicates     prometheus.Counter
	Wins           *prometheus.CounterVec
	Amplifications prometheus.Counter
	Posts          *prometheus.CounterVec
	Errors         *prometheus.CounterVec
	AckLatency     prometheus.Histogram
	Connections    prometheus.Gauge

	// outbox reads the outbox's numbers at scrape time (set by New).
	outbox atomic.Pointer[outboxSource]
}

// outboxSource is where the outbox gauges come from.
type outboxSource struct {
	stats func() (store.OutboxStats, error)
	now   func() time.Time
}

// NewMetrics registers the bot's metrics in a fresh registry, with
// Prometheus' standard Go and process collectors (go_goroutines,
// go_memstats_*, process_resident_memory_bytes, process_open_fds...), which
// tell a leak from a growing database.
func NewMetrics() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		Envelopes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "flywheel_envelopes_total", Help: "Socket Mode envelopes received, by type.",
		}, []string{"type"}),
		Acks: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "flywheel_acks_total", Help: "Envelopes acknowledged to Slack (only after their records were committed).",
		}),
		Duplicates: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "flywheel_duplicates_total", Help: "Redelivered envelopes recognised and not processed again.",
		}),
		Wins: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "flywheel_wins_total", Help: "Wins recorded (committed), by source (command, modal, nomination).",
		}, []string{"source"}),
		Amplifications: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "flywheel_amplifications_total", Help: "Peer reactions added to win posts (committed).",
		}),
		Posts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "flywheel_outbox_sent_total", Help: "Outbox entries delivered to Slack, by kind.",
		}, []string{"kind"}),
		Errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "flywheel_errors_total", Help: "Errors, by kind.",
		}, []string{"kind"}),
		AckLatency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "flywheel_ack_latency_seconds",
			Help:    "Time from receiving an envelope to acknowledging it (Slack's limit is 3 s).",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2, 3, 5},
		}),
		Connections: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "flywheel_socket_connections", Help: "Socket Mode connections currently open.",
		}),
	}
	// Export every error kind from the start, at zero, so dashboards and
	// alerts see the series before the first error happens.
	for _, kind := range []string{"connection", "auth", "socket", "bad_envelope", "commit", "ack", "ratelimited", "slack_call",
		"gave_up", "expired", "panic", "outbox", "due", "digest"} {
		m.Errors.WithLabelValues(kind)
	}
	m.Registry.MustRegister(m.Envelopes, m.Acks, m.Duplicates, m.Wins, m.Amplifications, m.Posts,
		m.Errors, m.AckLatency, m.Connections, outboxCollector{m},
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// watchOutbox makes the outbox gauges read st on every scrape, so they are
// true however long the sender sleeps.
func (m *Metrics) watchOutbox(st *store.Store, now func() time.Time) {
	m.outbox.Store(&outboxSource{stats: st.OutboxStats, now: now})
}

var (
	outboxPendingDesc = prometheus.NewDesc("flywheel_outbox_pending",
		"Slack calls the bot owes (posts, DMs, modals...) waiting in the outbox.", nil, nil)
	outboxDeadDesc = prometheus.NewDesc("flywheel_outbox_dead",
		"Outbox entries given up on (permanent error, or not delivered within 24 hours); see `flywheel outbox --dead`.", nil, nil)
	outboxAgeDesc = prometheus.NewDesc("flywheel_outbox_oldest_pending_age_seconds",
		"Age of the oldest pending outbox entry (0 when none): the figure to alert on during a Slack outage.", nil, nil)
)

// outboxCollector reports the outbox gauges from one store snapshot.
type outboxCollector struct{ m *Metrics }

func (c outboxCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- outboxPendingDesc
	ch <- outboxDeadDesc
	ch <- outboxAgeDesc
}

func (c outboxCollector) Collect(ch chan<- prometheus.Metric) {
	var st store.OutboxStats
	age := 0.0
	if src := c.m.outbox.Load(); src != nil {
		s, err := src.stats()
		if err != nil {
			c.m.Errors.WithLabelValues("outbox").Inc()
		}
		st = s
		if !s.OldestPending.IsZero() {
			age = max(0, src.now().Sub(s.OldestPending).Seconds())
		}
	}
	ch <- prometheus.MustNewConstMetric(outboxPendingDesc, prometheus.GaugeValue, float64(st.Pending))
	ch <- prometheus.MustNewConstMetric(outboxDeadDesc, prometheus.GaugeValue, float64(st.Dead))
	ch <- prometheus.MustNewConstMetric(outboxAgeDesc, prometheus.GaugeValue, age)
}
