package config

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

func TestParseDuration(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want time.Duration
	}{
		{"30m", 30 * time.Minute},
		{"4h", 4 * time.Hour},
		{"72h", 72 * time.Hour},
		{"3d", 72 * time.Hour},
		{"1d12h", 36 * time.Hour},
		{" 1h30m ", 90 * time.Minute},
		{"0d", 0},
	} {
		t.Run("OK"+tt.in, func(t *testing.T) {
			d, err := ParseDuration(tt.in)
			require.NoError(t, err)
			assert.Equal(t, Duration(tt.want), d)
		})
	}
	for _, in := range []string{"", "4", "4 hours", "d", "-3d", "1.5d", "3dd", "1d-2h", "soon"} {
		t.Run("Err"+in, func(t *testing.T) {
			_, err := ParseDuration(in)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "invalid duration")
		})
	}
}

func TestDurationString(t *testing.T) {
	for _, tt := range []struct {
		in   time.Duration
		want string
	}{
		{72 * time.Hour, "3d"},
		{24 * time.Hour, "1d"},
		{4 * time.Hour, "4h"},
		{90 * time.Minute, "1h30m"},
		{30 * time.Minute, "30m"},
		{36 * time.Hour, "36h"},
		{90 * time.Second, "1m30s"},
		{0, "0s"},
		{-4 * time.Hour, "-4h"},
	} {
		assert.Equal(t, tt.want, Duration(tt.in).String(), tt.in.String())
	}
}

func TestDurationYAMLRoundTrip(t *testing.T) {
	in := Questions{FollowUpAfter: Duration(72 * time.Hour), NudgeAfter: Duration(90 * time.Minute)}
	out, err := yaml.Marshal(in)
	require.NoError(t, err)
	assert.Equal(t, "follow_up_after: 3d\nnudge_after: 1h30m\n", string(out))

	var back Questions
	require.NoError(t, yaml.Unmarshal(out, &back))
	assert.Equal(t, in, back)
}
