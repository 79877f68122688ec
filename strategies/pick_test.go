package strategies

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPick(t *testing.T) {
	all, err := Pick("")
	require.NoError(t, err)
	assert.Equal(t, Names(), all, "empty: every strategy")

	names, err := Pick("pool, sync,pool")
	require.NoError(t, err)
	assert.Equal(t, []string{"pool", "sync"}, names, "in order, spaces and repeats dropped")

	_, err = Pick("sync,threads")
	assert.ErrorContains(t, err, `unknown strategy "threads" (want some of `)
}
