package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"

	"flywheel/bot/textparse"
	"flywheel/config"
)

// explained is one line of `flywheel explain --json`; the keys are a
// contract admins' scripts rely on.
type explained struct {
	Text         string   `json:"text"`
	IsQuestion   bool     `json:"is_question"`
	Stage        string   `json:"stage"`
	Tools        []string `json:"tools"`
	MinutesSaved int      `json:"minutes_saved"`
}

// runExplain is `flywheel explain [--json] [TEXT]`: how the bot reads a
// message, so admins can trust and tune it. It needs no Slack tokens and
// does not open the database; the registry comes from FLYWHEEL_CONFIG.
func runExplain(_ context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "one JSON object per line")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	cfg := config.Default()
	if path := getenv("FLYWHEEL_CONFIG"); path != "" {
		var err error
		if cfg, err = config.LoadFile(path); err != nil {
			return err
		}
	}
	tools := make([]textparse.Tool, 0, len(cfg.Tools))
	for _, t := range cfg.Tools {
		tools = append(tools, textparse.Tool{Name: t.Name, Aliases: t.Aliases})
	}
	m := textparse.NewToolMatcher(tools)
	explain := func(text string) error {
		r := textparse.Read(text, m)
		e := explained{Text: text, IsQuestion: r.IsQuestion, Stage: string(r.Stage), Tools: r.Tools, MinutesSaved: r.MinutesSaved}
		if e.Tools == nil {
			e.Tools = []string{}
		}
		if *asJSON {
			raw, err := json.Marshal(e)
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(stdout, "%s\n", raw)
			return err
		}
		kind := "not a question"
		if e.IsQuestion {
			kind = "question, stage " + e.Stage
		}
		tl := "no registry tools"
		if len(e.Tools) > 0 {
			tl = "tools " + strings.Join(e.Tools, ", ")
		}
		_, err := fmt.Fprintf(stdout, "%s | %s | %d minutes saved | %q\n", kind, tl, e.MinutesSaved, e.Text)
		return err
	}
	if fs.NArg() > 0 {
		return explain(strings.Join(fs.Args(), " "))
	}
	sc := bufio.NewScanner(stdin)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		if err := explain(sc.Text()); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("explain: read standard input: %w", err)
	}
	return nil
}
