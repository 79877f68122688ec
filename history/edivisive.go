package history

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/kitchenbench/kitchenbench/stats"
)

// Options tune the change-point search. The zero value is usable: each
// zero field takes its value from DefaultOptions.
type Options struct {
	// Alpha is the significance level of each permutation test: a split
	// is a change point when its p-value is at most Alpha.
	Alpha float64
	// Permutations is how many random permutations each test draws.
	Permutations int
	// MinSize is the fewest points a segment may have on either side of
	// a change point. A change in the last MinSize-1 commits is not
	// reported until enough later commits confirm it.
	MinSize int
	// Seed seeds the permutations, so the same files always give the same
	// output. Zero takes DefaultOptions.Seed.
	Seed uint64
	// MinChange is the smallest change, as a fraction of the median
	// before it, that is reported: a significant split whose medians
	// differ by less is dropped (and its neighbours' medians recomputed
	// without it). Zero takes DefaultOptions.MinChange; a negative value
	// reports every significant split.
	MinChange float64
}

// DefaultOptions are the settings `kitchen history` uses.
//
// Note: MinSize 2 rather than 1: a split leaving a single point on one
// side is what one noisy run looks like, and the permutation test of so
// small a segment cannot reach significance anyway.
//
// MinChange 5% is `kitchen check`'s default threshold: a history alarm
// means the same size of change as a failed gate. Without it the test's
// false alarms (about 2% of unchanged 8-commit series, see docs/ci.md)
// are splits of 1-2%, the noise of the figures themselves.
var DefaultOptions = Options{Alpha: 0.05, Permutations: 999, MinSize: 2, Seed: 14, MinChange: 0.05}

func (o Options) withDefaults() Options {
	if o.Alpha <= 0 {
		o.Alpha = DefaultOptions.Alpha
	}
	if o.Permutations <= 0 {
		o.Permutations = DefaultOptions.Permutations
	}
	if o.MinSize <= 0 {
		o.MinSize = DefaultOptions.MinSize
	}
	if o.Seed == 0 {
		o.Seed = DefaultOptions.Seed
	}
	if o.MinChange == 0 {
		o.MinChange = DefaultOptions.MinChange
	}
	return o
}

// Split is one change point found by Detect.
type Split struct {
	Index  int     // the first point after the change
	P      float64 // the permutation test's p-value
	Before float64 // median from the previous split (or the start) up to Index
	After  float64 // median from Index up to the next split (or the end)
}

// Change is After/Before − 1: −0.2 for a 20% drop.
func (s Split) Change() float64 { return s.After/s.Before - 1 }

// Detect returns the change points of x, in index order, found by
// hierarchical E-divisive means with exponent 1: among the current
// segments it finds the split that maximizes the energy statistic, tests
// that split with a permutation test (the statistic's maximum over random
// orders of the segment's points), and, when the test is significant,
// splits there and searches again; it stops at the first test that is not.
//
// Under no change the points are exchangeable, so the first test raises a
// false alarm with probability at most Alpha and the search stops there
// otherwise: the false-alarm rate of a whole series is at most about
// Alpha, and MinChange lowers it further (TestFalseAlarmRate measures
// both). Values are compared on a log scale, so a 20% drop counts the
// same at any speed.
func Detect(x []float64, o Options) []Split {
	o = o.withDefaults()
	rng := rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))
	logs := make([]float64, len(x))
	for i, v := range x {
		logs[i] = math.Log(math.Max(v, math.SmallestNonzeroFloat64))
	}
	type segment struct{ lo, hi int } // [lo, hi)
	segs := []segment{{0, len(x)}}
	var found []Split
	for {
		best, bestTau, bestQ := -1, 0, math.Inf(-1)
		for i, s := range segs {
			tau, q := bestSplit(logs[s.lo:s.hi], o.MinSize)
			if tau > 0 && q > bestQ {
				best, bestTau, bestQ = i, tau, q
			}
		}
		if best < 0 {
			break
		}
		s := segs[best]
		p := permutationP(logs[s.lo:s.hi], bestQ, o, rng)
		if p > o.Alpha {
			break
		}
		at := s.lo + bestTau
		found = append(found, Split{Index: at, P: p})
		segs = slices.Replace(segs, best, best+1, segment{s.lo, at}, segment{at, s.hi})
	}
	slices.SortFunc(found, func(a, b Split) int { return a.Index - b.Index })
	return keepLarge(x, found, o.MinChange)
}

// keepLarge fills in each split's medians and drops the smallest change
// below minChange, again until every split left is at least minChange.
func keepLarge(x []float64, splits []Split, minChange float64) []Split {
	for {
		small, smallest := -1, math.Inf(1)
		for j := range splits {
			lo, hi := 0, len(x)
			if j > 0 {
				lo = splits[j-1].Index
			}
			if j+1 < len(splits) {
				hi = splits[j+1].Index
			}
			sp := &splits[j]
			sp.Before, sp.After = stats.Median(x[lo:sp.Index]), stats.Median(x[sp.Index:hi])
			if c := math.Abs(sp.Change()); c < minChange && c < smallest {
				small, smallest = j, c
			}
		}
		if small < 0 {
			return splits
		}
		splits = slices.Delete(splits, small, small+1)
	}
}

// permutationP returns the share of random orders of z whose best split
// scores at least q, counting z's own order once (so p is never 0).
func permutationP(z []float64, q float64, o Options, rng *rand.Rand) float64 {
	perm := slices.Clone(z)
	hits := 1
	for range o.Permutations {
		rng.Shuffle(len(perm), func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
		if _, pq := bestSplit(perm, o.MinSize); pq >= q*(1-1e-12) {
			hits++
		}
	}
	return float64(hits) / float64(o.Permutations+1)
}

// bestSplit returns the split tau of z (left z[:tau], right z[tau:], each
// at least minSize long) maximizing the energy statistic
//
//	Q(tau) = m·k/(m+k) · (2/(m·k)·ΣΣ|x−y| − 1/C(m,2)·Σ|x−x'| − 1/C(k,2)·Σ|y−y'|)
//
// with m = tau and k = n−tau, and that maximum; tau is 0 when z is too
// short to split. It takes O(n²): the within-side sums are updated as
// tau moves, and the between sum is what remains of the total.
func bestSplit(z []float64, minSize int) (tau int, q float64) {
	n := len(z)
	if n < 2*minSize || minSize < 1 {
		return 0, math.Inf(-1)
	}
	var total float64
	// rowAfter[i] = Σ_{k>i} |z_i − z_k|, rowBefore[i] = Σ_{k<i} |z_i − z_k|
	rowAfter := make([]float64, n)
	rowBefore := make([]float64, n)
	for i := 0; i < n; i++ {
		for k := i + 1; k < n; k++ {
			d := math.Abs(z[i] - z[k])
			rowAfter[i] += d
			rowBefore[k] += d
			total += d
		}
	}
	left, right := 0.0, total // within-left and within-right sums at tau = 0
	q = math.Inf(-1)
	for t := 1; t < n; t++ {
		// move point t-1 from the right side to the left
		left += rowBefore[t-1]
		right -= rowAfter[t-1]
		m, k := t, n-t
		if m < minSize || k < minSize {
			continue
		}
		between := total - left - right
		stat := 2 * between / float64(m*k)
		if m > 1 {
			stat -= left / float64(m*(m-1)/2)
		}
		if k > 1 {
			stat -= right / float64(k*(k-1)/2)
		}
		stat *= float64(m*k) / float64(n)
		if stat > q {
			tau, q = t, stat
		}
	}
	return tau, q
}
