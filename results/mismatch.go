package results

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"time"
)

// A Mismatch is a difference between the configurations or machines of
// result files that a reader must know before reading their figures side
// by side. Compare, Check and Merge list them before anything else.
type Mismatch struct {
	// What differs: "sample duration", "warm-up", "arrivals", "rate",
	// "customers", "menu", "measurement", "count", "machine", "go version",
	// "calibration".
	What string
	// Menu is the one menu concerned ("" for the whole files).
	Menu string
	// Severe mismatches change what a figure means: the cells concerned
	// (Menu's, or every cell when Menu is "") are not tested as if alike.
	// The others (machine, Go version, count) are worth knowing but leave
	// the definitions of the figures alone.
	Severe bool
	Text   string // the difference, in words, with each file's value
	File   int    // the index of the file that differs from files[0]
}

func (m Mismatch) String() string { return m.Text }

// SameMachine reports whether a and b describe the same kind of machine:
// CPU model, logical CPUs, OS and architecture.
func SameMachine(a, b Machine) bool {
	return a.CPUModel == b.CPUModel && a.LogicalCPUs == b.LogicalCPUs && a.OS == b.OS && a.Arch == b.Arch
}

// timed reports whether f's samples are timed windows (kitchen run) rather
// than `go test -bench` results, where BenchmarkKitchen serves b.N orders
// to completion: only files of timed windows record a sample duration.
func timed(f *File) bool { return f.Config.Duration > 0 }

func arrivalOf(f *File) string {
	if f.Config.Arrival == "" {
		return "closed"
	}
	return f.Config.Arrival
}

func durationText(d time.Duration) string {
	if d == 0 {
		return "none"
	}
	return d.String()
}

// Mismatches compares the configurations and machines of files against
// files[0] and lists their differences, severe ones first.
func Mismatches(files []*File) []Mismatch {
	var out []Mismatch
	if len(files) < 2 {
		return nil
	}
	labels := Labels(files)
	a := files[0]
	for i := 1; i < len(files); i++ {
		b := files[i]
		la, lb := labels[0], labels[i]
		add := func(what, menu string, severe bool, format string, args ...any) {
			out = append(out, Mismatch{What: what, Menu: menu, Severe: severe, Text: fmt.Sprintf(format, args...), File: i})
		}
		switch {
		case timed(a) != timed(b):
			gt, tw := la, lb
			if timed(a) {
				gt, tw = lb, la
			}
			add("measurement", "", true, "measurement: %s holds go test -bench results (b.N orders run to completion, no sample window) but %s timed windows of %s: throughput and latency mean different things",
				gt, tw, durationText(max(a.Config.Duration, b.Config.Duration)))
		case a.Config.Duration != b.Config.Duration:
			add("sample duration", "", true, "sample duration: %s %s, %s %s: a closed loop's latencies and its cold start's share of dishes/s depend on the window",
				la, durationText(a.Config.Duration), lb, durationText(b.Config.Duration))
		}
		// An automatic warm-up is recorded as its cap, one window: two
		// automatic warm-ups of different windows are the duration's
		// mismatch, already named.
		autoA := a.Config.Warmup > 0 && a.Config.Warmup == a.Config.Duration
		autoB := b.Config.Warmup > 0 && b.Config.Warmup == b.Config.Duration
		if a.Config.Warmup != b.Config.Warmup && !(autoA && autoB) {
			add("warm-up", "", true, "warm-up: %s %s, %s %s: a window after less warm-up holds more of the cold start",
				la, warmupText(a.Config), lb, warmupText(b.Config))
		}
		if arrivalOf(a) != arrivalOf(b) {
			add("arrivals", "", true, "arrivals: %s %s, %s %s: a closed loop measures capacity, an open loop the latency at a given rate",
				la, arrivalOf(a), lb, arrivalOf(b))
		} else if arrivalOf(a) != "closed" && a.Config.Rate != b.Config.Rate {
			add("rate", "", true, "arrival rate: %s %s, %s %s", la, rateText(a.Config.Rate), lb, rateText(b.Config.Rate))
		}
		if a.Config.Customers != b.Config.Customers {
			add("customers", "", true, "customers: %s %s, %s %s", la, customersText(a.Config.Customers), lb, customersText(b.Config.Customers))
		}
		var names []string
		for name := range a.Config.Menus {
			if _, ok := b.Config.Menus[name]; ok {
				names = append(names, name)
			}
		}
		slices.Sort(names)
		for _, name := range names {
			if !sameJSON(a.Config.Menus[name], b.Config.Menus[name]) {
				add("menu", name, true, "menu %s is defined differently in %s and %s: its cells are not compared", name, la, lb)
			}
		}
		ma, mb := a.Machine, b.Machine
		if !SameMachine(ma, mb) {
			add("machine", "", false, "machine: %s on %s, %s on %s: dishes/s differ with the machine; compare the share of the model bound",
				la, machineShort(ma), lb, machineShort(mb))
		}
		if ma.GoVersion != mb.GoVersion && ma.GoVersion != "" && mb.GoVersion != "" {
			add("go version", "", false, "Go version: %s %s, %s %s", la, ma.GoVersion, lb, mb.GoVersion)
		}
		if ma.NsPerUnit > 0 && mb.NsPerUnit > 0 && math.Abs(mb.NsPerUnit/ma.NsPerUnit-1) > 0.10 {
			add("calibration", "", false, "calibration: one CPU work unit cost %s in %s and %s in %s (%+.0f%%): the machine ran at another speed",
				FormatNs(ma.NsPerUnit), la, FormatNs(mb.NsPerUnit), lb, 100*(mb.NsPerUnit/ma.NsPerUnit-1))
		}
		if a.Config.Count != b.Config.Count && a.Config.Count > 0 && b.Config.Count > 0 {
			add("count", "", false, "samples per cell: %s %d, %s %d", la, a.Config.Count, lb, b.Config.Count)
		}
	}
	slices.SortStableFunc(out, func(x, y Mismatch) int {
		switch {
		case x.Severe && !y.Severe:
			return -1
		case !x.Severe && y.Severe:
			return 1
		}
		return 0
	})
	return out
}

func warmupText(c Config) string {
	switch {
	case c.Warmup == 0:
		return "none"
	case c.Warmup == c.Duration:
		return "auto (at most " + c.Warmup.String() + ")"
	}
	return c.Warmup.String()
}

func rateText(r float64) string {
	if r == 0 {
		return "each menu's own"
	}
	return FormatRate(r) + "/s"
}

func customersText(n int) string {
	if n == 0 {
		return "each menu's own"
	}
	return fmt.Sprint(n)
}

// sameJSON reports whether two JSON texts hold the same value, whatever
// their spacing.
func sameJSON(a, b json.RawMessage) bool {
	// Compare what the documents say, not how they are spelled: a file
	// edited by another tool (jq, Python) may reorder keys, indent
	// differently or write "–" as "\u2013". Numbers stay as written
	// (UseNumber), so a uint64 seed is not rounded through a float.
	va, errA := decodeJSON(a)
	vb, errB := decodeJSON(b)
	if errA != nil || errB != nil {
		return bytes.Equal(a, b)
	}
	return reflect.DeepEqual(va, vb)
}

func decodeJSON(b json.RawMessage) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	err := d.Decode(&v)
	return v, err
}

// Incomparable returns why cell c cannot be compared as if alike under
// mismatches ms, or "" when it can.
func Incomparable(ms []Mismatch, c Cell) string {
	var why []string
	for _, m := range ms {
		if m.Severe && (m.Menu == "" || m.Menu == c.Menu) {
			why = append(why, m.What)
		}
	}
	return strings.Join(why, ", ")
}
