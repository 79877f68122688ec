package bench

import (
	"context"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/strategies"
)

// logged records which strategy served each block, and the orders of
// each block in the order they were served.
type logged struct {
	strategies.Strategy
	name string
	mu   *sync.Mutex
	log  *[]string
	ids  *[][]int64
}

func (l logged) Name() string { return l.name }

func (l logged) Serve(ctx context.Context, k *kitchen.Kitchen, orders <-chan *strategies.Order, done func(*strategies.Order)) error {
	l.mu.Lock()
	*l.log = append(*l.log, l.name)
	*l.ids = append(*l.ids, nil)
	blk := len(*l.ids) - 1
	l.mu.Unlock()
	return l.Strategy.Serve(ctx, k, orders, func(o *strategies.Order) {
		l.mu.Lock()
		(*l.ids)[blk] = append((*l.ids)[blk], o.ID)
		l.mu.Unlock()
		done(o)
	})
}

func TestPairedAlternatesAndServesTheSameOrders(t *testing.T) {
	k, err := kitchen.New(quickMenu())
	require.NoError(t, err)
	var (
		mu  sync.Mutex
		log []string
		ids [][]int64
	)
	a := logged{strategies.Sync{}, "a", &mu, &log, &ids}
	b := logged{strategies.Pool{}, "b", &mu, &log, &ids}

	rounds, err := Paired(context.Background(), k, a, b, 40, 4)
	require.NoError(t, err)
	require.Len(t, rounds, 4)
	// ABBA: a steady drift in the machine's speed favours neither side.
	assert.Equal(t, []string{"a", "b", "b", "a", "a", "b", "b", "a"}, log)
	for i, r := range rounds {
		assert.Positive(t, r.Base, "round %d", i)
		assert.Positive(t, r.Other, "round %d", i)
		assert.InDelta(t, r.Other/r.Base, r.Ratio(), 1e-12)
	}
	// Every block serves orders 0..39 exactly once, so both sides of a
	// round cook the same dishes.
	for i, blk := range ids {
		seen := map[int64]int{}
		for _, id := range blk {
			seen[id]++
		}
		assert.Len(t, seen, 40, "block %d", i)
		for id := range int64(40) {
			assert.Equal(t, 1, seen[id], "block %d, order %d", i, id)
		}
	}
}

func TestPairedRejectsEmptyWork(t *testing.T) {
	k, err := kitchen.New(quickMenu())
	require.NoError(t, err)
	for _, c := range []struct{ orders, rounds int }{{0, 1}, {1, 0}, {-1, 3}} {
		_, err := Paired(context.Background(), k, strategies.Sync{}, strategies.Pool{}, c.orders, c.rounds)
		assert.Error(t, err, "orders %d rounds %d", c.orders, c.rounds)
	}
}

func TestPairedStopsOnCancel(t *testing.T) {
	k, err := kitchen.New(quickMenu())
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rounds, err := Paired(ctx, k, strategies.Sync{}, strategies.Pool{}, 10, 3)
	require.ErrorIs(t, err, context.Canceled)
	assert.Empty(t, rounds)
}

func TestBlockOrdersGivesEveryCoreWork(t *testing.T) {
	k, err := kitchen.New(quickMenu())
	require.NoError(t, err)
	// However slow this machine is, a block has four orders per core.
	n, err := BlockOrders(context.Background(), k, strategies.Sync{}, time.Millisecond)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, n, 4*runtime.GOMAXPROCS(0))
}
