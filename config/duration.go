package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Duration is a time.Duration written in YAML as a string like "30m", "4h",
// "72h" or "3d". The "d" suffix (24 hours, ignoring daylight saving) exists
// because follow-ups are thought of in days and "72h" reads worse than "3d".
type Duration time.Duration

// ParseDuration parses what time.ParseDuration accepts, optionally preceded
// by a whole number of days: "3d", "1d12h", "90m".
func ParseDuration(s string) (Duration, error) {
	orig := s
	bad := fmt.Errorf("invalid duration %q (want e.g. \"30m\", \"4h\" or \"3d\")", orig)
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, bad
	}
	var days time.Duration
	if i := strings.IndexByte(s, 'd'); i > 0 && strings.Trim(s[:i], "0123456789") == "" {
		n, err := strconv.ParseUint(s[:i], 10, 16)
		if err != nil {
			return 0, bad
		}
		days, s = time.Duration(n)*24*time.Hour, s[i+1:]
		if s == "" {
			return Duration(days), nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || (days > 0 && d < 0) {
		return 0, bad
	}
	return Duration(days + d), nil
}

// String formats d the way people write it in the config: "3d", "4h",
// "1h30m" rather than time.Duration's "72h0m0s".
func (d Duration) String() string {
	td := time.Duration(d)
	const day = 24 * time.Hour
	if td > 0 && td%day == 0 {
		return strconv.FormatInt(int64(td/day), 10) + "d"
	}
	s := td.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// UnmarshalYAML parses a Duration from a YAML scalar.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: want a duration like \"4h\" or \"3d\", not a %s", n.Line, kindName(n.Kind))}}
	}
	v, err := ParseDuration(n.Value)
	if err != nil {
		// A TypeError makes yaml.v3 report it like its own errors, with
		// the line, which Load turns into a key path.
		return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: %v", n.Line, err)}}
	}
	*d = v
	return nil
}

// MarshalYAML writes d in the same form UnmarshalYAML reads.
func (d Duration) MarshalYAML() (any, error) {
	return d.String(), nil
}

func kindName(k yaml.Kind) string {
	switch k {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	default:
		return "scalar"
	}
}
