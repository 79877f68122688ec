package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitchenbench/kitchenbench/results"
)

func TestRunEndsWithAVerdictLinePerMenu(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.json")
	code, out, errOut := runKitchen(t, "run", "--menus", "steak-and-salad,banquet", "--strategies", "sync,eventloop",
		"--cores", "1", "--count", "2", "--duration", "10ms", "--out", path, "--label", "my laptop")
	require.Equal(t, 0, code, errOut)
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	require.GreaterOrEqual(t, len(lines), 2, "output:\n%s", out)
	for i, menu := range []string{"steak-and-salad", "banquet"} {
		line := lines[len(lines)-2+i]
		assert.True(t, strings.HasPrefix(line, "  "+menu+": "), "verdict line %d = %q; want the %s verdict", i, line, menu)
		assert.Regexp(t, ` at 1 core`, line, "verdict line names the core count")
	}
	f, err := results.Read(path)
	require.NoError(t, err)
	assert.Equal(t, "my laptop", f.Machine.Label, "--label is kept in the result file")
}

func TestRunCSVHasNoVerdict(t *testing.T) {
	code, out, errOut := runKitchen(t, "run", "--menus", "banquet", "--strategies", "sync",
		"--cores", "1", "--count", "1", "--duration", "5ms", "--out", "-", "--format", "csv")
	require.Equal(t, 0, code, errOut)
	assert.NotContains(t, out, "Verdict", "a CSV stays one document")
}

func TestCompareShowsTheVerdictFirst(t *testing.T) {
	dir := t.TempDir()
	a := synth(t, dir, "a.json", "", 1)
	b := synth(t, dir, "b.json", "pool/2", 20) // pool at 2 cores overtakes eventloop on b
	code, out, errOut := runKitchen(t, "compare", a, b)
	require.Equal(t, 0, code, errOut)
	v := strings.Index(out, "Verdict")
	require.GreaterOrEqual(t, v, 0, "no verdict in:\n%s", out)
	assert.Less(t, v, strings.Index(out, "menu dinner-rush"), "the verdict comes before the comparison tables")
	assert.Contains(t, out, "dinner-rush: both machines agree on eventloop at 1 core, and differ at 2 cores: eventloop on Test CPU / 2 cpus, a.json, pool on Test CPU / 2 cpus, b.json.")
}
