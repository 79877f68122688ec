package abrun

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/kitchenbench/kitchenbench/abtest"
	"github.com/kitchenbench/kitchenbench/results"
)

func TestValidateNamesTheFlagOutOfRange(t *testing.T) {
	ok := Options{Ref: "HEAD", Menus: "banquet", Strategies: "sync", Cores: "1", Rounds: 8, Samples: 3, Duration: 100 * time.Millisecond}
	assert.NoError(t, ok.Validate())
	for _, tc := range []struct {
		change func(*Options)
		want   string
	}{
		{func(o *Options) { o.Ref = "" }, "--against needs a git REF"},
		{func(o *Options) { o.Rounds = 2 }, "--rounds 2 out of range [3, 1000]"},
		{func(o *Options) { o.Samples = 0 }, "--samples 0 out of range [1, 100]"},
		{func(o *Options) { o.Duration = time.Microsecond }, "--duration 1µs out of range [1ms, 1h]"},
		{func(o *Options) { o.Menus = "nope" }, `--menus: unknown menu "nope"`},
		{func(o *Options) { o.Cores = "0" }, "--cores: 0 out of range [1, 4096]"},
	} {
		o := ok
		tc.change(&o)
		assert.ErrorContains(t, o.Validate(), tc.want)
	}
}

func TestCellList(t *testing.T) {
	cs := []abtest.Cell{
		{Cell: results.Cell{Menu: "banquet", Strategy: "sync", Cores: 1}, Change: -0.06},
		{Cell: results.Cell{Menu: "banquet", Strategy: "pool", Cores: 2}, Change: 0.004},
	}
	assert.Equal(t, "banquet/sync/1 (-6.0%), banquet/pool/2 (+0.4%)", CellList(cs))
}
