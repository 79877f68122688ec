// Package kitchentest holds helpers for the tests of packages that run
// kitchens (strategies, bench): a counter of CPU work in progress, fed
// through a kitchen.Trace, so a test can check that a strategy never
// computes on more cores at once than it claims; a count of open file
// descriptors, so a test can check that a run leaks none; Menu, which
// reads a test's menu from its testdata, and New, its kitchen. Package
// fixture is its sibling for result files.
package kitchentest

import (
	"os"
	"sync/atomic"
	"testing"

	"github.com/kitchenbench/kitchenbench/kitchen"
)

// New returns a kitchen for m, failing t where m is not valid.
func New(t testing.TB, m *kitchen.Menu) *kitchen.Kitchen {
	t.Helper()
	k, err := kitchen.New(m)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// Menu reads the menu file at path (a test's testdata/NAME.yaml), failing
// t where it does not load.
func Menu(t testing.TB, path string) *kitchen.Menu {
	t.Helper()
	m, err := kitchen.LoadMenu(path)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// OpenFDs returns how many file descriptors the process has open; it
// skips the test where /proc/self/fd cannot be read.
func OpenFDs(t testing.TB) int {
	t.Helper()
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("no /proc/self/fd: %v", err)
	}
	return len(fds)
}

// WorkCounter counts slices of CPU work: how many began and the most in
// progress at once. Its zero value is ready; it is safe for concurrent use.
type WorkCounter struct {
	active atomic.Int64
	max    atomic.Int64
	slices atomic.Int64
}

// Trace returns a new kitchen.Trace whose WorkStart and WorkDone feed c.
// Set its other hooks as needed before the run starts.
func (c *WorkCounter) Trace() *kitchen.Trace {
	return &kitchen.Trace{WorkStart: c.start, WorkDone: c.done}
}

func (c *WorkCounter) start() {
	n := c.active.Add(1)
	c.slices.Add(1)
	for {
		m := c.max.Load()
		if n <= m || c.max.CompareAndSwap(m, n) {
			return
		}
	}
}

func (c *WorkCounter) done() { c.active.Add(-1) }

// MaxActive returns the most slices ever in progress at once.
func (c *WorkCounter) MaxActive() int64 { return c.max.Load() }

// Slices returns how many slices began.
func (c *WorkCounter) Slices() int64 { return c.slices.Load() }
