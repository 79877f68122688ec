package bench

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
	"time"
)

// Usage is what the process and the machine did with their CPUs over a
// measured window: the evidence for telling a slow strategy from a starved
// process. A strategy that leaves cores idle shows little CPU time and an
// idle machine; a process that other work (a neighbour, a noisy host) kept
// from its cores shows little CPU time beside busy other processes or
// steal.
type Usage struct {
	Window time.Duration // wall-clock length of the window the figures cover
	CPU    time.Duration // the process's user+system CPU time (getrusage)
	// Machine says Busy and Steal were read (from /proc/stat, Linux only).
	Machine bool
	Busy    time.Duration // every CPU's non-idle time, this process's included
	Steal   time.Duration // time the hypervisor ran something else
	// Companion is the CPU time of the run's own child processes (the
	// grill services, see addCompanion): part of Busy, not "other".
	Companion time.Duration
	// Waited says Wait was read (/proc/self/task/*/schedstat, Linux).
	Waited bool
	// Wait is the time the process's threads spent runnable but waiting
	// for a CPU, summed over threads: what a latency feels when other
	// work holds the cores, even where the process needs little CPU.
	Wait time.Duration
}

// Cores returns how many cores the process ran on, on average.
func (u Usage) Cores() float64 {
	if u.Window <= 0 {
		return 0
	}
	return float64(u.CPU) / float64(u.Window)
}

// Other returns the CPU time everything else on the machine used: Busy
// less the process's own, never negative (the two are read a moment apart
// and /proc/stat counts in clock ticks).
func (u Usage) Other() time.Duration {
	if !u.Machine {
		return 0
	}
	return max(u.Busy-u.CPU-u.Companion, 0)
}

// usageMark is one reading of the counters Usage subtracts.
type usageMark struct {
	at      int64 // strategies.Now
	cpu     time.Duration
	machine bool
	busy    time.Duration
	steal   time.Duration
	waited  bool
	wait    time.Duration
	comp    time.Duration // companions' CPU time
}

// since returns the usage from m0 to m.
func (m usageMark) since(m0 usageMark) Usage {
	u := Usage{Window: time.Duration(m.at - m0.at), CPU: max(m.cpu-m0.cpu, 0)}
	if m.machine && m0.machine {
		u.Machine = true
		u.Busy = max(m.busy-m0.busy, 0)
		u.Steal = max(m.steal-m0.steal, 0)
		u.Companion = max(m.comp-m0.comp, 0)
	}
	if m.waited && m0.waited {
		u.Waited = true
		u.Wait = max(m.wait-m0.wait, 0) // a thread that exited takes its share along
	}
	return u
}

// readUsage reads the process's CPU time and, where present, the machine's
// counters. It costs some tens of microseconds (one system call and one
// small file), taken twice per sample at the window's edges.
func readUsage(now int64) usageMark {
	m := usageMark{at: now, cpu: processCPU()}
	if b, err := os.ReadFile("/proc/stat"); err == nil {
		m.busy, m.steal, m.machine = parseProcStat(b, clockTick)
		m.comp = companionCPU()
	}
	m.wait, m.waited = runQueueWait()
	return m
}

// runQueueWait sums, over the process's threads, the time each spent
// waiting on a run queue (the second field of its schedstat). ok is false
// where /proc/self/task is missing.
func runQueueWait() (time.Duration, bool) {
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return 0, false
	}
	var total time.Duration
	found := false
	for _, t := range tasks {
		b, err := os.ReadFile("/proc/self/task/" + t.Name() + "/schedstat")
		if err != nil {
			continue // the thread exited meanwhile
		}
		if w, ok := parseSchedstat(b); ok {
			total += w
			found = true
		}
	}
	return total, found
}

// parseSchedstat reads the run-queue wait, in ns, from a schedstat line:
// "time-on-cpu wait-on-runqueue timeslices".
func parseSchedstat(b []byte) (time.Duration, bool) {
	f := bytes.Fields(b)
	if len(f) < 2 {
		return 0, false
	}
	v, err := strconv.ParseInt(string(f[1]), 10, 64)
	if err != nil || v < 0 {
		return 0, false
	}
	return time.Duration(v), true
}

// clockTick is the unit of /proc/stat: USER_HZ, 100 on every Linux
// architecture Go supports.
const clockTick = 10 * time.Millisecond

// parseProcStat reads the aggregate "cpu" line of /proc/stat: busy is
// user + nice + system + irq + softirq (guest time is already inside user
// and nice), steal the steal column; idle and iowait are neither. ok is
// false when the line is missing or malformed.
func parseProcStat(b []byte, tick time.Duration) (busy, steal time.Duration, ok bool) {
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		f := bytes.Fields(sc.Bytes())
		if len(f) < 5 || string(f[0]) != "cpu" {
			continue
		}
		col := func(i int) (int64, bool) {
			if i >= len(f) {
				return 0, true // older kernels have fewer columns
			}
			v, err := strconv.ParseInt(string(f[i]), 10, 64)
			return v, err == nil && v >= 0
		}
		var ticks [8]int64 // user nice system idle iowait irq softirq steal
		for i := range ticks {
			v, good := col(i + 1)
			if !good {
				return 0, 0, false
			}
			ticks[i] = v
		}
		busy := ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6]
		return time.Duration(busy) * tick, time.Duration(ticks[7]) * tick, true
	}
	return 0, 0, false
}
