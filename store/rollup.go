package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Rollups: the weekly figures of weeks that have closed, computed once by
// the digest package and kept so that trends over many weeks cost about
// what one week costs. The store keeps them as opaque values under names
// the digest chooses (the team and the rules' settings); it never
// interprets them. What it does know is which week each belongs to, so
// that a record written into a closed week drops the figures it makes
// stale in the same transaction (see touch).
var (
	bucketRollups     = []byte("rollups")       // key -> value: other kept values (a chart's file ID)
	bucketWeekRollups = []byte("week_rollups")  // u64(week end) ‖ u64(week start) ‖ name -> the week's figures
	keyRollupEpoch    = []byte("rollup_epoch")  // in meta: u64, bumped whenever week rollups go stale
	keyPrunedBefore   = []byte("pruned_before") // in meta: u64(unixNano), the latest cut-off Prune applied
)

func init() { allBuckets = append(allBuckets, bucketRollups, bucketWeekRollups) }

// SettleTime is how long after a week ends before its figures may be kept
// as a rollup. A record written for a moment older than this (an approved
// nomination, an edited or withdrawn win, a question deleted or answered
// later, an event delivered late) is a change to the past: it drops the
// rollups of every week ending after that moment and bumps RollupEpoch.
// Records written for "now" change no kept week, and cost nothing here.
const SettleTime = time.Minute

// ConversionWindow is how long after a "Yes, here's how" a win with that
// tool still converts it (the digest's question -> win conversion). A win
// changed in the past so can change the figures of the weeks up to this
// long before it, and drops those weeks' rollups too.
const ConversionWindow = 14 * 24 * time.Hour

// Rollup returns the value kept under key, or nil. The value is a copy.
func (t *Tx) Rollup(key []byte) []byte {
	b := t.tx.Bucket(bucketRollups)
	if b == nil { // a file opened read-only that predates rollups
		return nil
	}
	return bytes.Clone(b.Get(key))
}

// PutRollup keeps value under key.
func (t *Tx) PutRollup(key, value []byte) error {
	if err := t.tx.Bucket(bucketRollups).Put(key, value); err != nil {
		return fmt.Errorf("put rollup: %w", err)
	}
	return nil
}

func weekRollupKey(start, end time.Time, name []byte) []byte {
	return append(append(u64(uint64(end.UnixNano())), u64(uint64(start.UnixNano()))...), name...)
}

// WeekRollup returns the figures kept under name for the week [start,
// end), or nil. The value is a copy.
func (t *Tx) WeekRollup(start, end time.Time, name []byte) []byte {
	b := t.tx.Bucket(bucketWeekRollups)
	if b == nil { // a file opened read-only that predates week rollups
		return nil
	}
	return bytes.Clone(b.Get(weekRollupKey(start, end, name)))
}

// PutWeekRollup keeps value as name's figures for the week [start, end).
// The caller counted them in an earlier transaction: it passes the
// RollupEpoch it read there, and nothing is kept when the epoch has moved
// since (a change to the past landed in between, so the figures may be
// stale); kept is false then.
func (t *Tx) PutWeekRollup(start, end time.Time, name, value []byte, epoch uint64) (kept bool, err error) {
	if t.RollupEpoch() != epoch {
		return false, nil
	}
	if err := t.tx.Bucket(bucketWeekRollups).Put(weekRollupKey(start, end, name), value); err != nil {
		return false, fmt.Errorf("put week rollup: %w", err)
	}
	return true, nil
}

// RollupEpoch counts the changes to the past so far (see SettleTime).
func (t *Tx) RollupEpoch() uint64 {
	raw := t.tx.Bucket(bucketMeta).Get(keyRollupEpoch)
	if len(raw) != 8 {
		return 0
	}
	return readU64(raw)
}

// DropWeekRollupsAfter drops the figures of every week ending after at,
// so the next trend recounts those weeks from the records, and bumps
// RollupEpoch. It is what a change to the past does; forgetting a person
// calls it for the weeks whose records are still kept. A week that began
// before the cut-off retention pruned at (Prune) keeps its figures: some
// of its records are gone, and the rollup is all that remains of them.
func (t *Tx) DropWeekRollupsAfter(at time.Time) error {
	if err := t.tx.Bucket(bucketMeta).Put(keyRollupEpoch, u64(t.RollupEpoch()+1)); err != nil {
		return fmt.Errorf("drop week rollups: %w", err)
	}
	pruned := t.prunedBefore()
	var stale [][]byte
	c := t.tx.Bucket(bucketWeekRollups).Cursor()
	k, _ := c.First()
	if at.After(time.Unix(0, 0)) {
		k, _ = c.Seek(u64(uint64(at.UnixNano()) + 1)) // week ends after at's own nanosecond
	}
	for ; k != nil; k, _ = c.Next() {
		if len(k) >= 16 && keyTime(k[8:16]).Before(pruned) {
			continue
		}
		stale = append(stale, bytes.Clone(k)) // deleting while iterating skips keys
	}
	for _, k := range stale {
		if err := t.tx.Bucket(bucketWeekRollups).Delete(k); err != nil {
			return fmt.Errorf("drop week rollups: %w", err)
		}
	}
	return nil
}

// prunedBefore is the latest cut-off Prune applied (zero if none).
func (t *Tx) prunedBefore() time.Time {
	raw := t.tx.Bucket(bucketMeta).Get(keyPrunedBefore)
	if len(raw) != 8 {
		return time.Time{}
	}
	return keyTime(raw)
}

// notePruned remembers that records before before are gone.
func (t *Tx) notePruned(before time.Time) error {
	if !before.After(t.prunedBefore()) {
		return nil
	}
	if err := t.tx.Bucket(bucketMeta).Put(keyPrunedBefore, u64(uint64(before.UnixNano()))); err != nil {
		return fmt.Errorf("note prune: %w", err)
	}
	return nil
}

// touch is called by every write of a question or answer, with the
// record's time: a change to the past drops what it makes stale.
func (t *Tx) touch(at time.Time) error { return t.touchReaching(at, 0) }

// touchWin is touch for a win, which also counts in the conversion of
// the weeks up to ConversionWindow before it.
func (t *Tx) touchWin(at time.Time) error { return t.touchReaching(at, ConversionWindow) }

func (t *Tx) touchReaching(at time.Time, reach time.Duration) error {
	if at.IsZero() || !at.Before(t.now.Add(-SettleTime)) {
		return nil
	}
	return t.DropWeekRollupsAfter(at.Add(-reach))
}

// CountWeekRollups is how many week rollups are kept.
func (t *Tx) CountWeekRollups() int {
	b := t.tx.Bucket(bucketWeekRollups)
	if b == nil {
		return 0
	}
	return b.Stats().KeyN
}

// migrateWeekRollups is the migration from schema 4. Week rollups were
// kept in the rollups bucket under keys starting "v<version>\x00", and no
// write dropped them: they go (the weeks are recounted into the week
// bucket, where changes to the past drop them). Other values (a chart's
// file ID, "chart\x00...") stay. Each inspired win also gets the team of
// the win it links to, while that win is still kept.
func migrateWeekRollups(btx *bolt.Tx) error {
	var old [][]byte
	rollups := btx.Bucket(bucketRollups)
	if err := rollups.ForEach(func(k, _ []byte) error {
		if oldWeekRollupKey(k) {
			old = append(old, bytes.Clone(k))
		}
		return nil
	}); err != nil {
		return err
	}
	for _, k := range old {
		if err := rollups.Delete(k); err != nil {
			return fmt.Errorf("drop old week rollup: %w", err)
		}
	}
	t := &Tx{tx: btx}
	type change struct {
		key []byte
		rec winRecord
	}
	var changes []change
	if err := btx.Bucket(bucketWins).ForEach(func(k, v []byte) error {
		var r winRecord
		if err := winCodec.decode(v, &r); err != nil {
			return fmt.Errorf("decode win %x: %w", k, err)
		}
		if r.InspiredBy == 0 || r.InspiredTeam != "" {
			return nil
		}
		if src, err := t.Win(r.InspiredBy); err == nil && src.Team != "" {
			r.InspiredTeam = src.Team
			changes = append(changes, change{bytes.Clone(k), r})
		}
		return nil
	}); err != nil {
		return err
	}
	for _, c := range changes { // not while iterating: bbolt forbids it
		raw, err := json.Marshal(c.rec)
		if err != nil {
			return fmt.Errorf("encode win: %w", err)
		}
		if err := btx.Bucket(bucketWins).Put(c.key, raw); err != nil {
			return fmt.Errorf("save win: %w", err)
		}
	}
	return nil
}

// oldWeekRollupKey: k is a week rollup as schema 4 kept it, "v", digits,
// 0x00, then the team, 0x00 and the week's start, end and settings.
func oldWeekRollupKey(k []byte) bool {
	if len(k) < 3+1+24 || k[0] != 'v' {
		return false
	}
	i := bytes.IndexByte(k, 0)
	if i < 2 {
		return false
	}
	for _, c := range k[1:i] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
