package kitchen

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPickMenus(t *testing.T) {
	all, err := PickMenus("")
	require.NoError(t, err)
	assert.Len(t, all, len(MenuNames()), "empty: every built-in menu")

	ms, err := PickMenus(" banquet,dinner-rush,, banquet ")
	require.NoError(t, err)
	var names []string
	for _, m := range ms {
		names = append(names, m.Name)
	}
	assert.Equal(t, []string{"banquet", "dinner-rush"}, names, "in order, spaces and repeats dropped")

	_, err = PickMenus("banquet,nope")
	assert.ErrorContains(t, err, `unknown menu "nope" (built-in: `)
}

func TestFindMenu(t *testing.T) {
	m, err := FindMenu("banquet")
	require.NoError(t, err)
	assert.Equal(t, "banquet", m.Name)
	m, err = FindMenu("../examples/menu.yaml")
	require.NoError(t, err, "a menu file")
	assert.NotEmpty(t, m.Name)
	_, err = FindMenu("missing.yaml")
	assert.ErrorContains(t, err, "missing.yaml")
	_, err = FindMenu("nope")
	assert.ErrorContains(t, err, `unknown menu "nope"`)
	_, err = FindMenu("banquet,dinner-rush")
	assert.ErrorContains(t, err, "want one menu")
}
