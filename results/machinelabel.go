package results

import (
	"fmt"
	"path/filepath"
	"strings"
)

// MachineLabels names each file's machine for legends, tables and
// verdicts, by what tells the files apart. A file's own label (`kitchen
// run --label`) comes first, else its machine name, else "CPU model / N
// cpus". Files whose names still coincide get what differs between them
// appended: the date (the day, or the minute when they share a day), the
// commit, the Go version, the kernel, the file name; never a bare "(2)".
// Only when nothing differs is a file named by its position ("file 2").
//
// Note: Labels (the file's base name) serves column headers of compare,
// where the file is what the user typed; these labels describe machines.
func MachineLabels(files []*File) []string {
	labels := make([]string, len(files))
	for i, f := range files {
		labels[i] = baseMachineLabel(f)
	}
	// Distinguishers, in the order they are tried: each returns "" when
	// it has nothing to say about a file.
	type distinguisher func(f *File) string
	day := func(f *File) string {
		if f.Machine.Date.IsZero() {
			return ""
		}
		return f.Machine.Date.UTC().Format("2006-01-02")
	}
	minute := func(f *File) string {
		if f.Machine.Date.IsZero() {
			return ""
		}
		return f.Machine.Date.UTC().Format("2006-01-02 15:04")
	}
	commit := func(f *File) string {
		c := f.Machine.Commit
		if base, dirty := strings.CutSuffix(c, "-dirty"); len(base) > 7 {
			c = base[:7]
			if dirty {
				c += "-dirty"
			}
		}
		if c == "" {
			return ""
		}
		return "commit " + c
	}
	goVersion := func(f *File) string { return f.Machine.GoVersion }
	kernel := func(f *File) string {
		if f.Machine.Kernel == "" {
			return ""
		}
		return "kernel " + f.Machine.Kernel
	}
	file := func(f *File) string {
		if f.Path == "" {
			return ""
		}
		return filepath.Base(f.Path)
	}
	for _, d := range []distinguisher{day, minute, commit, goVersion, kernel, file} {
		groups := map[string][]int{}
		for i, l := range labels {
			groups[l] = append(groups[l], i)
		}
		for _, idx := range groups {
			if len(idx) < 2 {
				continue
			}
			values := map[string]bool{}
			for _, i := range idx {
				values[d(files[i])] = true
			}
			if len(values) < 2 {
				continue // this field is the same for the whole group
			}
			for _, i := range idx {
				if v := d(files[i]); v != "" {
					labels[i] += ", " + v
				}
			}
		}
	}
	// The day was tried before the minute: drop a day that the minute
	// repeats ("…, 2026-11-25, 2026-11-25 13:18").
	for i, l := range labels {
		if head, tail, ok := strings.Cut(l, ", "); ok {
			parts := strings.Split(tail, ", ")
			var kept []string
			for j, p := range parts {
				if j+1 < len(parts) && strings.HasPrefix(parts[j+1], p+" ") {
					continue
				}
				kept = append(kept, p)
			}
			labels[i] = strings.Join(append([]string{head}, kept...), ", ")
		}
	}
	seen := map[string]int{}
	for _, l := range labels {
		seen[l]++
	}
	for i, l := range labels {
		if seen[l] > 1 {
			labels[i] = fmt.Sprintf("%s, file %d", l, i+1)
		}
	}
	return labels
}

// baseMachineLabel is a file's own name for its machine.
func baseMachineLabel(f *File) string {
	m := f.Machine
	switch {
	case m.Label != "":
		return m.Label
	case m.Name != "":
		return m.Name
	case m.CPUModel != "" && m.LogicalCPUs > 0:
		return fmt.Sprintf("%s / %d cpus", m.CPUModel, m.LogicalCPUs)
	case m.CPUModel != "":
		return m.CPUModel
	case m.LogicalCPUs > 0:
		return fmt.Sprintf("%d cpus", m.LogicalCPUs)
	}
	return "unnamed machine"
}

// Labels returns a short, distinct label per file for column headers: the
// file's base name without extension, else the machine name, else "#i".
func Labels(files []*File) []string {
	labels := make([]string, len(files))
	seen := map[string]int{}
	for i, f := range files {
		l := strings.TrimSuffix(filepath.Base(f.Path), filepath.Ext(f.Path))
		if f.Path == "" {
			l = f.Machine.Name
		}
		if l == "" || l == "." {
			l = fmt.Sprintf("#%d", i+1)
		}
		seen[l]++
		if seen[l] > 1 {
			l = fmt.Sprintf("%s#%d", l, i+1)
		}
		labels[i] = l
	}
	return labels
}
