//go:build linux

package strategies

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitchenbench/kitchenbench/internal/kitchentest"
)

func TestPreciseWaitsCloseTheirTimerfds(t *testing.T) {
	for _, s := range all() {
		t.Run(s.Name(), func(t *testing.T) {
			k := kitchentest.New(t, testMenu(t))
			before := kitchentest.OpenFDs(t)
			got, err := serveAll(t, context.Background(), s, k, 40)
			require.NoError(t, err)
			require.Len(t, got, 40)
			assert.Equal(t, before, kitchentest.OpenFDs(t), "open file descriptors after Serve; want as many as before")
		})
	}
	t.Run("alarm", func(t *testing.T) {
		before := kitchentest.OpenFDs(t)
		a, err := NewAlarm(0)
		require.NoError(t, err)
		assert.Equal(t, before+1, kitchentest.OpenFDs(t), "an alarm holds one timerfd")
		require.NoError(t, a.Close())
		assert.Equal(t, before, kitchentest.OpenFDs(t), "after Close")
	})
}
