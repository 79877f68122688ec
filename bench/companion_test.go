package bench

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestParsePidStatCPU(t *testing.T) {
	for _, tc := range []struct {
		name, line string
		want       time.Duration
	}{
		// pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ...
		{"plain", "4242 (kitchen) S 1 4242 4242 0 -1 4194560 120 0 0 0 250 37 0 0 20 0 9 0", 287 * 10 * time.Millisecond},
		{"spaces and parens in the name", "77 (grill (x) y) R 1 77 77 0 -1 0 0 0 0 0 3 4 0 0 20 0 1 0", 7 * 10 * time.Millisecond},
		{"truncated", "77 (grill) R 1 77", 0},
		{"no name", "garbage", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, parsePidStatCPU([]byte(tc.line), 10*time.Millisecond))
		})
	}
}

func TestCompanionCPUIsNotOther(t *testing.T) {
	u := Usage{Window: time.Second, CPU: 500 * time.Millisecond, Machine: true,
		Busy: 2 * time.Second, Companion: 1400 * time.Millisecond}
	assert.Equal(t, 100*time.Millisecond, u.Other(), "busy - ours - our grill service's")
	// A strategy that should keep 2 cores busy received 0.5: its own grill
	// service took the rest, so it was not starved by a neighbour.
	assert.False(t, Starved(2, u), "starved by its own companion")
	u.Companion = 0
	assert.True(t, Starved(2, u), "the same figures with a neighbour taking the time")
}
