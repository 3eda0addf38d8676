package store

import (
	"testing"
	"time"
)

func TestParseStoreTimeMatchesTimeParse(t *testing.T) {
	tests := []struct {
		in   string
		fast bool // the fast path takes it; otherwise it must decline
	}{
		{"2026-12-03T11:18:53Z", true},
		{"2026-12-03T11:18:53.5Z", true},
		{"2026-12-03T11:18:53.123456789Z", true},
		{"2026-12-03T11:18:53.000000001Z", true},
		{"2026-12-03T11:18:53.12Z", true},
		{"0000-01-01T00:00:00Z", true},
		{"9999-12-31T23:59:59.999999999Z", true},
		{"2024-02-29T12:00:00Z", true},
		{"2000-02-29T12:00:00Z", true},
		{"1970-01-01T00:00:00Z", true},
		// Not the store's layout: the general path decides.
		{"2026-12-03T11:18:53+00:00", false},
		{"2026-12-03T11:18:53+01:00", false},
		{"2026-12-03T11:18:53.25-07:30", false},
		{"2026-12-03T11:18:53z", false},
		{"2026-12-03t11:18:53Z", false},
		{"2026-12-03 11:18:53Z", false},
		{"2026-12-03T11:18:53.1234567891Z", false},
		{"2026-12-03T11:18:53,5Z", false},
		{"2026-12-03T11:18:53.Z", false},
		{"2026-12-03T11:18:53.5aZ", false},
		{"2026-12-03T11:18Z", false},
		{"2026-12-3T11:18:53Z", false},
		{"+026-12-03T11:18:53Z", false},
		{"2026-1a-03T11:18:53Z", false},
		{"2026-12-03T11:18:53", false},
		{"2026-12-03T11:18:53ZZ", false},
		{"", false},
		{"Z", false},
		// Out of range: time.Parse rejects them, so must the fast path.
		{"2026-13-03T11:18:53Z", false},
		{"2026-00-03T11:18:53Z", false},
		{"2026-12-00T11:18:53Z", false},
		{"2026-04-31T11:18:53Z", false},
		{"2023-02-29T11:18:53Z", false},
		{"1900-02-29T11:18:53Z", false},
		{"2026-12-03T24:00:00Z", false},
		{"2026-12-03T11:60:00Z", false},
		{"2026-12-03T11:18:60Z", false},
	}
	for _, tt := range tests {
		got, ok := parseStoreTime([]byte(tt.in))
		if ok != tt.fast {
			t.Errorf("parseStoreTime(%q) took it: %v, want %v", tt.in, ok, tt.fast)
		}
		want, err := time.Parse(time.RFC3339, tt.in)
		if ok && (err != nil || got != want) {
			t.Errorf("parseStoreTime(%q) = %v, time.Parse = %v, %v", tt.in, got, want, err)
		}
	}
}

// Every time json.Marshal writes for a UTC time is read by the fast path
// as time.Parse reads it.
func TestParseStoreTimeReadsWhatMarshalWrites(t *testing.T) {
	base := time.Date(2026, 12, 3, 11, 18, 53, 0, time.UTC)
	for i := range 4000 {
		at := base.Add(time.Duration(i) * 7777777777777 * time.Nanosecond).Add(time.Duration(i*i) * time.Nanosecond)
		if i >= 2000 { // across the calendar: leap years, centuries, year 0
			at = time.Date((i-2000)*5, time.Month(i%12+1), 1, 0, 0, 0, i, time.UTC).AddDate(0, 0, i%31-1)
		}
		if i%3 == 0 {
			at = at.Truncate(time.Second)
		}
		raw, err := at.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		lit := raw[1 : len(raw)-1]
		got, ok := parseStoreTime(lit)
		if !ok {
			t.Fatalf("parseStoreTime(%s) declined the store's own layout", raw)
		}
		var want time.Time
		if err := want.UnmarshalJSON(raw); err != nil {
			t.Fatal(err)
		}
		if got != want || !got.Equal(at) {
			t.Fatalf("parseStoreTime(%s) = %v, UnmarshalJSON = %v, written %v", raw, got, want, at)
		}
	}
}
