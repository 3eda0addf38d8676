package bot

import (
	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the bot's Prometheus counters. They live in their own
// registry so tests and the demo can run several bots in one process.
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
	OutboxPending  prometheus.Gauge
}

// NewMetrics registers the bot's metrics in a fresh registry.
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
			Name: "flywheel_wins_total", Help: "Wins recorded, by source (command, modal, nomination).",
		}, []string{"source"}),
		Amplifications: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "flywheel_amplifications_total", Help: "Peer reactions added to win posts.",
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
		OutboxPending: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "flywheel_outbox_pending", Help: "Posts waiting in the outbox.",
		}),
	}
	// Export every error kind from the start, at zero, so dashboards and
	// alerts see the series before the first error happens.
	for _, kind := range []string{"connection", "auth", "socket", "bad_envelope", "commit", "ack", "ratelimited", "slack_call", "gave_up", "outbox", "due", "digest"} {
		m.Errors.WithLabelValues(kind)
	}
	m.Registry.MustRegister(m.Envelopes, m.Acks, m.Duplicates, m.Wins, m.Amplifications, m.Posts,
		m.Errors, m.AckLatency, m.Connections, m.OutboxPending)
	return m
}
