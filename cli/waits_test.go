package cli

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitchenbench/kitchenbench/results"
)

func TestRunRecordsTheWaitsAndPrintsTheOpenLoopTable(t *testing.T) {
	for _, waits := range []string{"precise", "runtime"} {
		t.Run(waits, func(t *testing.T) {
			dir := t.TempDir()
			code, out, errOut := runKitchen(t, "run", "--menus", "big-roast", "--strategies", "eventloop", "--cores", "1",
				"--count", "1", "--duration", "30ms", "--rate", "500/s", "--waits", waits, "--out", dir)
			require.Equal(t, 0, code, errOut)
			paths, _ := filepath.Glob(filepath.Join(dir, "*.json"))
			require.Len(t, paths, 1)
			f, err := results.Read(paths[0])
			require.NoError(t, err)
			assert.Equal(t, waits, f.Config.Waits, "config.waits in the result file")
			assert.Contains(t, out, "dispatch lag p50", "open-loop table")
			assert.Contains(t, out, "M/G/1 FIFO model", "model row for a CPU-only menu")
		})
	}
	code, _, errOut := runKitchen(t, "run", "--waits", "exact", "--out", "-")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, `--waits: unknown waits "exact"`)
}
