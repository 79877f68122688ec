package bench

import (
	"context"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/alitto/pond/v2"
	"github.com/panjf2000/ants/v2"
	"github.com/sourcegraph/conc/pool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sync/errgroup"

	"github.com/kitchenbench/kitchenbench/internal/kitchentest"
	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/strategies"
)

// Peers side by side (issue 6, item 5): our Pool against the worker pools
// a Go user would pick instead, each sized to GOMAXPROCS, serving the same
// menus under the same closed-loop driver (Run) in the same process. Every
// peer cooks with strategies.Cook, the very cook of Pool, so only the
// dispatch differs: Pool's cooks take orders from the queue themselves,
// while a peer's caller receives each order and submits a task.
//
// The peer libraries appear only in this test file, so the kitchen binary
// does not link them.
//
//	go test -run '^$' -bench Peers -cpu 1,2 -count 10 ./bench > peers.txt
//	benchstat -col /pool peers.txt

// ants starts a default pool, and its two housekeeping goroutines, when
// the package loads; release it so goleak in TestMain sees only our own.
func init() { ants.Release() }

// peerKitchens are the kitchens of the comparison: the built-in banquet
// and steak-and-salad, where a dish is a few milliseconds and the hand-off
// a few microseconds of it, and tapas, dishes of a single 1 µs step
// (overheadMenu), where the hand-off is most of the cost.
func peerKitchens(b *testing.B) []*kitchen.Kitchen {
	var ms []*kitchen.Menu
	for _, name := range []string{"banquet", "steak-and-salad"} {
		m, ok := kitchen.Lookup(name)
		if !ok {
			b.Fatalf("no menu %q", name)
		}
		ms = append(ms, m)
	}
	tapas := overheadMenu(1, 1)
	tapas.Name = "tapas"
	ms = append(ms, tapas)
	ks := make([]*kitchen.Kitchen, len(ms))
	for i, m := range ms {
		k, err := kitchen.New(m)
		if err != nil {
			b.Fatal(err)
		}
		ks[i] = k
	}
	return ks
}

// peers returns the pools of the comparison, ours first (benchstat's base
// column).
func peers() []strategies.Strategy {
	return []strategies.Strategy{
		named{"ours", strategies.Pool{}},
		errgroupPool{},
		antsPool{},
		pondPool{},
		concPool{},
	}
}

// BenchmarkPeers serves banquet and steak-and-salad with each pool; one
// op is one dish. (Tapas, where the pools differ most, is left to
// BenchmarkPeerRatio, to keep the default benchmark run under 3 minutes.)
func BenchmarkPeers(b *testing.B) {
	for _, k := range peerKitchens(b)[:2] {
		for _, s := range peers() {
			b.Run("menu="+k.Menu.Name+"/pool="+s.Name(), func(b *testing.B) {
				benchServe(b, k, s)
			})
		}
	}
}

// TestPeersServeEveryOrder checks the wrappers keep Strategy's contract:
// every order served once, with every grill given back.
func TestPeersServeEveryOrder(t *testing.T) {
	for _, s := range peers() {
		t.Run(s.Name(), func(t *testing.T) {
			k := kitchentest.New(t, quickMenu())
			res, err := Run(context.Background(), k, s, Load{Orders: 200})
			require.NoError(t, err)
			assert.Equal(t, 200, res.Served, "served")
			inUse, _ := k.Grills.Stats()
			assert.Zero(t, inUse, "grills in use after Run")
		})
	}
}

// TestPeersStopOnCancel checks a peer abandons its dishes when ctx ends.
func TestPeersStopOnCancel(t *testing.T) {
	m := quickMenu()
	m.Dishes[0].Steps[2].Wait = time.Minute // steaks rest a minute
	for _, s := range peers() {
		t.Run(s.Name(), func(t *testing.T) {
			k := kitchentest.New(t, m)
			ctx, cancel := cancelAtStep(2)
			defer cancel()
			res, err := Run(ctx, k, s, Load{Orders: 1000})
			require.ErrorIs(t, err, context.Canceled)
			assert.Positive(t, res.Cancelled)
		})
	}
}

// named renames a strategy.
type named struct {
	name string
	strategies.Strategy
}

func (n named) Name() string { return n.name }

// peerCapacity is Pool's: GOMAXPROCS cooks.
func peerCapacity(cores int) kitchen.Capacity {
	return strategies.Pool{}.Capacity(cores)
}

// cooks hands each task a strategies.Cook: the peers have no worker
// identity to hang a cook on, so they borrow one per dish, as a Go user
// would keep per-worker state in a sync.Pool.
func cooks(k *kitchen.Kitchen) *sync.Pool {
	return &sync.Pool{New: func() any { return strategies.NewCook(k) }}
}

// cookOne serves o with a borrowed cook and reports it.
func cookOne(ctx context.Context, cs *sync.Pool, o *strategies.Order, done func(*strategies.Order)) {
	c := cs.Get().(*strategies.Cook)
	c.Serve(ctx, o)
	cs.Put(c)
	done(o)
}

// feed receives orders until orders closes or ctx ends, and submits each.
func feed(ctx context.Context, orders <-chan *strategies.Order, submit func(*strategies.Order)) {
	stop := ctx.Done()
	for {
		select {
		case o, ok := <-orders:
			if !ok {
				return
			}
			submit(o)
		case <-stop:
			return
		}
	}
}

// errgroupPool is golang.org/x/sync/errgroup with SetLimit: a goroutine per
// task, at most GOMAXPROCS at once; Go blocks at the limit.
type errgroupPool struct{}

func (errgroupPool) Name() string                        { return "errgroup" }
func (errgroupPool) Capacity(cores int) kitchen.Capacity { return peerCapacity(cores) }

func (errgroupPool) Serve(ctx context.Context, k *kitchen.Kitchen, orders <-chan *strategies.Order, done func(*strategies.Order)) error {
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	cs := cooks(k)
	feed(ctx, orders, func(o *strategies.Order) {
		g.Go(func() error {
			cookOne(ctx, cs, o, done)
			return nil
		})
	})
	g.Wait()
	return ctx.Err()
}

// antsPool is github.com/panjf2000/ants/v2's pool with a fixed function,
// its allocation-free form: GOMAXPROCS workers; Invoke blocks when all are
// busy.
type antsPool struct{}

func (antsPool) Name() string                        { return "ants" }
func (antsPool) Capacity(cores int) kitchen.Capacity { return peerCapacity(cores) }

func (antsPool) Serve(ctx context.Context, k *kitchen.Kitchen, orders <-chan *strategies.Order, done func(*strategies.Order)) error {
	var wg sync.WaitGroup
	cs := cooks(k)
	p, err := ants.NewPoolWithFuncGeneric(runtime.GOMAXPROCS(0), func(o *strategies.Order) {
		defer wg.Done()
		cookOne(ctx, cs, o, done)
	}, ants.WithPreAlloc(true), ants.WithDisablePurge(true))
	if err != nil {
		return err
	}
	feed(ctx, orders, func(o *strategies.Order) {
		wg.Add(1)
		if err := p.Invoke(o); err != nil {
			panic("ants: Invoke: " + err.Error()) // the pool is open until feed returns
		}
	})
	wg.Wait()
	// Close the pool and wait for its workers to exit, yielding while
	// they do. Not ReleaseTimeout: it spins until ants' clock goroutine
	// has stopped, and on one core that goroutine waits for the spinner's
	// 10 ms preemption, a cost of tearing the pool down, not of serving,
	// which made ants look 3-20% slower in 100 ms blocks
	// (BenchmarkPeerRatio). The clock goroutine itself exits on its own
	// once it next runs.
	p.Release()
	for p.Running() > 0 {
		runtime.Gosched()
	}
	return ctx.Err()
}

// pondPool is github.com/alitto/pond/v2: at most GOMAXPROCS tasks at once,
// the rest queued (unbounded, so Go never blocks).
type pondPool struct{}

func (pondPool) Name() string                        { return "pond" }
func (pondPool) Capacity(cores int) kitchen.Capacity { return peerCapacity(cores) }

func (pondPool) Serve(ctx context.Context, k *kitchen.Kitchen, orders <-chan *strategies.Order, done func(*strategies.Order)) error {
	p := pond.NewPool(runtime.GOMAXPROCS(0))
	cs := cooks(k)
	feed(ctx, orders, func(o *strategies.Order) {
		if err := p.Go(func() { cookOne(ctx, cs, o, done) }); err != nil {
			panic("pond: Go: " + err.Error()) // the pool is open until feed returns
		}
	})
	p.StopAndWait()
	return ctx.Err()
}

// concPool is github.com/sourcegraph/conc/pool with WithMaxGoroutines:
// GOMAXPROCS goroutines reused for tasks; Go blocks at the limit.
type concPool struct{}

func (concPool) Name() string                        { return "conc" }
func (concPool) Capacity(cores int) kitchen.Capacity { return peerCapacity(cores) }

func (concPool) Serve(ctx context.Context, k *kitchen.Kitchen, orders <-chan *strategies.Order, done func(*strategies.Order)) error {
	p := pool.New().WithMaxGoroutines(runtime.GOMAXPROCS(0))
	cs := cooks(k)
	feed(ctx, orders, func(o *strategies.Order) {
		p.Go(func() { cookOne(ctx, cs, o, done) })
	})
	p.Wait()
	return ctx.Err()
}

// BenchmarkPeerRatio measures our pool against each peer in paired rounds
// (see Paired): one op is one round of four blocks of about 30 ms, two
// served by each; the metric ours/peer is the median over the op's rounds
// of our dishes/s ÷ the peer's. Separate benchmarks (BenchmarkPeers) run
// seconds apart, and this machine's speed drifts by more than the
// difference between the pools in that time; within a round it does not.
// The row peer=ours pits our pool against itself: what the method reads
// when there is no difference.
//
//	go test -run '^$' -bench PeerRatio -cpu 1,2 -count 10 ./bench | tee ratio.txt
//	benchstat -col /peer ratio.txt
func BenchmarkPeerRatio(b *testing.B) {
	for _, k := range peerKitchens(b) {
		for _, s := range peers() {
			b.Run("menu="+k.Menu.Name+"/peer="+s.Name(), func(b *testing.B) {
				benchPaired(b, k, s, strategies.Pool{}, "ours/peer")
			})
		}
	}
}
