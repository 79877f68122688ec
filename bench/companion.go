package bench

import (
	"bytes"
	"os"
	"strconv"
	"sync"
	"time"
)

// Companions are child processes that work for the measurement — the
// grill services a Rig starts — whose CPU time is the run's own, not a
// neighbour's: a sample whose strategy left cores to its grill service
// was not starved by another process. Usage subtracts their CPU time
// from the machine's busy time before it counts what "other" processes
// took.
var companions struct {
	mu   sync.Mutex // guards pids
	pids map[int]bool
}

// addCompanion counts pid's CPU time as the run's own until
// removeCompanion.
func addCompanion(pid int) {
	companions.mu.Lock()
	defer companions.mu.Unlock()
	if companions.pids == nil {
		companions.pids = map[int]bool{}
	}
	companions.pids[pid] = true
}

func removeCompanion(pid int) {
	companions.mu.Lock()
	defer companions.mu.Unlock()
	delete(companions.pids, pid)
}

// companionCPU sums the user and system CPU time of the live companions,
// from /proc/PID/stat (clock ticks, as /proc/stat counts the machine's).
func companionCPU() time.Duration {
	companions.mu.Lock()
	defer companions.mu.Unlock()
	var total time.Duration
	for pid := range companions.pids {
		b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if err != nil {
			continue
		}
		total += parsePidStatCPU(b, clockTick)
	}
	return total
}

// parsePidStatCPU reads utime and stime (fields 14 and 15) of a
// /proc/PID/stat line; the command name, field 2, is in parentheses and
// may hold spaces, so fields count from the last ')'.
func parsePidStatCPU(b []byte, tick time.Duration) time.Duration {
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0
	}
	f := bytes.Fields(b[i+1:])
	// After ')': state is field 3, so utime (14) is f[11] and stime f[12].
	if len(f) < 13 {
		return 0
	}
	u, err1 := strconv.ParseInt(string(f[11]), 10, 64)
	s, err2 := strconv.ParseInt(string(f[12]), 10, 64)
	if err1 != nil || err2 != nil {
		return 0
	}
	return time.Duration(u+s) * tick
}
