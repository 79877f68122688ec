package results

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadFilesReportsEveryUnreadableFile(t *testing.T) {
	dir := t.TempDir()
	_, err := ReadFiles([]string{filepath.Join(dir, "a.json"), filepath.Join(dir, "b.json")})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "a.json")
	assert.Contains(t, err.Error(), "b.json", "the second missing file is named too")
	files, err := ReadFiles(nil)
	assert.NoError(t, err)
	assert.Empty(t, files)
}
