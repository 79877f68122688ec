package bench

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/kitchenbench/kitchenbench/grill"
	"github.com/kitchenbench/kitchenbench/kitchen"
)

// Describe writes what the rig started and measured, one "kitchen: "
// line each: its grill services, the empty call's round trip and the
// open-file limit, and the pantry with its read cost.
func (r *Rig) Describe(w io.Writer) {
	for _, s := range r.Services() {
		fmt.Fprintf(w, "kitchen: %s\n", s)
	}
	if r.CallRTT > 0 {
		fmt.Fprintf(w, "kitchen: empty call round trip %v (median of 201), open-file limit raised to %d\n", r.CallRTT.Round(100*time.Nanosecond), r.FileLimit)
	}
	if p := r.Pantry(); p != nil {
		how := "through the page cache"
		if p.Direct {
			how = "with O_DIRECT"
		}
		fmt.Fprintf(w, "kitchen: pantry of %s at %s, read %s: %.0f ns/KiB (median of 101)\n", kitchen.FormatSize(p.Size), p.File.Name(), how, r.ReadNsPerKiB)
	}
}

// ReportCPU writes the grill services' CPU time for menus beside run,
// this process's CPU time over the run (ProcessCPU), in one line; nothing
// when no menu had a grill service.
func (r *Rig) ReportCPU(w io.Writer, menus []*kitchen.Menu, run time.Duration) {
	var parts []string
	for _, m := range menus {
		if cpu, ok := r.GrillCPU(m.Name); ok {
			parts = append(parts, fmt.Sprintf("%s %v", m.Name, cpu.Round(time.Millisecond)))
		}
	}
	if len(parts) == 0 {
		return
	}
	fmt.Fprintf(w, "kitchen: CPU time: this run %v; grill services (since start, calibration included): %s\n", run.Round(time.Millisecond), strings.Join(parts, ", "))
}

// ProcessCPU is this process's user + system CPU time so far.
func ProcessCPU() time.Duration {
	u, s := grill.CPUTime()
	return u + s
}
