package bench

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/strategies"
)

// The load tests take seconds and hundreds of MB, so they run only when
// asked for, as `make load` and CI do:
//
//	KITCHEN_LOAD=1 go test -run TestLoad -v ./bench
func skipUnlessLoad(t *testing.T) {
	t.Helper()
	if testing.Short() || os.Getenv("KITCHEN_LOAD") != "1" {
		t.Skip("load test: set KITCHEN_LOAD=1 to run it")
	}
}

// TestLoadMillionOrders serves 1,000,000 orders of a one-unit dish with
// the pool: the driver's own cost per order (channel hand-offs, records,
// conservation) at scale, with every order accounted for.
func TestLoadMillionOrders(t *testing.T) {
	skipUnlessLoad(t)
	const orders = 1_000_000
	k, err := kitchen.New(&kitchen.Menu{
		Name: "crumbs", Customers: 256, Seed: 1,
		Dishes: []kitchen.Dish{
			{Name: "crumb", Weight: 3, Steps: []kitchen.Step{{Name: "sprinkle", Kind: kitchen.CPU, Units: 1}}},
			{Name: "crouton", Weight: 1, Steps: []kitchen.Step{{Name: "cube", Kind: kitchen.CPU, Units: 1}, {Name: "toss", Kind: kitchen.CPU, Units: 1}}},
		},
	})
	require.NoError(t, err)
	s, err := strategies.New("pool")
	require.NoError(t, err)

	res, peak := runEvery(context.Background(), t, k, s, orders, "1,000,000 orders")
	perDish := make([]int, len(k.Menu.Dishes))
	for _, r := range res.Records {
		perDish[r.Dish]++
	}
	assert.Equal(t, orders, perDish[0]+perDish[1], "records per dish")
	t.Logf("1,000,000 orders with pool at GOMAXPROCS=%d: %v, %.0f dishes/s; %s",
		runtime.GOMAXPROCS(0), res.Elapsed.Round(time.Millisecond), res.Throughput(), peak)
}

// TestLoadHundredThousandInFlight has an event loop hold 100,000 dishes at
// once: 100,000 customers each order one dish that spends about a second on
// one of 100,000 grills, so every order is placed at the start and waits on
// the loop's timers together.
func TestLoadHundredThousandInFlight(t *testing.T) {
	skipUnlessLoad(t)
	const n = 100_000
	k, err := kitchen.New(&kitchen.Menu{
		Name: "banquet-hall", Grills: n, Customers: n, Seed: 1,
		Dishes: []kitchen.Dish{{Name: "roast", Weight: 1, Steps: []kitchen.Step{
			{Name: "sear", Kind: kitchen.CPU, Units: 1},
			{Name: "roast", Kind: kitchen.Grill, Wait: time.Second},
			{Name: "carve", Kind: kitchen.CPU, Units: 1},
		}}},
	})
	require.NoError(t, err)
	var grilling atomic.Int64 // grill steps begun
	ctx := kitchen.WithTrace(context.Background(), &kitchen.Trace{StepStart: func(d *kitchen.Dish, step int) {
		if d.Steps[step].Kind == kitchen.Grill {
			grilling.Add(1)
		}
	}})
	s, err := strategies.New("eventloop")
	require.NoError(t, err)

	res, peak := runEvery(ctx, t, k, s, n, "100,000 in flight")
	assert.Equal(t, int64(n), grilling.Load(), "grill steps begun")
	inUse, maxInUse := k.Grills.Stats()
	assert.Zero(t, inUse, "grills still in use after the run")
	// How many grilled at once depends on how fast the loop starts them
	// compared with the 1 s grill, so it is reported, not asserted.
	t.Logf("100,000 orders in flight with eventloop: %v; at most %d on the grills at once; %s",
		res.Elapsed.Round(time.Millisecond), maxInUse, peak)
}

// runEvery runs n orders of k with s, watching the heap, and checks that
// every order was served once; it returns the result and the heap's peak.
func runEvery(ctx context.Context, t *testing.T, k *kitchen.Kitchen, s strategies.Strategy, n int, what string) (*Result, string) {
	t.Helper()
	mem := watchMemory(t)
	res, err := Run(ctx, k, s, Load{Orders: n})
	peak := mem.stop()
	require.NoError(t, err, "Run(%s): a *ConservationError is a lost or doubled order", what)
	assert.Equal(t, n, res.Submitted, "Run().Submitted")
	assert.Equal(t, n, res.Served, "Run().Served")
	assert.Zero(t, res.Failed+res.Cancelled+res.Unfinished, "Run() failed+cancelled+unfinished")
	assert.Len(t, res.Records, n, "Run().Records")
	return res, peak
}

// memoryWatch samples the heap while a load runs.
type memoryWatch struct {
	done chan struct{}
	wg   sync.WaitGroup
	heap uint64 // largest /memory/classes/heap/objects:bytes seen; written by the sampler until done
	tot  uint64 // largest /memory/classes/total:bytes seen; likewise
}

// watchMemory starts sampling the Go heap every 5 ms and resets the
// process's peak RSS (VmHWM), where Linux allows, so that stop reports
// this load's peaks.
func watchMemory(t *testing.T) *memoryWatch {
	t.Helper()
	runtime.GC()
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		t.Logf("cannot reset peak RSS (VmHWM covers the whole test process): %v", err)
	}
	w := &memoryWatch{done: make(chan struct{})}
	samples := []metrics.Sample{
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/total:bytes"},
	}
	sample := func() {
		metrics.Read(samples)
		w.heap = max(w.heap, samples[0].Value.Uint64())
		w.tot = max(w.tot, samples[1].Value.Uint64())
	}
	sample()
	tick := time.NewTicker(5 * time.Millisecond)
	w.wg.Go(func() {
		defer tick.Stop()
		for {
			select {
			case <-w.done:
				sample()
				return
			case <-tick.C:
				sample()
			}
		}
	})
	return w
}

// stop ends sampling and describes the peaks.
func (w *memoryWatch) stop() string {
	close(w.done)
	w.wg.Wait()
	return "peak Go heap objects " + mib(w.heap) + ", peak Go runtime total " + mib(w.tot) + ", peak RSS (VmHWM) " + vmHWM()
}

func mib(b uint64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }

// vmHWM reads the process's peak resident set size from /proc/self/status.
func vmHWM() string {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return "unknown (" + err.Error() + ")"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}
