//go:build !unix

package grill

import "errors"

// RaiseFileLimit is a no-op where there is no RLIMIT_NOFILE.
func RaiseFileLimit() (uint64, error) { return 0, errors.New("grill: no RLIMIT_NOFILE on this system") }
