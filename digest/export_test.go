package digest

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestGuardCells(t *testing.T) {
	got := GuardCells([]string{"=1+1", "+x", "-x", "@x", "\tx", "ok", "", "a=b"})
	assert.Equal(t, []string{"'=1+1", "'+x", "'-x", "'@x", "'\tx", "ok", "", "a=b"}, got)
}
