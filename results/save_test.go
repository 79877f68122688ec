package results

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Save writes a result file and its .txt twin, into a new name in a
// directory or at a FILE.json it refuses to replace without force.
func TestSaveWritesTheFileAndItsTwin(t *testing.T) {
	dir := t.TempDir()
	f := &File{Schema: SchemaVersion, Partial: true, Machine: Machine{CPUModel: "Test CPU", LogicalCPUs: 2, Date: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)}}
	first, err := Save(filepath.Join(dir, "runs"), f, false)
	require.NoError(t, err)
	second, err := Save(filepath.Join(dir, "runs"), f, false)
	require.NoError(t, err)
	assert.NotEqual(t, first, second, "a second run into a directory gets a new name")
	for _, p := range []string{first, second} {
		assert.FileExists(t, p)
		assert.FileExists(t, TwinPath(p))
	}

	path := filepath.Join(dir, "sub", "r.json")
	got, err := Save(path, f, false)
	require.NoError(t, err)
	assert.Equal(t, path, got)
	assert.FileExists(t, filepath.Join(dir, "sub", "r.txt"))
	_, err = Save(path, f, false)
	assert.ErrorContains(t, err, "already exists", "an existing FILE.json is kept without force")
	_, err = Save(path, f, true)
	assert.NoError(t, err, "force replaces it")
}

func TestCheckNew(t *testing.T) {
	dir := t.TempDir()
	at := func(name string) string { return filepath.Join(dir, name) }
	require.NoError(t, os.WriteFile(at("full.json"), []byte("{}"), 0o644))
	require.NoError(t, os.WriteFile(at("empty.json"), nil, 0o644))
	require.NoError(t, os.WriteFile(at("twin.txt"), []byte("x"), 0o644))
	for _, ok := range []string{"-", dir, at("new.json"), at("empty.json"), at("new.html")} {
		assert.NoError(t, CheckNew(ok), ok)
	}
	for out, in := range map[string]string{at("full.json"): at("full.json"), at("twin.json"): at("twin.txt")} {
		var e *ExistsError
		require.ErrorAs(t, CheckNew(out), &e, out)
		assert.Equal(t, in, e.Path, out)
	}
}

func TestCheckNewWhatTheWriterRefuses(t *testing.T) {
	t.Chdir(t.TempDir())
	require.NoError(t, os.WriteFile("-", []byte("x"), 0o644))
	assert.NoError(t, CheckNew("-"), `"-" is the commands' "no file", whatever is in the folder`)
	var e *ExistsError
	assert.ErrorAs(t, CheckNew(os.DevNull), &e, "a device is no file to write a result to")
}
