package bench

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"github.com/kitchenbench/kitchenbench/results"
)

// ThisMachine describes the machine it runs on for a result file: CPU
// model, CPU count, OS, kernel, Go version, the checkout's commit and the
// date. The hostname is included only when asked for: result files get
// committed and shared. Measure fills in the calibration and core counts.
func ThisMachine(ctx context.Context, withHostname bool) results.Machine {
	m := results.Machine{
		CPUModel:    cpuModel(),
		LogicalCPUs: runtime.NumCPU(),
		OS:          runtime.GOOS,
		Arch:        runtime.GOARCH,
		Kernel:      kernel(),
		GoVersion:   runtime.Version(),
		Commit:      gitCommit(ctx),
		Date:        time.Now().UTC().Truncate(time.Second),
	}
	if withHostname {
		m.Hostname, _ = os.Hostname()
		m.Name = m.Hostname
	}
	return m
}

func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

func kernel() string {
	b, err := os.ReadFile("/proc/sys/kernel/osrelease")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// gitCommit returns the checkout's commit, marked "-dirty" when it has
// uncommitted changes, or "" outside a checkout.
func gitCommit(ctx context.Context) string {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "git", "rev-parse", "HEAD").Output()
	if err != nil {
		return ""
	}
	commit := strings.TrimSpace(string(out))
	if st, err := exec.CommandContext(ctx, "git", "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(strings.TrimSpace(string(st))) > 0 {
		commit += "-dirty"
	}
	return commit
}
