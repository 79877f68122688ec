package kitchen

import (
	"os"
	"path/filepath"
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

func TestLoadMenus(t *testing.T) {
	dir := t.TempDir()
	write := func(name, menu string) string {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, []byte("name: "+menu+"\ncustomers: 1\ndishes:\n  - name: toast\n    steps:\n      - {name: brown, cpu: 1}\n"), 0o644))
		return path
	}
	a, b, clash := write("a.yaml", "brunch"), write("b.yaml", "supper"), write("c.yaml", "banquet")
	banquet, err := PickMenus("banquet")
	require.NoError(t, err)

	ms, err := LoadMenus(banquet, a, b)
	require.NoError(t, err)
	var names []string
	for _, m := range ms {
		names = append(names, m.Name)
	}
	assert.Equal(t, []string{"banquet", "brunch", "supper"}, names, "the files' menus after those given, in order")

	_, err = LoadMenus(banquet, a, clash)
	assert.EqualError(t, err, clash+`: menu "banquet" is already on the run`)
	_, err = LoadMenus(nil, a, a)
	assert.EqualError(t, err, a+`: menu "brunch" is already on the run`)
	_, err = LoadMenus(nil, filepath.Join(dir, "missing.yaml"))
	assert.ErrorContains(t, err, "reading menu file")
}
