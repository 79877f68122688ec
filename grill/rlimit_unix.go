//go:build unix

package grill

import (
	"fmt"
	"syscall"
)

// RaiseFileLimit raises this process's soft limit on open files
// (RLIMIT_NOFILE) to its hard limit and returns the new soft limit. Go
// does the same at start since Go 1.19; calling it says so explicitly and
// tells how many connections fit. Ten thousand calls in flight need ten
// thousand descriptors on each side.
func RaiseFileLimit() (uint64, error) {
	var r syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &r); err != nil {
		return 0, fmt.Errorf("grill: getrlimit(RLIMIT_NOFILE): %w", err)
	}
	if r.Cur < r.Max {
		r.Cur = r.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &r); err != nil {
			return 0, fmt.Errorf("grill: setrlimit(RLIMIT_NOFILE, %d): %w", r.Max, err)
		}
	}
	return uint64(r.Cur), nil
}
