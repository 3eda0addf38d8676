package bot_test

import (
	"bytes"
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flywheel/bot"
	"flywheel/bot/slackfake"
	"flywheel/config"
	"flywheel/store"
)

// Tokens that must never show up in logs.
const (
	botToken = "xoxb-1111-2222-secretbottoken"
	appToken = "xapp-1-A111-3333-secretapptoken"
)

// People and channels of the test workspace.
const (
	ana, ben, chloe, dev = "UANA00001", "UBEN00002", "UCHLOE003", "UDEV00004"
	winsCh, salesCh      = "CWINS0001", "CSALES002"
	helpCh, champsCh     = "CAIHELP03", "CCHAMPS04"
	lena                 = "ULENA0005" // Legal: not yet in the rollout
	wait                 = 5 * time.Second
)

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// harness is a real bot connected over loopback to a fake Slack.
type harness struct {
	t      *testing.T
	fake   *slackfake.Server
	dbPath string
	st     *store.Store
	bot    *bot.Bot
	logs   *syncBuffer
	cancel context.CancelFunc
	done   chan error
	opts   bot.Options
	setup  setup
}

// setup is everything a test may change about the harness.
type setup struct {
	fakeOpts []slackfake.Option
	before   func(*slackfake.Server) // runs before the bot starts
	mutate   func(*config.Config)
	bot      bot.Options
	store    store.Options
	noWait   bool // don't wait for the bot to connect
}

func testConfig(fake *slackfake.Server) *config.Config {
	cfg := config.Default()
	cfg.WinsChannel = winsCh
	cfg.BotToken, cfg.AppToken, cfg.APIURL = botToken, appToken, fake.APIURL()
	cfg.HelpChannels = []string{helpCh}
	cfg.ChampionsChannel = champsCh
	cfg.Admins = []string{ana}
	// Slack's own pace (1 a second per channel) would make every test that
	// shares a few wins wait; the pacing tests set it themselves.
	cfg.Posting = config.Posting{PerSecond: 1000, Burst: 1000}
	cfg.Guidelines.Link = "https://wiki.example.com/ai"
	cfg.Tools = []config.Tool{
		{Name: "ChatGPT", Aliases: []string{"chatgpt", "gpt"}, Status: config.StatusApproved, HowTo: "Sign in at chat.example.com with SSO."},
		{Name: "Claude", Aliases: []string{"claude"}, Status: config.StatusApproved, HowTo: "Ask IT for a seat."},
		{Name: "Copilot", Aliases: []string{"copilot", "github copilot"}, Status: config.StatusApproved, HowTo: "Request a seat in #it-help."},
		{Name: "DeepSeek", Aliases: []string{"deepseek"}, Status: config.StatusNotApproved, Alternative: "Claude", HowTo: "Our data agreement doesn't cover it."},
		{Name: "Midjourney", Aliases: []string{"midjourney", "mj"}, Status: config.StatusRestricted, Restriction: "marketing drafts only, no customer logos", HowTo: "Use the shared Marketing account."},
	}
	cfg.Teams = []config.Team{
		{Name: "Sales", Members: []string{ana, chloe}, Enrolled: true},
		{Name: "Ops", Members: []string{ben, dev}, Enrolled: true},
		{Name: "Legal", Members: []string{lena}, Enrolled: false},
	}
	return cfg
}

// start runs a bot against a new fake Slack with a fresh database.
func start(t *testing.T) *harness { t.Helper(); return startWith(t, nil, bot.Options{}) }

// startWith is start with a changed config and bot options.
func startWith(t *testing.T, mutate func(*config.Config), opts bot.Options) *harness {
	t.Helper()
	return startSetup(t, setup{mutate: mutate, bot: opts})
}

// startSetup starts a harness as su says.
func startSetup(t *testing.T, su setup) *harness {
	t.Helper()
	mutate, opts := su.mutate, su.bot
	fake := slackfake.New(su.fakeOpts...)
	t.Cleanup(fake.Close)
	for id, name := range map[string]string{ana: "ana", ben: "ben", chloe: "chloe", dev: "dev", lena: "lena"} {
		fake.AddUser(id, name)
	}
	fake.AddChannel(winsCh, "wins")
	fake.AddChannel(salesCh, "sales")
	fake.AddChannel(helpCh, "ai-help")
	fake.AddChannel(champsCh, "ai-champions")
	h := &harness{t: t, fake: fake, dbPath: filepath.Join(t.TempDir(), "flywheel.db"), logs: &syncBuffer{}, opts: opts, setup: su}
	cfg := testConfig(fake)
	if mutate != nil {
		mutate(cfg)
	}
	if su.before != nil {
		su.before(fake)
	}
	h.startBot(cfg)
	t.Cleanup(h.stop)
	return h
}

func (h *harness) startBot(cfg *config.Config) {
	h.t.Helper()
	st, err := store.Open(h.dbPath, h.setup.store)
	require.NoError(h.t, err)
	log := logrus.New()
	log.SetOutput(h.logs)
	log.SetLevel(logrus.DebugLevel)
	log.SetFormatter(&logrus.JSONFormatter{})
	h.st = st
	opts := h.opts
	opts.Log = log

	h.bot = bot.New(cfg, st, opts)
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel, h.done = cancel, make(chan error, 1)
	go func() { h.done <- h.bot.Run(ctx) }()
	if !h.setup.noWait {
		require.NoError(h.t, h.fake.WaitConnections(cfg.Socket.Connections, wait), "bot should connect")
	}
}

// stop shuts the bot down as SIGTERM would, checks it exits cleanly, that
// the store is consistent, that the fake Slack refused nothing the bot sent
// for breaking Block Kit's limits and that no token reached the logs.
func (h *harness) stop() {
	if h.cancel == nil {
		return
	}
	h.cancel()
	h.cancel = nil
	select {
	case err := <-h.done:
		assert.NoError(h.t, err, "bot should stop cleanly")
	case <-time.After(10 * time.Second):
		h.t.Error("bot did not stop within 10s")
	}
	assert.NoError(h.t, h.st.Check())
	assert.NoError(h.t, h.st.Close())
	assert.Empty(h.t, h.fake.BlockKitRefusals(), "Slack would have refused these posts or views")
	logs := h.logs.String()
	assert.NotContains(h.t, logs, botToken)
	assert.NotContains(h.t, logs, appToken)
}

// restart stops the bot and starts a new one on the same database.
func (h *harness) restart() {
	h.t.Helper()
	cfg := h.bot.Config()
	h.stop()
	h.startBot(cfg)
}

// ack waits for an envelope's ack and checks Slack's 3-second deadline.
func (h *harness) ack(envelopeID string) slackfake.Ack {
	h.t.Helper()
	a, err := h.fake.WaitAck(envelopeID, wait)
	require.NoError(h.t, err, "envelope %s should be acked", envelopeID)
	assert.Less(h.t, a.Latency, 3*time.Second, "Slack drops envelopes not acked within 3s")
	return a
}

// winPosts waits for n bot posts in the wins channel.
func (h *harness) winPosts(n int) []slackfake.Message {
	h.t.Helper()
	msgs, err := h.fake.WaitBotMessages(winsCh, n, wait)
	require.NoError(h.t, err, "want %d wins-channel posts", n)
	return msgs
}

// wins returns every stored win.
func (h *harness) wins() []store.Win {
	h.t.Helper()
	ws, err := h.st.WinsBetween(time.Unix(0, 0), time.Now().Add(time.Hour))
	require.NoError(h.t, err)
	return ws
}

// eventually polls cond with a bounded deadline (for store state that
// follows an asynchronous post).
func eventually(t *testing.T, cond func() bool, msg string) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting: %s", msg)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// assertPingsOnly checks that a message notifies nobody but the people
// it is about (a win post names its author and nominator).
func assertPingsOnly(t *testing.T, fake *slackfake.Server, m slackfake.Message, allowed ...string) {
	t.Helper()
	for _, p := range fake.Pings(m) {
		assert.Contains(t, allowed, p, "the bot's message %q pings %s", m.Text, p)
	}
}
