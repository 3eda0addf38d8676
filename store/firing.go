package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// FiringKey names one firing of the digest schedule: its wall-clock time
// in the schedule's zone (at's location), and the zone. At the autumn
// daylight-saving change 01:30 happens twice in London, at 01:30 BST and
// at 01:30 GMT; keyed by the instant those were two firings and the week
// was posted twice. Keyed by the wall clock they are one.
func FiringKey(at time.Time) string {
	return at.Format("2006-01-02T15:04:05") + " " + at.Location().String()
}

// legacyFiringKey is how keys were written before: the UTC instant.
const legacyFiringKey = "2006-01-02T15:04:05Z"

func firingKey(key, channel string) []byte { return []byte(key + "\x00" + channel) }

// FiringPosted reports whether the digest for the firing at at was already
// queued for channel. A restart, a retry or a crash between channels then
// never posts twice and never skips a channel.
func (t *Tx) FiringPosted(at time.Time, channel string) bool {
	return t.tx.Bucket(bucketFirings).Get(firingKey(FiringKey(at), channel)) != nil
}

// MarkFiring records that the firing at at was queued for channel: when
// (the transaction's time) and for which week end (at). Call it in the
// same transaction as the outbox entry for the post.
func (t *Tx) MarkFiring(at time.Time, channel string) error {
	v := append(u64(uint64(t.now.UnixNano())), u64(uint64(at.UnixNano()))...)
	if err := t.tx.Bucket(bucketFirings).Put(firingKey(FiringKey(at), channel), v); err != nil {
		return fmt.Errorf("mark digest firing: %w", err)
	}
	return nil
}

// LastFiring is the latest week end a digest was queued for channel (ok is
// false if none was). Whatever the schedule and zone were then: a firing
// of a changed schedule checks it so the same week is not posted twice.
func (t *Tx) LastFiring(channel string) (last time.Time, ok bool) {
	suffix := []byte("\x00" + channel)
	_ = t.tx.Bucket(bucketFirings).ForEach(func(k, v []byte) error {
		if !bytes.HasSuffix(k, suffix) {
			return nil
		}
		var at time.Time
		if len(v) == 16 {
			at = time.Unix(0, int64(readU64(v[8:])))
		} else if p, err := time.Parse(legacyFiringKey, string(k[:len(k)-len(suffix)])); err == nil {
			at = p
		} else {
			return nil
		}
		if !ok || at.After(last) {
			last, ok = at.UTC(), true
		}
		return nil
	})
	return last, ok
}

// Posted weeks: the numbers of each digest when it was queued, kept for
// good. They hold no names and no words, so retention and forget leave
// them; trends read them, and a check can compare a week recomputed from
// the records with what was posted.
var bucketWeeks = []byte("posted_weeks") // u64(end) ‖ team -> JSON numbers

func init() { allBuckets = append(allBuckets, bucketWeeks) }

func weekKey(end time.Time, team string) []byte { return append(timePrefix(end), team...) }

// RecordWeek keeps numbers as what the digest of the week ending at end
// said for team ("" for the company); the first record of a week stays.
func (t *Tx) RecordWeek(end time.Time, team string, numbers any) error {
	b := t.tx.Bucket(bucketWeeks)
	if b.Get(weekKey(end, team)) != nil {
		return nil
	}
	raw, err := json.Marshal(numbers)
	if err != nil {
		return fmt.Errorf("encode posted week: %w", err)
	}
	if err := b.Put(weekKey(end, team), raw); err != nil {
		return fmt.Errorf("save posted week: %w", err)
	}
	return nil
}

// PostedWeek decodes into numbers what the digest of the week ending at
// end said for team; ok is false if none was posted.
func (t *Tx) PostedWeek(end time.Time, team string, numbers any) (ok bool, err error) {
	raw := t.tx.Bucket(bucketWeeks).Get(weekKey(end, team))
	if raw == nil {
		return false, nil
	}
	if err := json.Unmarshal(raw, numbers); err != nil {
		return false, fmt.Errorf("decode posted week: %w", err)
	}
	return true, nil
}

// PostedWeekEnds lists the week ends with a posted digest for team, oldest
// first.
func (t *Tx) PostedWeekEnds(team string) []time.Time {
	var out []time.Time
	_ = t.tx.Bucket(bucketWeeks).ForEach(func(k, _ []byte) error {
		if len(k) >= 8 && string(k[8:]) == team {
			out = append(out, time.Unix(0, int64(readU64(k[:8]))).UTC())
		}
		return nil
	})
	return out
}

// Forgotten people's teams: the team a person was in when forgotten,
// stored under their placeholder, so a past week's cross-team counts keep
// knowing which team their cheers and answers came from.
var bucketForgottenTeams = []byte("forgotten_teams") // placeholder -> team

func init() { allBuckets = append(allBuckets, bucketForgottenTeams) }

// ForgottenTeams maps each forgotten person's placeholder to their team.
func (t *Tx) ForgottenTeams() map[string]string {
	out := map[string]string{}
	if b := t.tx.Bucket(bucketForgottenTeams); b != nil {
		_ = b.ForEach(func(k, v []byte) error { out[string(k)] = string(v); return nil })
	}
	return out
}

func (t *Tx) noteForgottenTeam(placeholder, team string) error {
	if team == "" {
		return nil
	}
	if err := t.tx.Bucket(bucketForgottenTeams).Put([]byte(placeholder), []byte(team)); err != nil {
		return fmt.Errorf("forget: %w", err)
	}
	return nil
}
