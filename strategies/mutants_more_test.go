//go:build linux

package strategies

// Tests written to kill mutants gremlins found alive in this package
// (docs/mutation-testing.md), against exported API only.

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// Total adds every system-call count and no hand-off figure, and Sub
// subtracts kind by kind (kills the arithmetic mutants of both). Each
// count is a distinct power of two, so any sign or operand swapped shows.
func TestSyscallsTotalAndSub(t *testing.T) {
	s := Syscalls{EpollWait: 1 << 0, EpollCtl: 1 << 1, Read: 1 << 2, Write: 1 << 3, Socket: 1 << 4,
		Connect: 1 << 5, Sockopt: 1 << 6, Close: 1 << 7, TimerSet: 1 << 8, Pread: 1 << 9,
		ReadHandoff: 1 << 10, HandoffNs: 1 << 11}
	assert.Equal(t, int64(1<<10-1), s.Total(), "the ten syscall kinds, not the hand-offs")

	o := Syscalls{EpollWait: 1, EpollCtl: 1, Read: 1, Write: 1, Socket: 1, Connect: 1, Sockopt: 1,
		Close: 1, TimerSet: 1, Pread: 1, ReadHandoff: 1, HandoffNs: 1}
	assert.Equal(t, Syscalls{EpollWait: 0, EpollCtl: 1, Read: 3, Write: 7, Socket: 15, Connect: 31,
		Sockopt: 63, Close: 127, TimerSet: 255, Pread: 511, ReadHandoff: 1023, HandoffNs: 2047}, s.Sub(o))
	assert.Equal(t, Syscalls{}, s.Sub(s), "s less itself")
}
