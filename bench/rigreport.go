package bench

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/kitchenbench/kitchenbench/grill"
	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/results"
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

// MeasureWithIO is MeasureShown (progress and warnings on w) with the
// real I/O of m's menus: it starts the grill services and the pantry
// they need (StartIO with opt) for this measurement, describes them on w
// (Describe), and after the run reports their CPU time beside this
// process's (ReportCPU). Both are stopped before it returns, on every
// path. When they cannot be started it returns a nil file and the error;
// on interruption, what was measured, marked partial, with the context's
// error.
func MeasureWithIO(ctx context.Context, w io.Writer, m *Matrix, opt IOOptions, o MeasureOptions) (*results.File, error) {
	rig, err := StartIO(ctx, m.Menus, opt)
	if err != nil {
		return nil, err
	}
	defer rig.Close() // a child also stops with ctx
	rig.Describe(w)
	m.IO = rig
	defer func() { m.IO = nil }()
	cpu0 := ProcessCPU()
	f, err := MeasureShown(ctx, w, m, o)
	rig.ReportCPU(w, m.Menus, ProcessCPU()-cpu0)
	return f, err
}
