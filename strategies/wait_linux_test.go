//go:build linux

package strategies

import (
	"context"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitchenbench/kitchenbench/kitchen"
)

// openFDs counts the process's open file descriptors.
func openFDs(t *testing.T) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	require.NoError(t, err)
	return len(ents)
}

func TestPreciseWaitsCloseTheirTimerfds(t *testing.T) {
	for _, s := range all() {
		t.Run(s.Name(), func(t *testing.T) {
			k, err := kitchen.New(testMenu())
			require.NoError(t, err)
			before := openFDs(t)
			got, err := serveAll(t, context.Background(), s, k, 40)
			require.NoError(t, err)
			require.Len(t, got, 40)
			assert.Equal(t, before, openFDs(t), "open file descriptors after Serve; want as many as before")
		})
	}
	t.Run("alarm", func(t *testing.T) {
		before := openFDs(t)
		a, err := NewAlarm(0)
		require.NoError(t, err)
		assert.Equal(t, before+1, openFDs(t), "an alarm holds one timerfd")
		require.NoError(t, a.Close())
		assert.Equal(t, before, openFDs(t), "after Close")
	})
}
