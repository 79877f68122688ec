package results

import (
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
