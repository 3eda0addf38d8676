package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"flywheel/bot"
	"flywheel/bot/slackfake"
	"flywheel/bot/slacktext"
	"flywheel/config"
	"flywheel/digest"
	"flywheel/store"
)

// The demo workspace.
const (
	demoAna, demoBen, demoChloe, demoDev = "U0DEMOANA", "U0DEMOBEN", "U0DEMOCHL", "U0DEMODEV"
	demoWins, demoSales, demoOps         = "C0DEMOWINS", "C0DEMOSALES", "C0DEMOOPS"
	demoWait                             = 10 * time.Second
)

// runDemo is `flywheel demo`: the real bot against the embedded fake Slack,
// a scripted morning of activity, and a transcript of what people would see.
func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := fs.String("db", "", "keep the demo database at this path (default: a temporary file)")
	verbose := fs.Bool("verbose", false, "show the bot's logs")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if *dbPath == "" {
		dir, err := os.MkdirTemp("", "flywheel-demo-")
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		defer os.RemoveAll(dir)
		*dbPath = filepath.Join(dir, "demo.db")
	}

	fake := slackfake.New()
	defer fake.Close()
	people := map[string]string{demoAna: "ana", demoBen: "ben", demoChloe: "chloe", demoDev: "dev", demoLena: "lena"}
	for id, name := range people {
		fake.AddUser(id, name)
	}
	fake.AddChannel(demoWins, "wins")
	fake.AddChannel(demoSales, "sales")
	fake.AddChannel(demoOps, "ops")
	fake.AddChannel(demoHelp, "ai-help")
	fake.AddChannel(demoChamps, "ai-champions")
	fake.AddChannel(demoDigest, "ai-digest")
	fake.AddChannel(demoTips, "ai-tips")

	cfg := demoConfig(fake.APIURL(), *dbPath)
	st, err := store.Open(cfg.DBPath, store.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	log := logrus.New()
	log.SetOutput(io.Discard)
	if *verbose {
		log.SetOutput(stderr)
		log.SetLevel(logrus.DebugLevel)
	}
	b := bot.New(cfg, st, bot.Options{Log: log})

	tr := &transcript{w: stdout, fake: fake}
	fake.OnActivity(tr.activity)

	botCtx, stopBot := context.WithCancel(ctx)
	defer stopBot()
	botDone := make(chan error, 1)
	go func() { botDone <- b.Run(botCtx) }()

	tr.say("Flywheel demo: the real bot, an embedded fake Slack workspace, a short scripted morning.\n")
	if err := fake.WaitConnections(cfg.Socket.Connections, demoWait); err != nil {
		return fmt.Errorf("demo: bot did not connect to the fake Slack: %w", err)
	}
	tr.say("Flywheel connected over Socket Mode (%d connections).\n", fake.OpenConnections())

	if err := playScript(fake, tr); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if err := playSharing(fake, tr); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if err := playQuestions(fake, tr); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if err := playRollout(fake, tr); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if err := waitOutboxEmpty(ctx, st); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	// The weekly digest, fired now as digest.schedule would: the bot
	// uploads its chart and posts it to the digest channel. Its posts are
	// not printed as they go out: the transcript shows them in full below,
	// after what the store holds, with the chart's path.
	digestEnd := digest.WeekEnd(cfg, time.Now())
	tr.say("\nThe weekly digest fires (%s): the public digest to #%s, Sales' slice to #%s, the lead digest by DM to %s (shown in full below).\n",
		cfg.Digest.Schedule, fake.ChannelName(demoDigest), fake.ChannelName(demoSales), tr.name(demoAna))
	tr.mute(true)
	if err := b.FireDigest(ctx, digestEnd); err != nil {
		return fmt.Errorf("demo: digest: %w", err)
	}
	if err := waitOutboxEmpty(ctx, st); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	tr.mute(false) // every post was printed (or not) before its call returned, so before the outbox emptied
	stopBot()
	if err := <-botDone; err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("demo: bot: %w", err)
	}
	if err := tr.summary(st, fake); err != nil {
		return err
	}
	return tr.digest(cfg, digestEnd)
}

func demoConfig(apiURL, dbPath string) *config.Config {
	cfg := config.Default()
	cfg.WinsChannel = demoWins
	cfg.BotToken, cfg.AppToken, cfg.APIURL, cfg.DBPath = "xoxb-demo", "xapp-demo", apiURL, dbPath
	cfg.Admins = []string{demoAna}
	cfg.Teams = []config.Team{
		{Name: "Sales", Site: "Berlin office", Channel: demoSales, Members: []string{demoAna, demoChloe}, Enrolled: true},
		{Name: "Ops", Site: "Berlin office", Members: []string{demoBen, demoDev}, Enrolled: true},
		{Name: "Legal", Site: "St. Louis plant", Members: []string{demoLena}, Enrolled: false},
	}
	cfg.HelpChannels, cfg.ChampionsChannel = []string{demoHelp}, demoChamps
	cfg.Digest.Channels = []string{demoDigest}
	cfg.TipsChannel = demoTips
	// The demo plays a morning in seconds: its posts keep a brisker pace
	// than Slack's one a second per channel.
	cfg.Posting = config.Posting{PerSecond: 20, Burst: 5}
	cfg.Tools = []config.Tool{
		{Name: "ChatGPT", Aliases: []string{"chatgpt", "gpt"}, Status: config.StatusApproved, HowTo: "Sign in at chat.example.com with your company Google account."},
		{Name: "Claude", Aliases: []string{"claude"}, Status: config.StatusApproved, HowTo: "Use claude.example.com with SSO; the team plan keeps data out of training."},
		{Name: "Copilot", Aliases: []string{"copilot", "github copilot"}, Status: config.StatusApproved, HowTo: "Request a seat in #it-help."},
		{Name: "DeepSeek", Aliases: []string{"deepseek"}, Status: config.StatusNotApproved, Alternative: "Claude", HowTo: "Our data agreement doesn't cover it."},
	}
	cfg.Tools[0].UseFor = "drafting and summarising internal documents"
	cfg.Guidelines.Text = "Never paste customer personal data or contract terms into an AI tool."
	cfg.Guidelines.Link = "https://wiki.example.com/ai-guidelines"
	return cfg
}

// playScript drives the morning, waiting for each step's outcome so the
// transcript reads in order.
func playScript(fake *slackfake.Server, tr *transcript) error {
	slash := func(user, channel, text string) error {
		tr.user(user, channel, "/win "+text)
		if _, err := fake.WaitAck(fake.SendSlashCommand(user, channel, "/win", text), demoWait); err != nil {
			return err
		}
		return nil
	}
	posts := 0
	nextPost := func() (slackfake.Message, error) {
		posts++
		msgs, err := fake.WaitBotMessages(demoWins, posts, demoWait)
		if err != nil {
			return slackfake.Message{}, err
		}
		return msgs[posts-1], nil
	}
	react := func(user, emoji string, m slackfake.Message, author string) error {
		tr.say("\n%s reacts :%s: to %s's message in #%s\n", tr.name(user), emoji, tr.name(author), fake.ChannelName(m.Channel))
		_, err := fake.WaitAck(fake.SendReaction(true, user, emoji, m.Channel, m.TS, author), demoWait)
		return err
	}

	if err := slash(demoAna, demoSales, "Used ChatGPT to draft 40 cold emails in 30 minutes instead of 3 hours"); err != nil {
		return err
	}
	anaPost, err := nextPost()
	if err != nil {
		return err
	}
	if err := slash(demoBen, demoOps, "Claude summarised 12 customer calls for the QBR, saved 2h"); err != nil {
		return err
	}
	if _, err := nextPost(); err != nil {
		return err
	}
	for _, r := range []struct{ user, emoji string }{{demoChloe, "fire"}, {demoDev, "clap"}, {demoChloe, "raised_hands"}, {demoAna, "tada"}} {
		if err := react(r.user, r.emoji, anaPost, slackfake.BotUserID); err != nil {
			return err
		}
	}
	tr.say("  (Chloe's two reactions count once; Ana cheering her own win doesn't count.)\n")

	tr.say("\n%s posts in #ops\n", tr.name(demoDev))
	text := "Built a Copilot script that reconciles the R&D supplier invoices -> went from 4 hours to 20 min"
	ts, _ := fake.PostAsUser(demoOps, demoDev, text, "")
	tr.say("  %s: %s\n", tr.name(demoDev), text)
	if err := react(demoChloe, "trophy", slackfake.Message{Channel: demoOps, TS: ts}, demoDev); err != nil {
		return err
	}
	if _, err := nextPost(); err != nil {
		return err
	}
	if _, err := fake.WaitBotMessages(fake.DMChannel(demoDev), 1, demoWait); err != nil {
		return fmt.Errorf("nomination note: %w", err)
	}

	tr.user(demoBen, demoOps, "/win")
	if _, err := fake.WaitAck(fake.SendSlashCommand(demoBen, demoOps, "/win", ""), demoWait); err != nil {
		return err
	}
	if err := waitFor(func() bool { return len(fake.OpenedViews()) > 0 }); err != nil {
		return fmt.Errorf("modal did not open: %w", err)
	}
	tr.say("  %s fills in the form: \"Turned the ops runbook into a checklist\", tool \"claude\", saved \"45 min\"\n", tr.name(demoBen))
	if _, err := fake.WaitAck(fake.SendViewSubmission(demoBen, "win_modal", "{}", map[string]map[string]string{
		"what": {"what": "Turned the ops runbook into a checklist"}, "tool": {"tool": "claude"}, "saved": {"saved": "45 min"}}), demoWait); err != nil {
		return err
	}
	if _, err = nextPost(); err != nil {
		return err
	}
	_, err = fake.WaitBotMessages(fake.DMChannel(demoBen), 1, demoWait)
	return err
}

// waitFor polls cond for up to demoWait.
func waitFor(cond func() bool) error {
	deadline := time.Now().Add(demoWait)
	for !cond() {
		if time.Now().After(deadline) {
			return errors.New("timed out")
		}
		time.Sleep(20 * time.Millisecond)
	}
	return nil
}

func waitOutboxEmpty(ctx context.Context, st *store.Store) error {
	return waitFor(func() bool {
		n, err := st.OutboxLen()
		return ctx.Err() != nil || (err == nil && n == 0)
	})
}

// transcript prints what people in the workspace would see.
type transcript struct {
	mu   sync.Mutex
	w    io.Writer
	fake *slackfake.Server
	// muted: activity is not printed (the digest, shown in full later).
	muted bool
	// shown counts the activity printed, by kind and user, so a step waits
	// until its own outcome is printed before the next step begins.
	shown map[string]int
}

// mute stops (or resumes) printing activity as it happens.
func (t *transcript) mute(on bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.muted = on
}

// seen is how many activities of kind for user were printed so far.
func (t *transcript) seen(kind, user string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.shown[kind+" "+user]
}

// waitShown waits until more than before activities of kind for user were
// printed: a step's outcome appears under that step, not the next one.
func (t *transcript) waitShown(kind, user string, before int) error {
	return waitFor(func() bool { return t.seen(kind, user) > before })
}

func (t *transcript) say(format string, a ...any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	fmt.Fprintf(t.w, format, a...)
}

func (t *transcript) name(id string) string {
	if n := t.fake.UserName(id); n != "" {
		return "@" + n
	}
	return id
}

func (t *transcript) user(user, channel, text string) {
	t.say("\n%s in #%s types: %s\n", t.name(user), t.fake.ChannelName(channel), text)
}

func (t *transcript) activity(a slackfake.Activity) {
	t.mu.Lock()
	muted := t.muted
	if !muted {
		if t.shown == nil {
			t.shown = map[string]int{}
		}
		defer func() { t.mu.Lock(); t.shown[a.Kind+" "+a.User]++; t.mu.Unlock() }()
	}
	t.mu.Unlock()
	if muted {
		return
	}
	switch a.Kind {
	case "post":
		where := "#" + t.fake.ChannelName(a.Channel)
		if strings.HasPrefix(a.Channel, "D") || strings.HasPrefix(a.Channel, "U") || where == "#" {
			where = "DM to " + t.name(a.User)
		}
		t.say("  [%s] Flywheel:\n%s", where, indent(t.readable(blockText(a.Blocks, a.Text)), "    "))
	case "ephemeral":
		t.say("  [only %s sees] Flywheel:\n%s", t.name(a.User), indent(t.readable(a.Text), "    "))
	case "ack":
		var p struct {
			Text string `json:"text"`
		}
		if json.Unmarshal(a.Payload, &p) == nil && p.Text != "" {
			t.say("  [only %s sees] Flywheel:\n%s", t.name(a.User), indent(t.readable(p.Text), "    "))
		}
	case "view":
		t.say("  [a form opens for %s] Share a win: What happened? / Tool used / Time saved\n", t.name(a.User))
	}
}

var (
	mentionRE = regexp.MustCompile(`<@([A-Z0-9]+)>`)
	channelRE = regexp.MustCompile(`<#([A-Z0-9]+)(\|[^>]*)?>`)
	boldRE    = regexp.MustCompile(`\*([^*\n]+)\*`)
	quoteRE   = regexp.MustCompile(`(?m)^>`)
	linkRE    = regexp.MustCompile(`<(https?://[^|>]+)\|([^>]+)>`)
	emoji     = strings.NewReplacer(":trophy:", "🏆", ":tada:", "🎉", ":stopwatch:", "⏱", ":hammer_and_wrench:", "🛠", ":warning:", "⚠️",
		":white_check_mark:", "✅", ":no_entry:", "⛔", ":raising_hand:", "🙋", ":rocket:", "🚀", ":bar_chart:", "📊", ":star2:", "🌟",
		":seedling:", "🌱", ":compass:", "🧭", ":link:", "🔗", ":world_map:", "🗺", ":bulb:", "💡", ":lock:", "🔒", ":arrows_counterclockwise:", "🔄", ":calendar:", "📅", ":hourglass:", "⏳",
		":books:", "📚", ":wastebasket:", "🗑", ":pencil2:", "✏️", ":hourglass_flowing_sand:", "⏳", ":busts_in_silhouette:", "👥",
		":chart_with_upwards_trend:", "📈", ":thinking_face:", "🤔", ":information_source:", "ℹ️",
		":bookmark:", "🔖", ":mortar_board:", "🎓", ":bust_in_silhouette:", "👤")
)

// readable turns Slack mrkdwn into what a reader sees: names, not IDs.
func (t *transcript) readable(s string) string {
	s = mentionRE.ReplaceAllStringFunc(s, func(m string) string { return t.name(mentionRE.FindStringSubmatch(m)[1]) })
	s = channelRE.ReplaceAllStringFunc(s, func(m string) string { return "#" + t.fake.ChannelName(channelRE.FindStringSubmatch(m)[1]) })
	s = linkRE.ReplaceAllString(s, "[$2]")
	s = boldRE.ReplaceAllString(s, "$1")
	s = quoteRE.ReplaceAllString(s, "│ ")
	s = slacktext.Decode(s)
	return emoji.Replace(s)
}

// blockText is the visible text of section and context blocks, and the
// buttons of actions blocks as [Label].
func blockText(raw json.RawMessage, fallback string) string {
	var blocks []struct {
		Type string `json:"type"`
		Text *struct {
			Text string `json:"text"`
		} `json:"text"`
		Elements []struct {
			Type string          `json:"type"`
			Text json.RawMessage `json:"text"`
		} `json:"elements"`
	}
	if json.Unmarshal(raw, &blocks) != nil || len(blocks) == 0 {
		return fallback
	}
	var lines []string
	for _, b := range blocks {
		if b.Text != nil {
			lines = append(lines, b.Text.Text)
		}
		var buttons []string
		for _, e := range b.Elements {
			var text string
			if json.Unmarshal(e.Text, &text) == nil { // a context element: text is a string
				lines = append(lines, text)
				continue
			}
			var label struct {
				Text string `json:"text"`
			}
			if e.Type == "button" && json.Unmarshal(e.Text, &label) == nil {
				buttons = append(buttons, "["+label.Text+"]")
			}
		}
		if len(buttons) > 0 {
			lines = append(lines, strings.Join(buttons, "  "))
		}
	}
	return strings.Join(lines, "\n")
}

func indent(s, pad string) string {
	return pad + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n"+pad) + "\n"
}

// summary prints what the store holds: the numbers the programme lead sees.
func (t *transcript) summary(st *store.Store, fake *slackfake.Server) error {
	var total int
	t.say("\nWhat Flywheel stored\n")
	err := st.View(func(tx *store.Tx) error {
		wins, err := tx.WinsBetween(time.Unix(0, 0), time.Now().Add(time.Hour))
		if err != nil {
			return err
		}
		for _, w := range wins {
			facts, err := digest.Facts(tx, w) // peers other than the author, as every number counts them
			if err != nil {
				return err
			}
			how := "shared with /win"
			switch w.Source {
			case store.SourceModal:
				how = "shared with the /win form"
			case store.SourceNomination:
				how = "nominated by " + t.name(w.Nominator)
			}
			who := t.name(w.Author)
			switch {
			case w.Anonymous():
				who, how = digest.AnonymousAuthor, how+", without a name"
			case w.TeamOnly():
				how += ", with " + w.Team + " only"
			}
			t.say("  win #%d  %-9s %-6s saved %-7s tools %-8s cheered by: %d  (%s)\n",
				w.ID, who, w.Team, digest.FormatMinutes(w.MinutesSaved), strings.Join(w.Tools, ","), len(facts.Amplifiers), how)
			total += w.MinutesSaved
		}
		t.say("  %d wins, %s saved in total\n", len(wins), digest.FormatMinutes(total))
		return t.tipsSummary(tx)
	})
	if err != nil {
		return fmt.Errorf("demo summary: %w", err)
	}
	var slowest time.Duration
	acks := fake.Acks()
	for _, a := range acks {
		slowest = max(slowest, a.Latency)
	}
	t.say("  %d envelopes acked, slowest ack %s (Slack's limit: 3s); outbox empty.\n", len(acks), slowest.Round(time.Millisecond))
	return nil
}
