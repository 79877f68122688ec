package bench

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitchenbench/kitchenbench/kitchen"
)

func TestMatrixValidate(t *testing.T) {
	banquet, _ := kitchen.Lookup("banquet")
	noRate := &kitchen.Menu{Name: "no-rate"}
	ok := Matrix{Menus: []*kitchen.Menu{banquet}, Cores: []int{1, 2}, Count: 6, Duration: 100 * time.Millisecond, Warmup: AutoWarmup}
	assert.NoError(t, ok.Validate())
	for _, tc := range []struct {
		name   string
		change func(*Matrix)
		want   string
	}{
		{"count 0", func(m *Matrix) { m.Count = 0 }, "--count 0 out of range [1, 1000]"},
		{"count 1001", func(m *Matrix) { m.Count = 1001 }, "--count 1001 out of range [1, 1000]"},
		{"duration", func(m *Matrix) { m.Duration = 2 * time.Hour }, "--duration 2h0m0s out of range [1ms, 1h]"},
		{"warmup", func(m *Matrix) { m.Warmup = -2 }, "--warmup -2ns out of range [0, 1h]"},
		{"cores", func(m *Matrix) { m.Cores = []int{0} }, "--cores: 0 out of range [1, 4096]"},
		{"open loop without a rate", func(m *Matrix) { m.Arrivals, m.Menus = Poisson, []*kitchen.Menu{noRate} },
			`--arrivals poisson: menu "no-rate" has no rate of its own`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := ok
			tc.change(&m)
			assert.ErrorContains(t, m.Validate(), tc.want)
		})
	}
	withRate := ok
	withRate.Arrivals, withRate.Rate, withRate.Menus = Poisson, 100, []*kitchen.Menu{noRate}
	assert.NoError(t, withRate.Validate(), "a Rate serves menus without their own")
}

func TestKneeSearchValidate(t *testing.T) {
	ok := KneeSearch{Cores: 2, Probe: 500 * time.Millisecond}
	require.NoError(t, ok.Validate())
	for _, tc := range []struct {
		s    KneeSearch
		want string
	}{
		{KneeSearch{Cores: 0, Probe: time.Second}, "--cores 0 out of range [1, 4096]"},
		{KneeSearch{Cores: MaxCores + 1, Probe: time.Second}, "--cores 4097 out of range"},
		{KneeSearch{Cores: 1, Probe: 9 * time.Millisecond}, "--duration 9ms out of range [10ms, 1h]"},
		{KneeSearch{Cores: 1, Probe: 2 * time.Hour}, "--duration 2h0m0s out of range"},
	} {
		assert.ErrorContains(t, tc.s.Validate(), tc.want, "%+v", tc.s)
	}
}

func TestParseWarmup(t *testing.T) {
	for in, want := range map[string]time.Duration{"auto": AutoWarmup, "0s": 0, "50ms": 50 * time.Millisecond, "1h": time.Hour} {
		got, err := ParseWarmup(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"", "Auto", "-1ms", "61m", "soon"} {
		_, err := ParseWarmup(in)
		assert.EqualError(t, err, strconv.Quote(in)+": want auto or a duration in [0, 1h], such as 50ms", in)
	}
}
