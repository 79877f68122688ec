//go:build unix

package bench

import (
	"syscall"
	"time"
)

// processCPU returns the process's user+system CPU time so far, all
// threads together (getrusage(RUSAGE_SELF)), or 0 if it cannot be read.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
