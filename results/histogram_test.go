package results

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// uniform returns a histogram of the values 1..n, each once.
func uniform(n int64) *Histogram {
	h := NewHistogram()
	for v := int64(1); v <= n; v++ {
		h.Record(v)
	}
	return h
}

func TestHistogramQuantileExact(t *testing.T) {
	h := uniform(100_000)
	require.Equal(t, int64(100_000), h.Count(), "Count()")
	require.Equal(t, int64(100_000), h.Max(), "Max()")
	for _, tc := range []struct {
		q    float64
		want float64 // exact percentile of 1..100000
	}{
		{0, 1}, {1, 1_000}, {50, 50_000}, {90, 90_000}, {99, 99_000}, {99.9, 99_900}, {100, 100_000},
	} {
		got := h.Quantile(tc.q)
		// 3 significant figures: within 0.1% of the exact value.
		assert.InDelta(t, tc.want, got, tc.want*0.001+1, "Quantile(%v) = %v; want %v ±0.1%%", tc.q, got, tc.want)
	}
	l := h.Latency()
	assert.InDelta(t, 50_000, l.P50, 50, "Latency().P50")
	assert.InDelta(t, 99_900, l.P999, 100, "Latency().P999")
	assert.Equal(t, 100_000.0, l.Max, "Latency().Max")
}

func TestHistogramEdgeCases(t *testing.T) {
	var zero Histogram // usable zero value
	assert.Equal(t, 0.0, zero.Quantile(50), "empty Quantile(50)")
	assert.Equal(t, int64(0), zero.Count(), "empty Count()")
	assert.Equal(t, Latency{}, zero.Latency(), "empty Latency()")
	zero.Record(42)
	assert.Equal(t, 42.0, zero.Quantile(50), "zero value after Record(42): Quantile(50)")

	h := NewHistogram()
	h.Record(-5)            // clamped to 1ns
	h.Record(0)             // clamped to 1ns
	h.Record(math.MaxInt64) // clamped to 1h
	h.RecordN(7, 0)         // nothing
	h.RecordN(7, -3)        // nothing
	assert.Equal(t, int64(3), h.Count(), "Count() after clamped records")
	assert.Equal(t, histHighest, h.Max(), "Max() after recording MaxInt64")
	assert.Equal(t, 1.0, h.Quantile(50), "Quantile(50)")
	assert.Equal(t, 1.0, h.Quantile(-1), "Quantile(-1) clamps to 0")
	assert.Equal(t, 1.0, h.Quantile(math.NaN()), "Quantile(NaN)")
	assert.Equal(t, float64(histHighest), h.Quantile(1000), "Quantile(1000) clamps to 100")
	h.Merge(nil)
	h.Merge(&Histogram{})
	assert.Equal(t, int64(3), h.Count(), "Count() after merging nothing")
}

func TestHistogramMergeEqualsRecordingAll(t *testing.T) {
	a, b, all := NewHistogram(), NewHistogram(), NewHistogram()
	for v := int64(1); v <= 50_000; v++ {
		x := v * 37 % 1_000_003 // spread over several decades
		if v%3 == 0 {
			a.Record(x)
		} else {
			b.Record(x * 1000)
			x *= 1000
		}
		all.Record(x)
	}
	var m Histogram
	m.Merge(a)
	m.Merge(b)
	require.Equal(t, all.Count(), m.Count(), "merged Count()")
	assert.Equal(t, all.Max(), m.Max(), "merged Max()")
	assert.True(t, all.h.Equals(m.h), "merged buckets differ from recording all")
	for _, q := range []float64{0, 10, 50, 90, 99, 99.9, 100} {
		assert.Equal(t, all.Quantile(q), m.Quantile(q), "merged Quantile(%v)", q)
	}
}

func TestHistogramJSONRoundTrip(t *testing.T) {
	h := uniform(10_000)
	h.Record(int64(3 * 1e9)) // a 3s outlier
	data, err := json.Marshal(h)
	require.NoError(t, err)
	// Sparse: far smaller than the 256 KiB of dense counts.
	assert.Less(t, len(data), 40_000, "len(json.Marshal(h))")

	var back Histogram
	require.NoError(t, json.Unmarshal(data, &back))
	assert.Equal(t, h.Count(), back.Count(), "Count() after round trip")
	assert.Equal(t, h.Max(), back.Max(), "Max() after round trip")
	assert.Equal(t, h.Latency(), back.Latency(), "Latency() after round trip")
	assert.True(t, h.h.Equals(back.h), "buckets differ after round trip")

	empty, err := json.Marshal(NewHistogram())
	require.NoError(t, err)
	var e Histogram
	require.NoError(t, json.Unmarshal(empty, &e))
	assert.Equal(t, int64(0), e.Count(), "empty round trip Count()")
}

func TestHistogramUnmarshalErrors(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"geometry", `{"lowest":1,"highest":1000,"sigfigs":3,"max":0,"buckets":[]}`, "geometry"},
		{"odd", `{"lowest":1,"highest":3600000000000,"sigfigs":3,"max":5,"buckets":[5]}`, "pairs"},
		{"index range", `{"lowest":1,"highest":3600000000000,"sigfigs":3,"max":5,"buckets":[99999999,1]}`, "out of range"},
		{"negative index", `{"lowest":1,"highest":3600000000000,"sigfigs":3,"max":5,"buckets":[-1,1]}`, "out of range"},
		{"unordered", `{"lowest":1,"highest":3600000000000,"sigfigs":3,"max":5,"buckets":[5,1,4,1]}`, "not above"},
		{"zero count", `{"lowest":1,"highest":3600000000000,"sigfigs":3,"max":5,"buckets":[5,0]}`, "want > 0"},
		{"overflow", `{"lowest":1,"highest":3600000000000,"sigfigs":3,"max":6,"buckets":[5,9223372036854775807,6,1]}`, "overflows"},
		{"max mismatch", `{"lowest":1,"highest":3600000000000,"sigfigs":3,"max":900,"buckets":[5,1]}`, "max 900"},
		{"max in empty", `{"lowest":1,"highest":3600000000000,"sigfigs":3,"max":9,"buckets":[]}`, "empty"},
		{"not object", `[1,2]`, "cannot unmarshal"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var h Histogram
			err := json.Unmarshal([]byte(tc.in), &h)
			require.Error(t, err, "Unmarshal(%s)", tc.in)
			assert.Contains(t, err.Error(), tc.want, "Unmarshal(%s) error", tc.in)
		})
	}
}

func TestHistogramMergeKeepsTheLargerMax(t *testing.T) {
	big, small := NewHistogram(), NewHistogram()
	big.Record(5_000_000)
	small.Record(70)
	big.Merge(small)
	assert.Equal(t, int64(5_000_000), big.Max(), "Max() after merging a histogram with a smaller max")
	assert.Equal(t, 5_000_000.0, big.Quantile(100), "Quantile(100)")
	small.Merge(NewHistogram())
	assert.Equal(t, int64(70), small.Max(), "Max() after merging an empty histogram")
	var zero Histogram
	zero.Merge(big)
	assert.Equal(t, int64(5_000_000), zero.Max(), "Max() of the zero value after a merge")
}

func TestHistogramQuantileNearestRank(t *testing.T) {
	// 170 orders of 1..170 µs: the p99 is the 169th (nearest rank,
	// ceil(0.99 × 170) = 169), not HdrHistogram's rounded 168th.
	h := NewHistogram()
	for v := int64(1); v <= 170; v++ {
		h.Record(v * 1000)
	}
	assert.InEpsilon(t, 169_000.0, h.Quantile(99), 0.001, "Quantile(99) of 170 values")
	assert.InEpsilon(t, 85_000.0, h.Quantile(50), 0.001, "Quantile(50) of 170 values: rank 85")
	assert.Equal(t, 170_000.0, h.Quantile(100), "Quantile(100)")
	assert.InEpsilon(t, 1_000.0, h.Quantile(0.1), 0.001, "Quantile(0.1): rank 1")
}
