package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Load reads a YAML config over Default() and validates it. Empty input
// gives the defaults. Unknown keys are errors that name the key, because a
// misspelt key would otherwise silently leave a feature at its default.
func Load(r io.Reader) (*Config, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	c := Default()

	// First pass: the node tree, to name unknown keys by path (yaml.v3's
	// own message names only a Go type) and to map lines to key paths.
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
		return c, c.Validate() // empty or comments only
	} else if err != nil {
		return nil, syntaxError(err)
	}
	if err := dec.Decode(new(yaml.Node)); !errors.Is(err, io.EOF) {
		return nil, errors.New("config: more than one YAML document (remove the second \"---\")")
	}
	lines := map[int]string{}
	if err := checkKeys(&doc, reflect.TypeFor[Config](), "", lines); err != nil {
		return nil, err
	}

	// Second pass: the real decode, strict as a safety net.
	dec = yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil {
		return nil, decodeError(err, lines)
	}
	c.normalize()
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

// LoadFile is Load on the file at path. Every error it returns starts with
// "config file PATH: " so the user knows which file to fix; errors.As still
// finds the *Error with the key.
func LoadFile(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("config file %s: %w", path, err)
	}
	defer f.Close()
	c, err := Load(f)
	if err != nil {
		return nil, fmt.Errorf("config file %s: %w", path, err)
	}
	return c, nil
}

// checkKeys walks node as the YAML form of type t and returns an *Error for
// the first mapping key that t has no field for. It records, for each line
// that holds a value, the most specific key path on it.
func checkKeys(n *yaml.Node, t reflect.Type, path string, lines map[int]string) error {
	for n.Kind == yaml.DocumentNode || n.Kind == yaml.AliasNode {
		if n.Kind == yaml.AliasNode {
			n = n.Alias
		} else if len(n.Content) == 1 {
			n = n.Content[0]
		} else {
			return nil
		}
	}
	if path != "" {
		lines[n.Line] = path
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t.Kind() == reflect.Slice && n.Kind == yaml.SequenceNode:
		for i, item := range n.Content {
			if err := checkKeys(item, t.Elem(), fmt.Sprintf("%s[%d]", path, i), lines); err != nil {
				return err
			}
		}
		if n.Style&yaml.FlowStyle != 0 {
			lines[n.Line] = path // "[a, b]" is one line: name the list, not its last item
		}
	case t.Kind() == reflect.Struct && n.Kind == yaml.MappingNode:
		fields := yamlFields(t)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Tag == "!!merge" { // "<<: *defaults" merges into this mapping
				if err := checkKeys(v, t, path, lines); err != nil {
					return err
				}
				continue
			}
			key := join(path, k.Value)
			f, ok := fields[k.Value]
			if !ok {
				return &Error{Key: key, Msg: fmt.Sprintf("unknown key (line %d; %s)", k.Line, keyHint(k.Value, fields))}
			}
			if err := checkKeys(v, f.Type, key, lines); err != nil {
				return err
			}
		}
	}
	// Anything else is a type mismatch that the decoder reports.
	return nil
}

// yamlFields maps the YAML key of each field of struct type t to the field.
func yamlFields(t reflect.Type) map[string]reflect.StructField {
	m := map[string]reflect.StructField{}
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		m[name] = f
	}
	return m
}

// keyHint suggests what the user probably meant by an unknown key.
func keyHint(key string, fields map[string]reflect.StructField) string {
	if strings.Contains(strings.ToLower(key), "token") {
		return "tokens come only from the environment: SLACK_BOT_TOKEN and SLACK_APP_TOKEN"
	}
	names := slices.Sorted(maps.Keys(fields))
	best, bestDist := "", 3 // suggest only near misses
	for _, name := range names {
		if d := editDistance(strings.ToLower(key), name); d < bestDist {
			best, bestDist = name, d
		}
	}
	if best != "" {
		return fmt.Sprintf("did you mean %q?", best)
	}
	return "known keys: " + strings.Join(names, ", ")
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

var (
	lineRE     = regexp.MustCompile(`^line (\d+): (.*)$`)
	dupKeyRE   = regexp.MustCompile(`^mapping key "(.*)" already defined at line (\d+)$`)
	unmarshRE  = regexp.MustCompile("^cannot unmarshal !!(\\w+)(?: `(.*)`)? into (.+)$")
	whitespace = regexp.MustCompile(`\s+`)
)

// syntaxError turns a yaml.v3 parse error into one line.
func syntaxError(err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	return fmt.Errorf("invalid YAML: %s", whitespace.ReplaceAllString(msg, " "))
}

// decodeError turns the decoder's first complaint into an *Error naming the
// key on that line, e.g. `wins.max_minutes_per_win: want a whole number, got "lots" (line 7)`.
func decodeError(err error, lines map[int]string) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) || len(te.Errors) == 0 {
		return syntaxError(err)
	}
	m := lineRE.FindStringSubmatch(te.Errors[0])
	if m == nil {
		return syntaxError(err)
	}
	line, _ := strconv.Atoi(m[1])
	key, ok := lines[line]
	if !ok {
		return &Error{Key: "line " + m[1], Msg: friendlyType(m[2])}
	}
	return &Error{Key: key, Msg: fmt.Sprintf("%s (line %d)", friendlyType(m[2]), line)}
}

// friendlyType rewrites yaml.v3's "cannot unmarshal !!str `lots` into int"
// and "mapping key ... already defined" in words a config author knows.
func friendlyType(msg string) string {
	if m := dupKeyRE.FindStringSubmatch(msg); m != nil {
		return "listed twice (also at line " + m[2] + ")"
	}
	m := unmarshRE.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	var want string
	switch into := m[3]; {
	case strings.HasPrefix(into, "[]"):
		want = "a list"
	case strings.HasPrefix(into, "int"), strings.HasPrefix(into, "uint"):
		want = "a whole number"
	case into == "bool":
		want = "true or false"
	case into == "string", into == "config.ToolStatus":
		want = "a single value"
	case strings.HasPrefix(into, "config."):
		want = "a mapping of keys"
	default:
		want = into
	}
	got := map[string]string{"map": "a mapping", "seq": "a list", "str": "text", "int": "a number", "float": "a number", "bool": "true/false"}[m[1]]
	if got == "" {
		got = "!!" + m[1]
	}
	if m[2] != "" {
		got = strconv.Quote(m[2])
	}
	return fmt.Sprintf("want %s, got %s", want, got)
}
