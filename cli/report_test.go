package cli

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReportWritesAtomically checks that `kitchen report` writes its page
// through the result files' writer: no temporary file left behind, an
// existing page kept without --force, and of several reports racing for
// one new page exactly one written (no shared temporary file, no check
// and write apart).
func TestReportWritesAtomically(t *testing.T) {
	dir := t.TempDir()
	res := synth(t, dir, "res.json", "", 1)
	pages := filepath.Join(dir, "pages")
	page := filepath.Join(pages, "page.html")

	code, _, errOut := runKitchen(t, "report", "--out", page, res)
	require.Equal(t, 0, code, errOut)
	first, err := os.ReadFile(page)
	require.NoError(t, err)
	require.NotEmpty(t, first)
	assertOnly(t, pages, "page.html")

	require.NoError(t, os.WriteFile(page, []byte("kept"), 0o644))
	code, _, errOut = runKitchen(t, "report", "--out", page, res)
	assert.NotEqual(t, 0, code, "second report without --force")
	assert.Contains(t, errOut, "page.html")
	kept, err := os.ReadFile(page)
	require.NoError(t, err)
	assert.Equal(t, "kept", string(kept), "the existing page was overwritten without --force")
	assertOnly(t, pages, "page.html")

	code, _, errOut = runKitchen(t, "report", "--force", "--out", page, res)
	require.Equal(t, 0, code, errOut)
	again, err := os.ReadFile(page)
	require.NoError(t, err)
	assert.Equal(t, first, again, "page after --force")

	// Another report in progress with the temporary name a fixed-name
	// writer would use: its file is neither taken over nor removed.
	other := filepath.Join(pages, "new.html.tmp")
	require.NoError(t, os.WriteFile(other, []byte("another writer's half page"), 0o644))
	code, _, errOut = runKitchen(t, "report", "--out", filepath.Join(pages, "new.html"), res)
	require.Equal(t, 0, code, errOut)
	half, err := os.ReadFile(other)
	require.NoError(t, err, "another writer's temporary file")
	assert.Equal(t, "another writer's half page", string(half), "another writer's temporary file")
	require.NoError(t, os.Remove(other))
	require.NoError(t, os.Remove(filepath.Join(pages, "new.html")))

	race := filepath.Join(pages, "race.html")
	const n = 8
	codes := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { codes[i], _, _ = runKitchen(t, "report", "--out", race, res) })
	}
	wg.Wait()
	wrote := 0
	for _, c := range codes {
		if c == 0 {
			wrote++
		}
	}
	assert.Equal(t, 1, wrote, "reports that wrote race.html; exit codes %v", codes)
	got, err := os.ReadFile(race)
	require.NoError(t, err)
	assert.Equal(t, first, got, "race.html is one whole page")
	assertOnly(t, pages, "page.html", "race.html")
}

// assertOnly checks that dir holds exactly the named files: no temporary
// file left behind.
func assertOnly(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	assert.ElementsMatch(t, names, got, "files in %s", dir)
}
