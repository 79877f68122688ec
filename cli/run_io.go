package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/kitchenbench/kitchenbench/bench"
	"github.com/kitchenbench/kitchenbench/grill"
	"github.com/kitchenbench/kitchenbench/kitchen"
)

// startIO starts the grill services and the pantry o's menus need and
// says what it started and measured.
func startIO(ctx context.Context, stderr io.Writer, o *runOptions) (*bench.Rig, error) {
	rig, err := bench.StartIO(ctx, o.menus, o.io)
	if err != nil {
		return nil, err
	}
	for _, s := range rig.Services() {
		fmt.Fprintf(stderr, "kitchen: %s\n", s)
	}
	if rig.CallRTT > 0 {
		fmt.Fprintf(stderr, "kitchen: empty call round trip %v (median of 201), open-file limit raised to %d\n", rig.CallRTT.Round(100*time.Nanosecond), rig.FileLimit)
	}
	if p := rig.Pantry(); p != nil {
		how := "through the page cache"
		if p.Direct {
			how = "with O_DIRECT"
		}
		fmt.Fprintf(stderr, "kitchen: pantry of %s at %s, read %s: %.0f ns/KiB (median of 101)\n", formatBytes(p.Size), p.File.Name(), how, rig.ReadNsPerKiB)
	}
	return rig, nil
}

// reportIOCPU prints the grill services' CPU time beside this process's.
func reportIOCPU(stderr io.Writer, rig *bench.Rig, menus []*kitchen.Menu, run time.Duration) {
	var parts []string
	for _, m := range menus {
		if cpu, ok := rig.GrillCPU(m.Name); ok {
			parts = append(parts, fmt.Sprintf("%s %v", m.Name, cpu.Round(time.Millisecond)))
		}
	}
	if len(parts) == 0 {
		return
	}
	fmt.Fprintf(stderr, "kitchen: CPU time: this run %v; grill services (since start, calibration included): %s\n", run.Round(time.Millisecond), strings.Join(parts, ", "))
}

// processCPU is this process's user + system CPU time so far.
func processCPU() time.Duration {
	u, s := grill.CPUTime()
	return u + s
}

func formatBytes(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}
