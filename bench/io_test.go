package bench

import (
	"context"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitchenbench/kitchenbench/internal/kitchentest"
	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/strategies"
)

// netMenu is a small dinner-rush-net: calls and a read, quick holds.
func netMenu(t testing.TB) *kitchen.Menu { return kitchentest.Menu(t, "testdata/net.yaml") }

func startRig(t *testing.T, menus ...*kitchen.Menu) *Rig {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("grill service children are Linux-only")
	}
	r, err := StartIO(context.Background(), menus, IOOptions{PantrySize: 1 << 20, PantryDir: t.TempDir()})
	require.NoError(t, err, "StartIO")
	return r
}

// TestRigServesIOMenus: every blocking strategy serves a menu of calls and
// reads against a grill service child, the service reports its CPU time,
// and the run leaves no file descriptor open.
func TestRigServesIOMenus(t *testing.T) {
	before := kitchentest.OpenFDs(t)
	r := startRig(t, netMenu(t))
	assert.Positive(t, r.CallRTT, "CallRTT")
	assert.Positive(t, r.ReadNsPerKiB, "ReadNsPerKiB")
	require.Len(t, r.Services(), 1, "one child for one menu with calls")
	withRig := kitchentest.OpenFDs(t)
	m := &Matrix{
		Menus: []*kitchen.Menu{netMenu(t)}, Strategies: []string{"sync", "pool", "gil", "goroutines"},
		Cores: []int{2}, Count: 1, Duration: 500 * time.Millisecond, NsPerUnit: 1000, IO: r,
	}
	samples, err := m.Run(context.Background())
	require.NoError(t, err, "Matrix.Run")
	require.Len(t, samples, 4)
	var grillCPU float64
	for _, s := range samples {
		assert.Positive(t, s.Served, "%s served", s.Strategy)
		assert.Zero(t, s.Failed, "%s failed: %v", s.Strategy, s.Errors)
		assert.GreaterOrEqual(t, s.GrillCPUPerDish, 0.0, "%s: the service's CPU per dish", s.Strategy)
		grillCPU += s.GrillCPUPerDish
		assert.Positive(t, s.Bound, "%s bound", s.Strategy)
	}
	// The kernel counts CPU time in ticks: one sample may see none.
	assert.Positive(t, grillCPU, "the service's CPU per dish, over all samples")
	assert.Equal(t, withRig, kitchentest.OpenFDs(t), "fds after the runs = before them")
	require.NoError(t, r.Close(), "Rig.Close")
	assert.Equal(t, before, kitchentest.OpenFDs(t), "fds after Close = before StartIO")
}

// TestRigFaultsFailOrdersAndTheRunGoesOn kills the grill service mid-run:
// the orders whose calls were cut fail with a clear message, later ones
// fail to dial, and every order is accounted for.
func TestRigFaultsFailOrdersAndTheRunGoesOn(t *testing.T) {
	menu := netMenu(t)
	menu.Dishes[0].Steps[1].Wait = time.Hour
	r := startRig(t, menu)
	defer r.Close()
	k := kitchentest.New(t, menu)
	require.NoError(t, r.Equip(k))
	pid := r.grills[menu.Name].child.Pid()
	for _, name := range []string{"sync", "pool", "goroutines"} {
		s, err := strategies.New(name)
		require.NoError(t, err)
		done := make(chan struct{})
		var res *Result
		go func() {
			defer close(done)
			res, err = Run(context.Background(), k, s, Load{Orders: 40})
		}()
		if name == "sync" {
			// Wait for a call to be held, then kill the service under it.
			deadline := time.Now().Add(time.Minute) // a hang guard only
			for {
				st, e := r.grills[menu.Name].ctl.Stats()
				require.NoError(t, e)
				if st.Holding > 0 {
					break
				}
				require.False(t, time.Now().After(deadline), "no call held by the grill service within a minute")
				time.Sleep(time.Millisecond)
			}
			require.NoError(t, syscall.Kill(pid, syscall.SIGKILL))
		}
		<-done
		require.NoError(t, err, "%s: Run", name)
		assert.Equal(t, 40, res.Submitted, "%s submitted", name)
		assert.Equal(t, res.Submitted, res.Served+res.Failed+res.Cancelled+res.Unfinished, "%s conservation", name)
		assert.Positive(t, res.Failed, "%s failed", name)
		require.NotEmpty(t, res.Errors, "%s errors", name)
		for _, e := range res.Errors {
			assert.Regexp(t, `^dish "\w+" step 1 \(call\): grill: (call to|dial|hello to) 127\.0\.0\.1:\d+`, e, "%s error", name)
		}
	}
}

func TestMatrixRefusesIOMenusWithoutARig(t *testing.T) {
	m := &Matrix{Menus: []*kitchen.Menu{netMenu(t)}, Strategies: []string{"sync"}, Cores: []int{1}, Count: 1, Duration: time.Millisecond}
	_, err := m.Run(context.Background())
	assert.ErrorContains(t, err, `menu "net" has call or read steps: the matrix needs IO (StartIO)`)
}

func TestRigRefusesAGrillWithOtherGrills(t *testing.T) {
	r := startRig(t, netMenu(t))
	defer r.Close()
	other := netMenu(t)
	other.Grills = 3
	_, err := StartIO(context.Background(), []*kitchen.Menu{other}, IOOptions{Grill: r.grills["net"].ep.Addr})
	assert.ErrorContains(t, err, `has 8 grills but menu "net" has 3: start it with --grills 3`)
}
