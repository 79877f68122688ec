//go:build !unix

package grill

import "time"

// CPUTime is this process's CPU time; it reads zero where getrusage is
// missing.
func CPUTime() (user, sys time.Duration) { return 0, 0 }
