package bot

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"flywheel/store"
)

func TestVisibilityFlag(t *testing.T) {
	for _, tt := range []struct {
		name, in string
		vis      store.Visibility
		rest     string
		ok       bool
	}{
		{"Anon", "--anon Drafted the deck", store.VisibleAnonymous, "Drafted the deck", true},
		{"AnonymousUpper", "--ANONYMOUS  Drafted", store.VisibleAnonymous, "Drafted", true},
		{"EmDash", "—anon Drafted", store.VisibleAnonymous, "Drafted", true},
		{"Team", "--team Notes for us", store.VisibleToTeam, "Notes for us", true},
		{"TeamOnly", "-team-only Notes", store.VisibleToTeam, "Notes", true},
		{"Everyone", "--everyone Notes", store.VisibleToEveryone, "Notes", true},
		{"FlagAlone", "--anon", store.VisibleAnonymous, "", true},
		{"NoFlag", "Used ChatGPT, saved 2h", store.VisibleToEveryone, "Used ChatGPT, saved 2h", false},
		{"DashNumber", "-20% on the invoice run", store.VisibleToEveryone, "-20% on the invoice run", false},
		{"UnknownFlag", "--secret stuff", store.VisibleToEveryone, "--secret stuff", false},
		{"FlagLaterIsText", "Drafted --anon", store.VisibleToEveryone, "Drafted --anon", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			vis, rest, ok := visibilityFlag(tt.in)
			assert.Equal(t, tt.vis, vis)
			assert.Equal(t, tt.rest, rest)
			assert.Equal(t, tt.ok, ok)
		})
	}
}

func TestVisibilityChoiceValues(t *testing.T) {
	for _, v := range []store.Visibility{store.VisibleToEveryone, store.VisibleToTeam, store.VisibleAnonymous} {
		got, ok := visibilityOf(choiceValue(v))
		assert.True(t, ok)
		assert.Equal(t, v, got, "a choice reads back as itself")
	}
	_, ok := visibilityOf("public-ish")
	assert.False(t, ok)
	assert.Nil(t, visibilityInput([]store.Visibility{store.VisibleToEveryone}), "no choice, no field")
}
