package kitchen

import (
	"math"
	"sort"
	"time"
)

// unitIters is the number of xorshift rounds in one work unit: about 1 µs on
// a 3 GHz x86-64 core (six dependent integer operations per round). The count
// is fixed, so a faster machine does a unit faster; Calibrate says how fast.
const unitIters = 512

// Work performs units work units starting from seed and returns a value that
// depends on every round, so the compiler cannot discard the computation.
// It allocates nothing and touches no shared memory, so any number of cooks
// can call it in parallel without interfering.
func Work(units int64, seed uint64) uint64 {
	x := seed | 1
	for u := int64(0); u < units; u++ {
		for i := 0; i < unitIters; i++ {
			x ^= x << 13
			x ^= x >> 7
			x ^= x << 17
		}
	}
	return x
}

// Calibration is the measured cost of one work unit on this machine.
type Calibration struct {
	NsPerUnit float64 // the 20th percentile over rounds: see Calibrate
	Median    float64 // median over rounds
	CV        float64 // coefficient of variation over rounds
	Rounds    int
}

// calibrationSink keeps the calibration's work observable.
var calibrationSink uint64

// Calibrate measures the cost of one work unit on the calling goroutine:
// rounds timings of a batch of units lasting about perRound each. The work
// is deterministic and touches no memory, so noise (a neighbour on a shared
// host, a preempted round) only ever slows a round down: NsPerUnit is the
// 20th percentile of the rounds, which a few slow rounds do not move, and
// Median and CV describe the spread. Zero arguments pick 15 rounds of 4 ms.
func Calibrate(rounds int, perRound time.Duration) Calibration {
	if rounds <= 0 {
		rounds = 15
	}
	if perRound <= 0 {
		perRound = 4 * time.Millisecond
	}
	// Size the batch from a short probe so each round lasts about perRound.
	const probeUnits = 64
	start := time.Now()
	calibrationSink += Work(probeUnits, 1)
	probe := time.Since(start)
	units := int64(float64(perRound) / math.Max(float64(probe)/probeUnits, 1))
	if units < 1 {
		units = 1
	}
	per := make([]float64, rounds)
	for r := range per {
		start := time.Now()
		calibrationSink += Work(units, uint64(r))
		per[r] = float64(time.Since(start)) / float64(units)
	}
	return summarize(per)
}

// summarize describes per-unit costs, one a round: the 20th percentile as
// NsPerUnit, the median, and the coefficient of variation.
func summarize(per []float64) Calibration {
	sorted := append([]float64(nil), per...)
	sort.Float64s(sorted)
	med := sorted[len(sorted)/2]
	if len(sorted)%2 == 0 {
		med = (sorted[len(sorted)/2-1] + sorted[len(sorted)/2]) / 2
	}
	low := sorted[(len(sorted)-1)/5]
	var mean, sq float64
	for _, v := range per {
		mean += v
	}
	mean /= float64(len(per))
	for _, v := range per {
		sq += (v - mean) * (v - mean)
	}
	cv := 0.0
	if len(per) > 1 && mean > 0 {
		cv = math.Sqrt(sq/float64(len(per)-1)) / mean
	}
	return Calibration{NsPerUnit: low, Median: med, CV: cv, Rounds: len(per)}
}
