package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/sirupsen/logrus"
	"golang.org/x/sync/errgroup"

	"flywheel/bot"
	"flywheel/config"
	"flywheel/store"
)

// runBot is `flywheel run`: config and tokens from the environment, the
// store, the bot, and the health/metrics listener, until SIGINT/SIGTERM.
func runBot(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	if len(args) > 0 {
		return fmt.Errorf("run takes no arguments (configure it with environment variables; see `flywheel help`): %w", errUsage)
	}
	cfg, err := config.FromEnv(getenv)
	if err != nil {
		return err
	}
	if err := cfg.ValidateForRun(); err != nil {
		return err
	}
	log := newLogger(stderr)
	st, err := store.Open(cfg.DBPath, store.Options{})
	if err != nil {
		return err
	}
	defer st.Close()

	// Reload re-reads tools, teams and channels; tokens and the DB path stay.
	reload := func() (*config.Config, error) {
		next, err := config.FromEnv(getenv)
		if err != nil {
			return nil, err
		}
		if err := next.ValidateForRun(); err != nil {
			return nil, err
		}
		return next, nil
	}
	b := bot.New(cfg, st, bot.Options{Log: log, Reload: reload})
	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("FLYWHEEL_HTTP_ADDR %s: %w", cfg.HTTPAddr, err)
	}
	srv := &http.Server{Handler: healthHandler(b), ReadHeaderTimeout: 5 * time.Second}
	log.WithFields(logrus.Fields{"http": ln.Addr().String(), "db": cfg.DBPath, "wins_channel": cfg.WinsChannel}).Info("flywheel starting")

	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return b.Run(gctx) })
	// Read commands (digest --dry-run, export, report) run here while the
	// bot holds the database. Without the socket the bot still serves
	// Slack; those commands then say to stop it first.
	if sock, err := listenReads(socketPath(cfg.DBPath)); err != nil {
		log.WithError(err).Warn("read commands will need the bot stopped")
	} else {
		rs := &readServer{ln: sock, db: st, cfg: b.Config, log: log, now: time.Now}
		g.Go(func() error {
			defer os.Remove(socketPath(cfg.DBPath))
			return rs.Serve(gctx)
		})
	}
	g.Go(func() error {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("http listener: %w", err)
		}
		return nil
	})
	g.Go(func() error { reloadOnHangup(gctx, b, reload, log); return nil })
	g.Go(func() error {
		<-gctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		return srv.Shutdown(sctx)
	})
	err = g.Wait()
	log.Info("flywheel stopped")
	return err
}

// healthHandler serves /healthz (process up), /readyz (connected to Slack)
// and /metrics (Prometheus).
func healthHandler(b *bot.Bot) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) {
		if !b.Ready() {
			http.Error(w, "not connected to Slack", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ready")
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(b.Metrics().Registry, promhttp.HandlerOpts{}))
	return mux
}

// newLogger logs text on a terminal and JSON otherwise (for log shippers).
func newLogger(w io.Writer) *logrus.Logger {
	log := logrus.New()
	log.SetOutput(w)
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			log.SetFormatter(&logrus.TextFormatter{FullTimestamp: true})
			return log
		}
	}
	log.SetFormatter(&logrus.JSONFormatter{})
	return log
}

// reloadOnHangup swaps in a re-read config on SIGHUP, the usual way to tell
// a daemon its config changed. A bad config is logged and the old one kept.
func reloadOnHangup(ctx context.Context, b *bot.Bot, reload func() (*config.Config, error), log *logrus.Logger) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			cfg, err := reload()
			if err != nil {
				log.WithError(err).Error("SIGHUP: the new configuration is invalid; keeping the old one")
				continue
			}
			b.SetConfig(cfg)
			log.WithFields(logrus.Fields{"tools": len(cfg.Tools), "teams": len(cfg.Teams)}).Info("configuration reloaded")
		}
	}
}
