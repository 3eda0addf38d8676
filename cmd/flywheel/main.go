// Command flywheel is the Flywheel Slack bot: `flywheel run` serves a
// workspace, `flywheel demo` plays a scripted week against an embedded fake
// Slack, `flywheel version` prints the build.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// errUsage marks a command-line mistake (exit status 2).
var errUsage = errors.New("usage")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, errUsage) {
			fmt.Fprintln(os.Stderr, "flywheel:", err)
			os.Exit(1)
		}
		os.Exit(2)
	}
}

const usage = `Flywheel: make AI wins visible, answer "can I use X?", find the natural champions.

Usage:
  flywheel run        serve your Slack workspace (needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN)
  flywheel demo       play a short scripted stretch against an embedded fake Slack, no account needed
  flywheel explain [--json] [TEXT]
                      show how the bot reads TEXT (or each line of standard input)
  flywheel restore --from FILE
                      replace FLYWHEEL_DB with a verified backup (stop the bot first)
  flywheel digest --dry-run [--json] [--admin] [--team NAME] [--at TIME] [--chart FILE.png]
                      print the weekly digest for the 7 days before TIME (default now) without posting
  flywheel export --kind wins|tips|questions [--format csv|json] [--since DATE]
                      write records for spreadsheets
  flywheel report --html FILE [--weeks N] [--team NAME] [--at TIME]
                      write the programme report (trends, stage drift, spread, champions) as one HTML file
  flywheel rollout [--json] [--at TIME]
                      print the rollout plan: teams and sites not enrolled yet by pull, who to
                      give access first, next month's batch, stalled teams
  flywheel outbox [--dead] [--json]
                      list the Slack calls the bot owes (or gave up on): kind, where, age, attempts, last error
  flywheel outbox retry ID|--all
                      requeue dead letters, with a fresh 24 hours (stop the bot first)
  flywheel version    print the version

Environment: SLACK_BOT_TOKEN, SLACK_APP_TOKEN, SLACK_API_URL, FLYWHEEL_CONFIG,
FLYWHEEL_DB (default flywheel.db), FLYWHEEL_HTTP_ADDR (default 127.0.0.1:8080).
digest, export, report, rollout and outbox work while the bot runs: they ask it through FLYWHEEL_DB.sock.
`

// run is main without the process: tests call it with their own args,
// environment and streams.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errUsage
	}
	switch args[0] {
	case "run":
		return runBot(ctx, args[1:], getenv, stderr)
	case "demo":
		return runDemo(ctx, args[1:], stdout, stderr)
	case "explain":
		return runExplain(ctx, args[1:], getenv, stdin, stdout, stderr)
	case "restore":
		return runRestore(ctx, args[1:], getenv, stdout, stderr)
	case "digest", "export", "report", "rollout":
		return runRead(ctx, args[0], args[1:], getenv, stdout, stderr)
	case "outbox":
		if len(args) > 1 && args[1] == "retry" {
			return runOutboxRetry(args[2:], getenv, stdout, stderr)
		}
		return runRead(ctx, args[0], args[1:], getenv, stdout, stderr)
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, versionString())
		return nil
	case "help", "--help", "-h":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprintf(stderr, "flywheel: unknown command %q\n\n%s", args[0], usage)
	return errUsage
}
