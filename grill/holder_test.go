package grill

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// endLog records the order in which holds end, on a fake clock.
type endLog []string

func (l *endLog) hold(name string, arrival, d int64) *hold {
	return &hold{d: d, arrival: arrival, end: func(ok bool) {
		if ok {
			*l = append(*l, name)
		} else {
			*l = append(*l, name+" cancelled")
		}
	}}
}

// TestHoldQueueFIFO checks, on a fake clock, that one grill serves waiters
// in arrival order, each starting when the grill is freed, so lateness of
// the loop does not add up down the queue.
func TestHoldQueueFIFO(t *testing.T) {
	var log endLog
	q := &holdQueue{grills: 1}
	a, b, c := log.hold("a", 0, 10), log.hold("b", 1, 10), log.hold("c", 2, 5)
	for _, x := range []*hold{a, b, c} {
		q.admit(x)
	}
	assert.Equal(t, 1, q.busy, "busy")
	assert.Equal(t, 2, q.waiting, "waiting")
	q.expire(9)
	assert.Empty(t, log, "nothing ends before the first deadline")
	q.expire(27) // a loop 17 ns late: a ends at 10, b holds 10–20, c 20–25
	assert.Equal(t, endLog{"a", "b", "c"}, log)
	assert.Equal(t, []int64{10, 20, 25}, []int64{a.deadline, b.deadline, c.deadline}, "deadlines")
	assert.Equal(t, 0, q.busy, "busy")
	assert.Equal(t, 0, q.waiting, "waiting")
}

// TestHoldQueueCancel checks that a cancelled hold, queued or holding,
// ends once as cancelled, frees its grill for the next waiter at once and
// is never ended again.
func TestHoldQueueCancel(t *testing.T) {
	var log endLog
	q := &holdQueue{grills: 1}
	a, b, c := log.hold("a", 0, 100), log.hold("b", 0, 10), log.hold("c", 0, 10)
	q.admit(a)
	q.admit(b)
	q.admit(c)
	q.drop(b, 5) // queued
	q.drop(a, 7) // holding: c starts at 7
	assert.Equal(t, endLog{"b cancelled", "a cancelled"}, log)
	assert.Equal(t, int64(17), c.deadline, "c starts when a's grill is freed")
	q.drop(a, 8) // again: a no-op
	q.expire(1000)
	assert.Equal(t, endLog{"b cancelled", "a cancelled", "c"}, log)
	assert.Equal(t, 0, q.busy, "busy")
}

// TestHoldQueueUnlimited checks that zero grills means no queue.
func TestHoldQueueUnlimited(t *testing.T) {
	var log endLog
	q := &holdQueue{}
	for i, name := range []string{"x", "y", "z"} {
		q.admit(log.hold(name, int64(i), int64(30-10*i)))
	}
	assert.Equal(t, 3, q.busy, "busy")
	q.expire(100)
	assert.Equal(t, endLog{"z", "y", "x"}, log, "ends by deadline, not arrival")
	q.dropAll()
	assert.Len(t, log, 3, "dropAll on an empty queue ends nothing")
}
