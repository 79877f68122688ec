package advise

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitchenbench/kitchenbench/internal/fixture"
	"github.com/kitchenbench/kitchenbench/kitchen"
)

// With a result file Advise measures nothing: it decides on the file's
// rows of the menu at the cores measured, or says there are none.
func TestAdviseFromAResultFile(t *testing.T) {
	m, ok := kitchen.Lookup("dinner-rush")
	require.True(t, ok)
	f := fixture.File("a", 3, 1, nil)
	adv, err := Advise(context.Background(), Request{Menu: m, Cores: 1, From: f, FromName: "a.json"})
	require.NoError(t, err)
	assert.Equal(t, "eventloop", adv.Pick, "the fastest by far at 1 core")
	assert.Len(t, adv.Rows, 3, "a row per strategy in the file")

	big, ok := kitchen.Lookup("big-roast")
	require.True(t, ok)
	_, err = Advise(context.Background(), Request{Menu: big, Cores: 1, From: f, FromName: "a.json"})
	assert.ErrorIs(t, err, ErrNoMeasurements)
	assert.ErrorContains(t, err, `a.json: no measurements of menu "big-roast" at 1 cores`)
}
