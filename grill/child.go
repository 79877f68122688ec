package grill

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// ListeningPrefix starts the line `kitchen grill-server` prints once it
// listens, followed by its address; Start reads it.
const ListeningPrefix = "grill: listening on "

// ChildOptions configure Start; the zero value is usable.
type ChildOptions struct {
	Exe    string   // the kitchen binary; default os.Executable()
	Grills int      // --grills; default 1
	Procs  int      // the child's GOMAXPROCS; default 2 (the hold loop wants a spare P)
	Token  string   // passed in KITCHEN_GRILL_TOKEN, never on the command line; default none
	Args   []string // more grill-server flags, e.g. "--max-conns", "20000"

	Stderr       io.Writer     // the child's stderr; default: kept, its end shown in errors
	StartTimeout time.Duration // for the child to print its address; default 30s
}

// Child is a grill service running as a child process on 127.0.0.1. Stop
// it when done; it is also stopped when Start's context ends, and killed
// by the kernel if this process dies (PR_SET_PDEATHSIG).
type Child struct {
	addr   string
	cmd    *exec.Cmd
	stdout *childOutput
	stderr *tail

	exited  chan struct{} // closed once the child is reaped
	waitErr error         // cmd.Wait's error; read after exited

	stopOnce sync.Once
	stopped  bool  // Stop asked the child to end; read after exited
	stopErr  error // set in stopOnce
}

// Start runs `EXE grill-server --listen 127.0.0.1:0 --grills N ARGS…` with
// its own GOMAXPROCS and returns once the child has printed its address.
//
// The child gets PR_SET_PDEATHSIG=SIGKILL, which Linux sends when the OS
// thread that forked it exits, not the process. Go may end an idle thread
// whose goroutine locked it and returned, so Start forks from a goroutine
// that locks its thread and keeps it until the child is reaped: the
// signal then comes only when this whole process dies, SIGKILL included.
// The child runs in its own process group, so a terminal's ^C reaches only
// this process, which stops the child through ctx or Stop and so gets its
// final counters.
func Start(ctx context.Context, opt ChildOptions) (*Child, error) {
	if err := childSupported(); err != nil {
		return nil, err
	}
	if opt.Exe == "" {
		exe, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("grill: start: %w", err)
		}
		opt.Exe = exe
	}
	if opt.Grills == 0 {
		opt.Grills = 1
	}
	if opt.Procs == 0 {
		opt.Procs = 2
	}
	if opt.StartTimeout == 0 {
		opt.StartTimeout = 30 * time.Second
	}
	args := append([]string{"grill-server", "--listen", "127.0.0.1:0", "--grills", strconv.Itoa(opt.Grills)}, opt.Args...)
	cmd := exec.Command(opt.Exe, args...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GOMAXPROCS=") && !strings.HasPrefix(kv, TokenEnv+"=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "GOMAXPROCS="+strconv.Itoa(opt.Procs))
	if opt.Token != "" {
		cmd.Env = append(cmd.Env, TokenEnv+"="+opt.Token)
	}
	cmd.SysProcAttr = childSysProcAttr()
	c := &Child{cmd: cmd, exited: make(chan struct{}), stdout: newChildOutput(), stderr: &tail{max: 4 << 10}}
	cmd.Stdout = c.stdout
	cmd.Stderr = c.stderr
	if opt.Stderr != nil {
		cmd.Stderr = io.MultiWriter(opt.Stderr, c.stderr)
	}

	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread() // see the doc: the forking thread must outlive the child
		defer runtime.UnlockOSThread()
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		c.waitErr = cmd.Wait()
		close(c.exited)
	}()
	if err := <-started; err != nil {
		return nil, fmt.Errorf("grill: start %s: %w", opt.Exe, err)
	}

	timer := time.NewTimer(opt.StartTimeout)
	defer timer.Stop()
	select {
	case c.addr = <-c.stdout.addr:
	case <-c.exited:
		return nil, fmt.Errorf("grill: %s grill-server exited before listening (%v): %s", opt.Exe, c.waitErr, c.stderr)
	case <-timer.C:
		c.Stop()
		return nil, fmt.Errorf("grill: %s grill-server printed no address within %v: %s", opt.Exe, opt.StartTimeout, c.stderr)
	case <-ctx.Done():
		c.Stop()
		return nil, fmt.Errorf("grill: start: %w", context.Cause(ctx))
	}
	go func() {
		select {
		case <-ctx.Done():
			c.Stop()
		case <-c.exited:
		}
	}()
	return c, nil
}

// Addr is the child's address, host:port on 127.0.0.1.
func (c *Child) Addr() string { return c.addr }

// Pid is the child's process id.
func (c *Child) Pid() int { return c.cmd.Process.Pid }

// Done is closed once the child has exited, asked to or not.
func (c *Child) Done() <-chan struct{} { return c.exited }

// Stop sends SIGTERM, waits up to 10 s for the child to print its
// counters and exit, then kills it. It returns an error if the child had
// failed before; calling it again returns the same.
func (c *Child) Stop() error {
	c.stopOnce.Do(func() {
		select {
		case <-c.exited:
		default:
			c.stopped = true
			c.cmd.Process.Signal(syscall.SIGTERM)
			t := time.NewTimer(10 * time.Second)
			select {
			case <-c.exited:
			case <-t.C:
				c.cmd.Process.Kill()
				<-c.exited
			}
			t.Stop()
		}
		c.stopErr = c.exitError()
	})
	return c.stopErr
}

// exitError is nil if the child ended because Stop asked it to.
func (c *Child) exitError() error {
	if c.waitErr == nil {
		return nil
	}
	var ee *exec.ExitError
	if c.stopped && errors.As(c.waitErr, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok {
			if ws.ExitStatus() == 143 || (ws.Signaled() && (ws.Signal() == syscall.SIGTERM || ws.Signal() == syscall.SIGKILL)) {
				return nil
			}
		}
	}
	return fmt.Errorf("grill: grill-server child %d: %w: %s", c.Pid(), c.waitErr, c.stderr)
}

// Output is what the child printed after its address: after Stop, its
// counters and CPU time.
func (c *Child) Output() string { return c.stdout.rest() }

// CPU is the child's user and system CPU time, all threads, as the kernel
// reported when it was reaped; zero before it exits.
func (c *Child) CPU() (user, sys time.Duration) {
	select {
	case <-c.exited:
		if ps := c.cmd.ProcessState; ps != nil {
			return ps.UserTime(), ps.SystemTime()
		}
	default:
	}
	return 0, 0
}

// childOutput finds the address line in the child's stdout and keeps the
// rest (up to 64 KiB).
type childOutput struct {
	addr chan string
	mu   sync.Mutex // guards buf, found
	buf  []byte
	done bool
	tail []byte
}

func newChildOutput() *childOutput { return &childOutput{addr: make(chan string, 1)} }

func (o *childOutput) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.done {
		if len(o.tail) < 64<<10 {
			o.tail = append(o.tail, p[:min(len(p), 64<<10-len(o.tail))]...)
		}
		return len(p), nil
	}
	o.buf = append(o.buf, p...)
	for {
		i := bytes.IndexByte(o.buf, '\n')
		if i < 0 {
			if len(o.buf) > 64<<10 {
				o.buf = o.buf[:0]
			}
			return len(p), nil
		}
		line := string(o.buf[:i])
		o.buf = o.buf[i+1:]
		if rest, ok := strings.CutPrefix(line, ListeningPrefix); ok {
			if f := strings.Fields(rest); len(f) > 0 {
				o.done = true
				o.tail = append(o.tail, o.buf...)
				o.addr <- f[0]
				return len(p), nil
			}
		}
	}
}

func (o *childOutput) rest() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return string(o.tail)
}

// tail keeps the last max bytes written to it.
type tail struct {
	mu  sync.Mutex // guards b
	b   []byte
	max int
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = append(t.b[:0], t.b[len(t.b)-t.max:]...)
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := strings.TrimSpace(string(t.b))
	if s == "" {
		return "(no stderr)"
	}
	return s
}
