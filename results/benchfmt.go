package results

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/perf/benchfmt"
)

// benchName is the base name of our benchmarks: each sample is one
// sub-benchmark BenchmarkKitchen/menu=M/strategy=S-<cores>.
const benchName = "Kitchen"

// Units of the Go benchmark format we write and read. p50-ns and friends
// are written in nanoseconds; benchfmt's reader tidies them to p50-sec.
const (
	unitNsOp   = "ns/op"
	unitDishes = "dishes/s"
	unitP50    = "p50-ns"
	unitP90    = "p90-ns"
	unitP99    = "p99-ns"
	unitP999   = "p999-ns"
	unitMax    = "max-ns"
	unitFailed = "failed-orders"
)

// WriteBenchfmt writes f's samples to w in the Go benchmark format, one line
// per sample, so that benchstat reads them untouched:
//
//	goos: linux
//	goarch: amd64
//	cpu: AMD EPYC 7763 64-Core Processor
//	machine: ci-runner
//	commit: 1a2b3c4
//	ns-per-unit: 12.5
//
//	BenchmarkKitchen/menu=dinner-rush/strategy=pool-2 1200 812345 ns/op 1231 dishes/s 61000 p50-ns 990000 p99-ns
//
// N (the iteration count) is the number of orders served and ns/op the
// elapsed time per order served. p999-ns and failed-orders appear where a
// sample has them. Whitespace and '/' in menu and strategy names become
// '_', which the format cannot hold.
func WriteBenchfmt(w io.Writer, f *File) error {
	m := f.Machine
	var cfg []benchfmt.Config
	add := func(key, val string) {
		val = strings.Join(strings.Fields(val), " ")
		if val != "" {
			cfg = append(cfg, benchfmt.Config{Key: key, Value: []byte(val), File: true})
		}
	}
	add("goos", m.OS)
	add("goarch", m.Arch)
	add("cpu", m.CPUModel)
	add("machine", m.Name)
	if m.LogicalCPUs > 0 {
		add("logical-cpus", strconv.Itoa(m.LogicalCPUs))
	}
	add("commit", m.Commit)
	if m.NsPerUnit > 0 {
		add("ns-per-unit", strconv.FormatFloat(m.NsPerUnit, 'g', -1, 64))
	}
	if f.Partial {
		add("partial", "true")
	}
	// The samples' definition, so that a reader can tell timed windows
	// from go test -bench output (b.N orders run to completion) and
	// compare like with like.
	if f.Config.Duration > 0 {
		add("sample-duration", f.Config.Duration.String())
	}
	if f.Config.Warmup > 0 {
		add("warmup", f.Config.Warmup.String())
	}
	if f.Config.Arrival != "" {
		add("arrivals", f.Config.Arrival)
	}
	if f.Config.Rate > 0 {
		add("rate", strconv.FormatFloat(f.Config.Rate, 'g', -1, 64))
	}
	if f.Config.Customers > 0 {
		add("customers", strconv.Itoa(f.Config.Customers))
	}

	bw := benchfmt.NewWriter(w)
	for i := range f.Samples {
		s := &f.Samples[i]
		perOp := float64(s.Elapsed.Nanoseconds()) / float64(max(s.Served, 1))
		vals := []benchfmt.Value{
			{Value: round(perOp), Unit: unitNsOp},
			{Value: round(s.DishesPerSec), Unit: unitDishes},
			{Value: round(s.Latency.P50), Unit: unitP50},
			{Value: round(s.Latency.P99), Unit: unitP99},
		}
		if s.Latency.P999 > 0 {
			vals = append(vals, benchfmt.Value{Value: round(s.Latency.P999), Unit: unitP999})
		}
		if s.Failed > 0 {
			vals = append(vals, benchfmt.Value{Value: float64(s.Failed), Unit: unitFailed})
		}
		res := &benchfmt.Result{
			Config: cfg,
			Name:   benchfmt.Name(fmt.Sprintf("%s/menu=%s/strategy=%s-%d", benchName, nameSafe(s.Menu), nameSafe(s.Strategy), s.Cores)),
			Iters:  s.Served,
			Values: vals,
		}
		if err := bw.Write(res); err != nil {
			return fmt.Errorf("writing benchmark format: %w", err)
		}
	}
	return nil
}

// round keeps figures short in the text format: integers for large values,
// four significant figures for small ones (dishes/s of a slow kitchen).
func round(v float64) float64 {
	if math.Abs(v) >= 1000 {
		return math.Round(v)
	}
	if v == 0 {
		return 0
	}
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 4, 64), 64)
	return r
}

func nameSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '/' || r == ' ' || r == '\t' || r == '\n' || r == '\r' {
			return '_'
		}
		return r
	}, s)
}

// latencyUnit matches a latency percentile unit, tidied by benchfmt
// (p50-ns is read as p50-sec) or not (p50-ms: a unit we refuse).
var latencyUnit = regexp.MustCompile(`^(p50|p90|p99|p999|max)-(.+)$`)

// parseBenchfmt reads Go benchmark format: our own .txt files or plain
// `go test -bench` output. Only BenchmarkKitchen results are kept.
func parseBenchfmt(name string, data []byte) (*File, error) {
	f := &File{Schema: SchemaVersion}
	p := newProblems(name)
	iters := map[Cell]int{}
	lines := bytes.Split(data, []byte("\n"))
	ours := func(line int) bool { // is line (1-based) one of our benchmarks?
		if line < 1 || line > len(lines) {
			return true
		}
		l := lines[line-1]
		return bytes.HasPrefix(l, []byte("Benchmark"+benchName+"/")) || bytes.HasPrefix(l, []byte("Benchmark"+benchName+" ")) ||
			bytes.HasPrefix(l, []byte("Benchmark"+benchName+"\t")) || bytes.HasPrefix(l, []byte("Benchmark"+benchName+"-"))
	}

	r := benchfmt.NewReader(bytes.NewReader(data), name)
	var cfg *benchfmt.Result
	for r.Scan() {
		switch rec := r.Result().(type) {
		case *benchfmt.SyntaxError:
			if ours(rec.Line) {
				p.Add(&FileError{Path: name, Line: rec.Line, Err: errors.New(rec.Msg)})
			}
		case *benchfmt.Result:
			base, _ := rec.Name.Parts()
			if string(base) != benchName {
				continue
			}
			_, line := rec.Pos()
			s, err := benchSample(rec)
			if err != nil {
				p.Add(&FileError{Path: name, Line: line, Err: err})
				continue
			}
			s.Iter = iters[s.Cell()]
			iters[s.Cell()]++
			f.Samples = append(f.Samples, s)
			if cfg == nil {
				cfg = rec.Clone()
			}
		}
	}
	if err := r.Err(); err != nil {
		p.Add(&FileError{Path: name, Err: err})
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if len(f.Samples) == 0 {
		return nil, &FileError{Path: name, Err: errors.New("no BenchmarkKitchen/menu=…/strategy=… results: neither a JSON result file nor Go benchmark output of kitchenbench")}
	}

	// Machine metadata from the configuration lines of the first result.
	m := &f.Machine
	m.OS = cfg.GetConfig("goos")
	m.Arch = cfg.GetConfig("goarch")
	m.CPUModel = strings.TrimSpace(cfg.GetConfig("cpu")) // go test pads it
	m.Name = cfg.GetConfig("machine")
	m.Commit = cfg.GetConfig("commit")
	m.GoVersion = cfg.GetConfig("go")
	if v := cfg.GetConfig("logical-cpus"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return nil, &FileError{Path: name, Field: "logical-cpus", Err: fmt.Errorf("%q: want a count of CPUs", v)}
		}
		m.LogicalCPUs = n
	}
	if v := cfg.GetConfig("ns-per-unit"); v != "" {
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || x < 0 || math.IsInf(x, 0) || math.IsNaN(x) {
			return nil, &FileError{Path: name, Field: "ns-per-unit", Err: fmt.Errorf("%q: want a duration in ns >= 0", v)}
		}
		m.NsPerUnit = x
	}
	f.Partial = cfg.GetConfig("partial") == "true"
	for _, d := range []struct {
		key string
		to  *time.Duration
	}{{"sample-duration", &f.Config.Duration}, {"warmup", &f.Config.Warmup}} {
		if v := cfg.GetConfig(d.key); v != "" {
			x, err := time.ParseDuration(v)
			if err != nil || x < 0 {
				return nil, &FileError{Path: name, Field: d.key, Err: fmt.Errorf("%q: want a duration >= 0 such as 120ms", v)}
			}
			*d.to = x
		}
	}
	f.Config.Arrival = cfg.GetConfig("arrivals")
	if v := cfg.GetConfig("rate"); v != "" {
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || x < 0 || math.IsInf(x, 0) {
			return nil, &FileError{Path: name, Field: "rate", Err: fmt.Errorf("%q: want orders/s >= 0", v)}
		}
		f.Config.Rate = x
	}
	if v := cfg.GetConfig("customers"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return nil, &FileError{Path: name, Field: "customers", Err: fmt.Errorf("%q: want a count >= 0", v)}
		}
		f.Config.Customers = n
	}

	// The run's shape, as far as the samples tell it.
	for _, s := range f.Samples {
		if !slices.Contains(f.Config.Strategies, s.Strategy) {
			f.Config.Strategies = append(f.Config.Strategies, s.Strategy)
		}
		if !slices.Contains(f.Config.Cores, s.Cores) {
			f.Config.Cores = append(f.Config.Cores, s.Cores)
		}
	}
	slices.Sort(f.Config.Cores)
	m.GOMAXPROCS = slices.Clone(f.Config.Cores)
	for _, n := range iters {
		f.Config.Count = max(f.Config.Count, n)
	}
	if err := validate(name, f); err != nil {
		return nil, err
	}
	return f, nil
}

// benchSample converts one BenchmarkKitchen result line into a Sample.
func benchSample(rec *benchfmt.Result) (Sample, error) {
	var s Sample
	_, parts := rec.Name.Parts()
	s.Cores = 1 // `go test` omits -1 when GOMAXPROCS is 1
	for _, part := range parts {
		switch {
		case bytes.HasPrefix(part, []byte("/menu=")):
			s.Menu = string(part[len("/menu="):])
		case bytes.HasPrefix(part, []byte("/strategy=")):
			s.Strategy = string(part[len("/strategy="):])
		case part[0] == '-':
			n, err := strconv.Atoi(string(part[1:]))
			if err != nil || n < 1 {
				return s, fmt.Errorf("benchmark %s: GOMAXPROCS suffix %s: want -N with N >= 1", rec.Name, part)
			}
			s.Cores = n
		}
	}
	if s.Menu == "" || s.Strategy == "" {
		return s, fmt.Errorf("benchmark %s: want a name of the form BenchmarkKitchen/menu=M/strategy=S", rec.Name)
	}
	if rec.Iters < 0 {
		return s, fmt.Errorf("benchmark %s: negative iteration count %d", rec.Name, rec.Iters)
	}
	s.Served = rec.Iters
	secPerOp := -1.0
	for _, v := range rec.Values {
		if math.IsNaN(v.Value) || math.IsInf(v.Value, 0) || v.Value < 0 {
			return s, fmt.Errorf("benchmark %s: %v %s: want a finite figure >= 0", rec.Name, origValue(v), origUnit(v))
		}
		if m := latencyUnit.FindStringSubmatch(v.Unit); m != nil {
			if m[2] != "sec" {
				return s, fmt.Errorf("benchmark %s: unit %s: latencies must be in nanoseconds (%s-ns)", rec.Name, v.Unit, m[1])
			}
			ns := v.Value * 1e9
			switch m[1] {
			case "p50":
				s.Latency.P50 = ns
			case "p90":
				s.Latency.P90 = ns
			case "p99":
				s.Latency.P99 = ns
			case "p999":
				s.Latency.P999 = ns
			case "max":
				s.Latency.Max = ns
			}
			continue
		}
		switch {
		case v.Unit == "sec/op":
			secPerOp = v.Value
		case v.Unit == unitDishes:
			s.DishesPerSec = v.Value
		case strings.HasPrefix(v.Unit, "dishes/"):
			return s, fmt.Errorf("benchmark %s: unit %s: throughput must be in %s", rec.Name, v.Unit, unitDishes)
		case v.Unit == unitFailed:
			if v.Value != math.Trunc(v.Value) || v.Value > math.MaxInt32 {
				return s, fmt.Errorf("benchmark %s: %v %s: want a whole number", rec.Name, v.Value, v.Unit)
			}
			s.Failed = int(v.Value)
		}
		// Other units (B/op, allocs/op, custom metrics) are not ours: skip.
	}
	if secPerOp < 0 {
		return s, fmt.Errorf("benchmark %s: no ns/op measurement", rec.Name)
	}
	s.Elapsed = time.Duration(min(secPerOp*1e9*float64(rec.Iters), math.MaxInt64/2))
	if s.DishesPerSec == 0 && secPerOp > 0 {
		s.DishesPerSec = 1 / secPerOp
	}
	s.Orders = s.Served + s.Failed
	return s, nil
}

func origValue(v benchfmt.Value) float64 {
	if v.OrigUnit != "" {
		return v.OrigValue
	}
	return v.Value
}

func origUnit(v benchfmt.Value) string {
	if v.OrigUnit != "" {
		return v.OrigUnit
	}
	return v.Unit
}
