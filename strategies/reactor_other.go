//go:build !linux

package strategies

// Syscalls counts the system calls of the event loops' reactors, which
// exist on Linux only: off Linux every count stays 0.
type Syscalls struct {
	EpollWait, EpollCtl, Read, Write, Socket, Connect, Sockopt, Close, TimerSet, Pread int64
	ReadHandoff, HandoffNs                                                             int64
}

// Total is the number of system calls counted.
func (s Syscalls) Total() int64 { return 0 }

// Sub returns s less o.
func (s Syscalls) Sub(o Syscalls) Syscalls { return Syscalls{} }

// ReactorSyscalls returns zero counts off Linux.
func ReactorSyscalls() Syscalls { return Syscalls{} }
