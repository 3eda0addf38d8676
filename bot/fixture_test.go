package bot

import (
	"encoding/json"
	"os"
	"path/filepath"
)

// readFixture reads a Socket Mode frame copied from Slack's docs.
func readFixture(name string) ([]byte, error) {
	raw, err := os.ReadFile(filepath.Join("..", "testdata", "slack", name))
	if err != nil {
		return nil, err
	}
	var compact json.RawMessage
	if err := json.Unmarshal(raw, &compact); err != nil {
		return nil, err
	}
	return compact, nil
}
