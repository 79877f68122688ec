package bench

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitchenbench/kitchenbench/compare"
	"github.com/kitchenbench/kitchenbench/results"
)

func TestRerun(t *testing.T) {
	base := func(menuJSON string) *results.File {
		f := &results.File{Path: "base.json", Config: results.Config{Duration: 100 * time.Millisecond, Warmup: 100 * time.Millisecond,
			Menus: map[string]json.RawMessage{}}}
		if menuJSON != "" {
			f.Config.Menus["banquet"] = json.RawMessage(menuJSON)
		}
		for _, c := range []struct {
			strategy string
			cores    int
		}{{"pool", 2}, {"sync", 1}, {"pool", 1}} {
			f.Samples = append(f.Samples, results.Sample{Menu: "banquet", Strategy: c.strategy, Cores: c.cores})
		}
		return f
	}
	t.Run("built-in menu", func(t *testing.T) {
		m, err := Rerun(base(""), 6)
		require.NoError(t, err)
		assert.Equal(t, []string{"pool", "sync"}, m.Strategies, "in the order of the samples")
		assert.Equal(t, []int{1, 2}, m.Cores)
		require.Len(t, m.Menus, 1)
		assert.Equal(t, "banquet", m.Menus[0].Name)
		assert.Equal(t, AutoWarmup, m.Warmup, "a warm-up of one window was automatic")
		assert.Equal(t, 6, m.Count)
	})
	t.Run("count from the baseline", func(t *testing.T) {
		b := base("")
		for _, tc := range []struct{ fileCount, want int }{{0, compare.DefaultCount}, {3, compare.DefaultCount}, {10, 10}} {
			b.Config.Count = tc.fileCount
			m, err := Rerun(b, 0)
			require.NoError(t, err)
			assert.Equal(t, tc.want, m.Count, "count 0 with a baseline of %d per cell", tc.fileCount)
		}
	})
	for name, menu := range map[string]string{
		"does not decode":   `{"dishes": "not a list"}`,
		"does not validate": `{"name": "banquet", "dishes": []}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Rerun(base(menu), 6)
			require.Error(t, err, "never the built-in banquet in its place")
			assert.Contains(t, err.Error(), `base.json: menu "banquet"`)
		})
	}
}
