//go:build !unix

package bench

import "time"

// processCPU returns 0: getrusage is Unix only, so CPU time is not
// recorded here and no sample is judged starved.
func processCPU() time.Duration { return 0 }
