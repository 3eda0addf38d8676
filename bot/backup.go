package bot

import (
	"context"
	"time"

	"github.com/robfig/cron/v3"
	"github.com/sirupsen/logrus"

	"flywheel/config"
	"flywheel/digest"
)

// pruneSchedule is when retention.days is applied: daily, in the digest's
// time zone, and once at start so a bot that is down at midnight catches up.
const pruneSchedule = "@daily"

// runMaintenance runs the scheduled backups (backup.schedule) and the daily
// retention prune (retention.days) until ctx is done, then waits for a job
// in flight. The schedules are read at start; a config reload changes where
// and how many backups go (dir, keep) and the retention, not when.
func (b *Bot) runMaintenance(ctx context.Context) {
	cfg := b.Config()
	logger := digest.CronLogger{Log: b.log}
	// The default chain does not recover panics; a backup still running when
	// the next is due is skipped, not doubled.
	c := cron.New(cron.WithLocation(cfg.Location()),
		cron.WithChain(cron.Recover(logger), cron.SkipIfStillRunning(logger)))
	if cfg.Backup.Schedule != "" {
		if sched, err := config.ParseSchedule(cfg.Backup.Schedule); err != nil {
			// Validate rejects this at load; a log line beats a panic.
			b.log.WithError(err).Error("backup.schedule is invalid; backups are off")
		} else {
			c.Schedule(sched, cron.FuncJob(b.backup))
			b.log.WithFields(logrus.Fields{"schedule": cfg.Backup.Schedule, "dir": cfg.Backup.Dir, "keep": cfg.Backup.Keep}).Info("scheduled backups")
		}
	}
	if cfg.Retention.Days > 0 {
		sched, _ := config.ParseSchedule(pruneSchedule)
		job := cron.NewChain(cron.Recover(logger)).Then(cron.FuncJob(b.prune))
		c.Schedule(sched, job)
		job.Run()
	}
	c.Start()
	<-ctx.Done()
	<-c.Stop().Done()
}

// backup takes one hot backup; the bot keeps serving while it runs.
func (b *Bot) backup() {
	cfg := b.Config()
	if cfg.Backup.Dir == "" {
		return
	}
	start := time.Now() // a duration, not a record's time
	path, err := b.st.Backup(cfg.Backup.Dir, cfg.Backup.Keep)
	if err != nil {
		b.metrics.Errors.WithLabelValues("backup").Inc()
		b.log.WithError(err).WithField("dir", cfg.Backup.Dir).Error("backup failed; the next scheduled one will try again")
		return
	}
	b.log.WithFields(logrus.Fields{"path": path, "took": time.Since(start).Round(time.Millisecond)}).Info("backup written")
}

// prune deletes records older than retention.days.
func (b *Bot) prune() {
	days := b.Config().Retention.Days
	if days <= 0 {
		return
	}
	before := b.st.Now().AddDate(0, 0, -days)
	st, err := b.st.Prune(before)
	if err != nil {
		b.metrics.Errors.WithLabelValues("retention").Inc()
		b.log.WithError(err).Error("retention prune failed; will retry tomorrow")
		return
	}
	b.log.WithFields(logrus.Fields{"before": before.UTC().Format(time.RFC3339), "wins": st.Wins, "reactions": st.Reactions,
		"questions": st.Questions, "answers": st.Answers, "inspirations": st.Inspirations, "interactions": st.Interactions, "dead_letters": st.DeadLetters,
		"dedupe": st.Dedupe}).Info("retention: pruned old records")
}
