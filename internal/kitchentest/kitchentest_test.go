package kitchentest

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestWorkCounter(t *testing.T) {
	var c WorkCounter
	tr := c.Trace()
	tr.WorkStart()
	tr.WorkStart() // two slices at once
	tr.WorkDone()
	tr.WorkDone()
	tr.WorkStart()
	tr.WorkDone()
	assert.Equal(t, int64(3), c.Slices(), "Slices()")
	assert.Equal(t, int64(2), c.MaxActive(), "MaxActive()")
}
