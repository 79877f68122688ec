package results

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/HdrHistogram/hdrhistogram-go"

	"github.com/kitchenbench/kitchenbench/stats"
)

// Histogram geometry: every Histogram tracks 1ns to 1h with 3 significant
// figures, so any two histograms merge without loss and a quantile is within
// 0.1% of the exact one.
const (
	histLowest  = 1                           // ns
	histHighest = int64(3600 * 1_000_000_000) // 1h in ns
	histSigFigs = 3
)

// A Histogram is a fixed-memory, mergeable histogram of latencies in
// nanoseconds (an HdrHistogram). Values below 1ns or above 1h are clamped
// to those bounds; the exact maximum recorded value is kept beside the
// buckets.
//
// The zero value is an empty histogram ready to use. A Histogram is not safe
// for concurrent use: give each goroutine (cook, loop) its own and Merge them
// when the goroutines are done.
//
// In JSON a Histogram is sparse: only non-zero buckets are written, as
// index/count pairs, so a file holding many histograms stays small.
type Histogram struct {
	h   *hdrhistogram.Histogram // nil until the first Record or Merge
	max int64                   // exact largest value recorded (after clamping)
}

var (
	_ json.Marshaler   = (*Histogram)(nil)
	_ json.Unmarshaler = (*Histogram)(nil)
)

// NewHistogram returns an empty histogram.
func NewHistogram() *Histogram {
	return &Histogram{h: newHDR()}
}

func newHDR() *hdrhistogram.Histogram {
	return hdrhistogram.New(histLowest, histHighest, histSigFigs)
}

func (h *Histogram) init() {
	if h.h == nil {
		h.h = newHDR()
	}
}

// Record adds one latency of ns nanoseconds. Values out of range are
// clamped to 1ns..1h; Record never fails.
func (h *Histogram) Record(ns int64) {
	h.RecordN(ns, 1)
}

// RecordN adds n latencies of ns nanoseconds each, clamped as Record
// clamps. A count n < 1 records nothing.
func (h *Histogram) RecordN(ns, n int64) {
	if n < 1 {
		return
	}
	h.init()
	ns = min(max(ns, histLowest), histHighest)
	if h.h.RecordValues(ns, n) != nil {
		// Only a total count past MaxInt64 can fail here: nothing is
		// recorded, which is all a histogram of that size can do.
		return
	}
	h.max = max(h.max, ns)
}

// Merge adds every value recorded in o to h. A nil o is a no-op.
func (h *Histogram) Merge(o *Histogram) {
	if o == nil || o.h == nil {
		return
	}
	h.init()
	h.h.Merge(o.h)
	h.max = max(h.max, o.max)
}

// Count returns the number of values recorded.
func (h *Histogram) Count() int64 {
	if h == nil || h.h == nil {
		return 0
	}
	return h.h.TotalCount()
}

// Max returns the largest value recorded, exactly (after clamping), or 0 for
// an empty histogram.
func (h *Histogram) Max() int64 {
	if h == nil {
		return 0
	}
	return h.max
}

// Quantile returns the value at percentile q, where q is in 0..100 (50 is
// the median, 99.9 the p99.9), by the nearest-rank rule of Rank (the one
// percentile rule of this module and of package bench): the value of rank
// ceil(q/100 × count) in sorted order, within the histogram's 0.1%. For
// 170 values the p99 is the 169th. It is never above Max. q outside 0..100
// is clamped; an empty histogram gives 0.
//
// Note: HdrHistogram's own rank rule rounds (the 168th of 170 for a p99);
// Quantile picks the rank itself and asks HdrHistogram for the value there.
// Percentiles rather than fractions (0..1) match the names used everywhere
// else (p50, p99, p999) and hdrhistogram's own API.
func (h *Histogram) Quantile(q float64) float64 {
	n := h.Count()
	if n == 0 {
		return 0
	}
	if math.IsNaN(q) || q < 0 {
		q = 0
	}
	q = min(q, 100)
	if q > 0 {
		// HdrHistogram takes rank int(p/100 × n + 0.5): a p a quarter
		// rank below k makes that k exactly.
		k := stats.Rank(q, n)
		q = 100 * (float64(k) - 0.25) / float64(n)
	}
	// HdrHistogram reports a bucket's highest equivalent value, which may
	// exceed the exact maximum; never report a quantile above the max.
	return float64(min(h.h.ValueAtPercentile(q), h.max))
}

// Latency returns the summary percentiles of h (P50, P90, P99, P999, Max).
func (h *Histogram) Latency() Latency {
	return Latency{
		P50:  h.Quantile(50),
		P90:  h.Quantile(90),
		P99:  h.Quantile(99),
		P999: h.Quantile(99.9),
		Max:  float64(h.Max()),
	}
}

// Clone returns an independent copy of h.
func (h *Histogram) Clone() *Histogram {
	c := &Histogram{max: h.max}
	if h.h != nil {
		c.h = h.h.Clone()
	}
	return c
}

// histJSON is the JSON form of a Histogram. Buckets holds index/count pairs
// of the non-zero buckets, flattened ([i0, n0, i1, n1, ...]), indices
// ascending, in the geometry given by Lowest, Highest and SigFigs.
//
// Note: hdrhistogram's own compressed base64 encoding is smaller but opaque;
// index/count pairs stay readable with jq and are already small because
// latencies cluster in few buckets.
type histJSON struct {
	Lowest  int64   `json:"lowest"`
	Highest int64   `json:"highest"`
	SigFigs int64   `json:"sigfigs"`
	Max     int64   `json:"max"`
	Buckets []int64 `json:"buckets"`
}

// MarshalJSON encodes h sparsely.
func (h *Histogram) MarshalJSON() ([]byte, error) {
	j := histJSON{Lowest: histLowest, Highest: histHighest, SigFigs: histSigFigs, Max: h.max, Buckets: []int64{}}
	if h.h != nil {
		for i, n := range h.h.Export().Counts {
			if n != 0 {
				j.Buckets = append(j.Buckets, int64(i), n)
			}
		}
	}
	return json.Marshal(j)
}

// UnmarshalJSON decodes a histogram written by MarshalJSON. It refuses
// another geometry, unordered or out-of-range buckets, non-positive counts
// and a max that disagrees with the buckets.
func (h *Histogram) UnmarshalJSON(data []byte) error {
	var j histJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	if j.Lowest != histLowest || j.Highest != histHighest || j.SigFigs != histSigFigs {
		return fmt.Errorf("histogram geometry %d..%d ns with %d significant figures; want %d..%d with %d",
			j.Lowest, j.Highest, j.SigFigs, histLowest, histHighest, histSigFigs)
	}
	if len(j.Buckets)%2 != 0 {
		return fmt.Errorf("histogram buckets: odd length %d; want index/count pairs", len(j.Buckets))
	}
	hh := newHDR()
	snap := hh.Export()
	total := int64(0)
	for k := 0; k < len(j.Buckets); k += 2 {
		i, n := j.Buckets[k], j.Buckets[k+1]
		switch {
		case i < 0 || i >= int64(len(snap.Counts)):
			return fmt.Errorf("histogram buckets[%d]: index %d out of range 0..%d", k, i, len(snap.Counts)-1)
		case k > 0 && i <= j.Buckets[k-2]:
			return fmt.Errorf("histogram buckets[%d]: index %d not above previous index %d", k, i, j.Buckets[k-2])
		case n <= 0:
			return fmt.Errorf("histogram buckets[%d]: count %d; want > 0", k+1, n)
		case n > math.MaxInt64-total:
			return fmt.Errorf("histogram buckets[%d]: total count overflows", k+1)
		}
		total += n
		snap.Counts[i] = n
	}
	hh = hdrhistogram.Import(snap)
	if total == 0 {
		if j.Max != 0 {
			return fmt.Errorf("histogram max %d in an empty histogram", j.Max)
		}
		*h = Histogram{h: hh}
		return nil
	}
	if j.Max < histLowest || j.Max > histHighest || !hh.ValuesAreEquivalent(j.Max, hh.Max()) {
		return fmt.Errorf("histogram max %d outside its highest bucket (%d)", j.Max, hh.Max())
	}
	*h = Histogram{h: hh, max: j.Max}
	return nil
}
