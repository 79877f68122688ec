package history

import (
	"bytes"
	"crypto/sha1"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kitchenbench/kitchenbench/internal/fixture"
	"github.com/kitchenbench/kitchenbench/render"
	"github.com/kitchenbench/kitchenbench/results"
	"github.com/kitchenbench/kitchenbench/stats"
)

// synthCV is the noise of the synthetic series: the coefficient of
// variation of a cell's median dishes/s between commits on one machine.
// The committed reference runs show 0.3-6.9% between samples on this
// project's 2-core host; 3% is the middle of that range.
const synthCV = 0.03

var synthCells = []results.Cell{
	{Menu: "banquet", Strategy: "sync", Cores: 1},
	{Menu: "banquet", Strategy: "pool", Cores: 2},
	{Menu: "dinner-rush", Strategy: "eventloop", Cores: 1},
}

var synthMachine = results.Machine{CPUModel: "Synthetic CPU @ 3.0GHz", LogicalCPUs: 2, OS: "linux", Arch: "amd64"}

// synthFiles returns n result files of one machine, one per commit a day
// apart, each with 5 samples per cell drawn with synthCV noise from a
// fixed seed. drop(commit, cell) is the factor applied to a cell's speed.
func synthFiles(t testing.TB, n int, seed uint64, drop func(commit int, c results.Cell) float64) []*results.File {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	start := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	var files []*results.File
	for i := range n {
		m := synthMachine
		m.Commit = synthCommit(i)
		m.Date = start.Add(time.Duration(i) * 24 * time.Hour)
		f := &results.File{Schema: results.SchemaVersion, Machine: m, Path: fmt.Sprintf("run-%d.json", i)}
		for ci, c := range synthCells {
			base := 1000.0 * float64(ci+1)
			for it := range 5 {
				v := base * drop(i, c) * (1 + synthCV*rng.NormFloat64())
				f.Samples = append(f.Samples, results.Sample{
					Menu: c.Menu, Strategy: c.Strategy, Cores: c.Cores, Iter: it,
					Orders: int(v/5) + 1, Served: int(v / 5), Elapsed: 200 * time.Millisecond, DishesPerSec: v,
				})
			}
		}
		files = append(files, f)
	}
	// Shuffle: Build must order by date, not by the order it was given.
	rng.Shuffle(len(files), func(i, j int) { files[i], files[j] = files[j], files[i] })
	return files
}

// synthCommit is the made-up hash of the i-th commit.
func synthCommit(i int) string { return fmt.Sprintf("%x", sha1.Sum([]byte{byte(i)})) }

func unchanged(int, results.Cell) float64 { return 1 }

func dropFrom5th(commit int, c results.Cell) float64 {
	if c == synthCells[1] && commit >= 4 {
		return 0.8
	}
	return 1
}

func TestAnalyze(t *testing.T) {
	tests := []struct {
		name string
		drop func(int, results.Cell) float64
		want []string // cell@commit index
	}{
		{"one cell drops 20% from the 5th commit", dropFrom5th, []string{"banquet/pool/2@4"}},
		{"unchanged", unchanged, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for seed := uint64(1); seed <= 5; seed++ {
				r := Analyze(synthFiles(t, 8, seed, tc.drop), Options{})
				if len(r.Series) != len(synthCells) {
					t.Fatalf("seed %d: %d series; want %d", seed, len(r.Series), len(synthCells))
				}
				var got []string
				for _, c := range r.Changes {
					got = append(got, fmt.Sprintf("%s@%d", c.Cell.String(), c.Index))
					if want := synthCommit(c.Index); c.Commit != want {
						t.Errorf("seed %d: change at index %d names commit %s; want %s", seed, c.Index, c.Commit, want)
					}
					if ch := c.Change(); math.Abs(ch+0.2) > 0.05 {
						t.Errorf("seed %d: change %+.3f; want about -0.2", seed, ch)
					}
					if c.P > r.Options.Alpha {
						t.Errorf("seed %d: reported p %v above α %v", seed, c.P, r.Options.Alpha)
					}
				}
				if fmt.Sprint(got) != fmt.Sprint(tc.want) {
					t.Errorf("seed %d: change points %v; want %v", seed, got, tc.want)
				}
			}
		})
	}
}

// TestMachinesNotMixed: the same cell on two machines is two series, and
// a faster second machine is no change point.
func TestMachinesNotMixed(t *testing.T) {
	a := synthFiles(t, 8, 1, unchanged)
	b := synthFiles(t, 8, 2, func(int, results.Cell) float64 { return 2 })
	for _, f := range b {
		f.Machine.CPUModel = "Faster CPU"
		f.Machine.Date = f.Machine.Date.Add(time.Hour) // interleaved in time with a
	}
	r := Analyze(append(a, b...), Options{})
	if got, want := len(r.Series), 2*len(synthCells); got != want {
		t.Fatalf("%d series; want %d", got, want)
	}
	for _, s := range r.Series {
		if len(s.Points) != 8 {
			t.Errorf("%s on %s: %d points; want 8", s.Name(), s.Machine, len(s.Points))
		}
	}
	if len(r.Changes) != 0 {
		t.Errorf("change points %v; want none", r.Changes)
	}
}

// TestSameCommitPools: two files of one commit make one point.
func TestSameCommitPools(t *testing.T) {
	files := synthFiles(t, 4, 1, unchanged)
	dup := *files[0]
	dup.Path = "again.json"
	dup.Machine.Date = dup.Machine.Date.Add(time.Minute)
	s := Build(append(files, &dup))
	if len(s[0].Points) != 4 {
		t.Fatalf("%d points; want 4", len(s[0].Points))
	}
	for _, p := range s[0].Points {
		if p.Commit == dup.Machine.Commit && len(p.Files) != 2 {
			t.Errorf("commit %s pools files %v; want 2", p.Commit, p.Files)
		}
	}
}

func TestDetectDeterministic(t *testing.T) {
	x := []float64{10, 10.2, 9.9, 10.1, 8, 8.1, 7.9, 8.2}
	a, b := Detect(x, Options{}), Detect(x, Options{})
	if fmt.Sprint(a) != fmt.Sprint(b) || len(a) != 1 || a[0].Index != 4 {
		t.Errorf("Detect = %v, then %v; want one split at 4 twice", a, b)
	}
}

func TestBestSplitMatchesDirect(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for n := 4; n < 12; n++ {
		z := make([]float64, n)
		for i := range z {
			z[i] = rng.NormFloat64()
		}
		tau, q := bestSplit(z, 2)
		if math.IsInf(q, 0) {
			t.Fatalf("n=%d: no split", n)
		}
		wantTau, wantQ := 0, math.Inf(-1)
		for t := 2; t <= n-2; t++ {
			if s := directQ(z[:t], z[t:]); s > wantQ {
				wantTau, wantQ = t, s
			}
		}
		if tau != wantTau || math.Abs(q-wantQ) > 1e-9 {
			t.Errorf("n=%d: bestSplit = %d, %v; want %d, %v", n, tau, q, wantTau, wantQ)
		}
	}
}

// directQ is the energy statistic written as its definition.
func directQ(x, y []float64) float64 {
	m, k := float64(len(x)), float64(len(y))
	var b, wx, wy float64
	for _, a := range x {
		for _, c := range y {
			b += math.Abs(a - c)
		}
	}
	for i := range x {
		for j := i + 1; j < len(x); j++ {
			wx += math.Abs(x[i] - x[j])
		}
	}
	for i := range y {
		for j := i + 1; j < len(y); j++ {
			wy += math.Abs(y[i] - y[j])
		}
	}
	return m * k / (m + k) * (2*b/(m*k) - wx/(m*(m-1)/2) - wy/(k*(k-1)/2))
}

// TestFalseAlarmRate measures how often Detect reports a change point in
// a series of 8 unchanged commits with synthCV noise, over 1000 series:
// the figure docs/ci.md gives. Run with -v to see it.
func TestFalseAlarmRate(t *testing.T) {
	const series, points = 1000, 8
	n := series
	if testing.Short() {
		n = 200
	}
	// Each point is the median of 5 samples, as in a `kitchen run
	// --count 5` file, with synthCV noise per sample.
	rng := rand.New(rand.NewPCG(2026, 14))
	raw, alarms := 0, 0
	x := make([]float64, points)
	samples := make([]float64, 5)
	for range n {
		for i := range x {
			for j := range samples {
				samples[j] = 1000 * (1 + synthCV*rng.NormFloat64())
			}
			x[i] = stats.Median(samples)
		}
		if len(Detect(x, Options{MinChange: -1})) > 0 {
			raw++
		}
		if len(Detect(x, Options{})) > 0 {
			alarms++
		}
	}
	t.Logf("false alarms over %d unchanged series of %d points (CV %.0f%% per sample, median of 5): %d (%.1f%%) at α = %v alone, %d (%.1f%%) with the default %.0f%% minimum change",
		n, points, 100*synthCV, raw, 100*float64(raw)/float64(n), DefaultOptions.Alpha, alarms, 100*float64(alarms)/float64(n), 100*DefaultOptions.MinChange)
	// The permutation test bounds the rate by α; 3 binomial standard
	// errors above it is a broken test, not bad luck.
	limit := DefaultOptions.Alpha + 3*math.Sqrt(DefaultOptions.Alpha*(1-DefaultOptions.Alpha)/float64(n))
	if rate := float64(raw) / float64(n); rate > limit {
		t.Errorf("false-alarm rate without a minimum change %.3f; want at most %.3f", rate, limit)
	}
	if alarms > raw {
		t.Errorf("%d alarms with a minimum change, more than the %d without", alarms, raw)
	}
}

// TestRoundTripFiles reads the synthetic files back from disk, as
// `kitchen history DIR` does.
func TestRoundTripFiles(t *testing.T) {
	dir := t.TempDir()
	for _, f := range synthFiles(t, 8, 1, dropFrom5th) {
		if err := results.Write(filepath.Join(dir, f.Path), f, false); err != nil {
			t.Fatal(err)
		}
	}
	files, err := ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	r := Analyze(files, Options{})
	if len(r.Changes) != 1 || r.Changes[0].Cell != synthCells[1] || r.Changes[0].Index != 4 {
		t.Errorf("changes %v; want banquet/pool/2 at index 4", r.Changes)
	}
}

func TestRenderGolden(t *testing.T) {
	r := Analyze(synthFiles(t, 8, 1, dropFrom5th), Options{})
	fixture.GoldenFormats(t, "history", render.Formats, func(w io.Writer, format string) error { return render.Write(w, format, r) })
	if err := render.Write(&bytes.Buffer{}, "yaml", r); err == nil || !strings.Contains(err.Error(), "yaml") {
		t.Errorf("Render(yaml) = %v; want an unknown-format error", err)
	}
}
