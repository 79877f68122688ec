package bench

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/strategies"
)

// lateClock is virtual time whose n-th wake-up comes n%100 µs after the
// time asked for.
type lateClock struct {
	now   atomic.Int64
	wakes atomic.Int64
}

func (c *lateClock) Now() int64 { return c.now.Load() }
func (c *lateClock) SleepUntil(ctx context.Context, t int64) error {
	n := c.wakes.Add(1) - 1
	c.now.Store(max(c.now.Load(), t) + n%100*int64(time.Microsecond))
	return ctx.Err()
}

// instantServer serves each order the moment it arrives in virtual time.
type instantServer struct{ clock *lateClock }

func (instantServer) Name() string                  { return "instant" }
func (instantServer) Capacity(int) kitchen.Capacity { return kitchen.Capacity{Cores: 1, Cooks: 1} }
func (s instantServer) Serve(ctx context.Context, k *kitchen.Kitchen, orders <-chan *strategies.Order, done func(*strategies.Order)) error {
	for o := range orders {
		o.Start, o.End = s.clock.Now(), s.clock.Now()
		done(o)
	}
	return nil
}

func TestRunOpenReportsDispatchLag(t *testing.T) {
	clock := &lateClock{}
	k, err := kitchen.New(quickMenu())
	require.NoError(t, err)
	res, err := RunOpen(context.Background(), k, instantServer{clock}, OpenLoad{
		Rate: 1000, Arrivals: Uniform, Duration: time.Second, Clock: clock,
	})
	require.NoError(t, err)
	require.Equal(t, 1000, res.Served)
	// Lags 0, 1, …, 99 µs, ten times each: the 500th is 49 µs, the 990th 98 µs.
	assert.Equal(t, 49*time.Microsecond, res.DispatchLagP50, "dispatch lag p50")
	assert.Equal(t, 98*time.Microsecond, res.DispatchLagP99, "dispatch lag p99")
	assert.Equal(t, 99*time.Microsecond, res.MaxLag, "largest dispatch lag")
}
