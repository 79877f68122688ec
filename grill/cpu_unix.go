//go:build unix

package grill

import (
	"syscall"
	"time"
)

// CPUTime is this process's user and system CPU time so far, all threads,
// from getrusage(RUSAGE_SELF).
func CPUTime() (user, sys time.Duration) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, 0
	}
	return time.Duration(ru.Utime.Nano()), time.Duration(ru.Stime.Nano())
}
