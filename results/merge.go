package results

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Merge combines result files measured on the same machine into one, as if
// one run had taken all their samples: samples are concatenated (each
// cell's Iter renumbered in order), histograms kept, so Summarize then
// recomputes percentiles from the merged histograms. The result takes its
// machine and configuration from the first file, keeps every file's knees
// and menu definitions (those defined only in later files too), and is
// partial if any file is. Files from different machines (CPU model, CPU
// count, OS or architecture) are refused, and so are files whose samples
// are defined differently (sample duration, warm-up, arrivals, rate,
// customers, a menu redefined under the same name, go test -bench against
// timed windows: see Mismatches): their figures do not mix; compare them
// instead.
func Merge(files ...*File) (*File, error) {
	if len(files) == 0 {
		return nil, fmt.Errorf("merge: no files")
	}
	var severe []string
	for _, m := range Mismatches(files) {
		if m.Severe {
			severe = append(severe, m.Text)
		}
	}
	if len(severe) > 0 {
		return nil, fmt.Errorf("merge: the files' samples are defined differently; compare them instead:\n  %s", strings.Join(severe, "\n  "))
	}
	first := files[0]
	out := &File{Schema: SchemaVersion, Machine: first.Machine, Config: first.Config}
	out.Config.Menus = nil
	out.Machine.GOMAXPROCS = nil
	out.Config.Cores = nil
	out.Config.Strategies = nil
	iters := map[Cell]int{}
	for i, f := range files {
		if a, b := first.Machine, f.Machine; a.CPUModel != b.CPUModel || a.LogicalCPUs != b.LogicalCPUs || a.OS != b.OS || a.Arch != b.Arch {
			return nil, fmt.Errorf("merge: %s was measured on %s but %s on %s: merging would mix machines; compare them instead",
				nameOf(first, 0), machineShort(a), nameOf(f, i), machineShort(b))
		}
		out.Partial = out.Partial || f.Partial
		for name, def := range f.Config.Menus {
			if out.Config.Menus == nil {
				out.Config.Menus = map[string]json.RawMessage{}
			}
			if _, ok := out.Config.Menus[name]; !ok {
				out.Config.Menus[name] = slices.Clone(def)
			}
		}
		out.Knees = append(out.Knees, f.Knees...)
		for _, s := range f.Samples {
			s.Iter = iters[s.Cell()]
			iters[s.Cell()]++
			out.Samples = append(out.Samples, s)
			if !slices.Contains(out.Config.Strategies, s.Strategy) {
				out.Config.Strategies = append(out.Config.Strategies, s.Strategy)
			}
			if !slices.Contains(out.Config.Cores, s.Cores) {
				out.Config.Cores = append(out.Config.Cores, s.Cores)
			}
		}
	}
	slices.Sort(out.Config.Cores)
	out.Machine.GOMAXPROCS = slices.Clone(out.Config.Cores)
	out.Config.Count = 0
	for _, n := range iters {
		out.Config.Count = max(out.Config.Count, n)
	}
	return out, nil
}

func nameOf(f *File, i int) string {
	if f.Path != "" {
		return f.Path
	}
	return fmt.Sprintf("file #%d", i+1)
}

func machineShort(m Machine) string {
	parts := []string{}
	if m.CPUModel != "" {
		parts = append(parts, m.CPUModel)
	}
	parts = append(parts, fmt.Sprintf("%d CPUs", m.LogicalCPUs), m.OS+"/"+m.Arch)
	return strings.Join(parts, ", ")
}
