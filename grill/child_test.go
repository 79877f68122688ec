//go:build linux

package grill

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// TestMain plays the parent process of TestChildStopsWithParent when asked
// to through the environment; otherwise it runs the tests, removes the
// kitchen binary they built and checks that no goroutine is left.
func TestMain(m *testing.M) {
	if os.Getenv("GRILL_TEST_ROLE") == "parent" {
		os.Exit(playParent())
	}
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	if code == 0 {
		// Every server, hold loop, connection and child watcher is gone.
		if err := goleak.Find(); err != nil {
			fmt.Fprintln(os.Stderr, "goleak:", err)
			code = 1
		}
	}
	os.Exit(code)
}

// playParent starts a grill child, prints its pid and waits for a signal,
// as `kitchen run` will.
func playParent() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	child, err := Start(ctx, ChildOptions{Exe: os.Getenv("GRILL_TEST_EXE")})
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	fmt.Printf("child %d\n", child.Pid())
	<-ctx.Done()
	err = child.Stop()
	fmt.Print(child.Output())
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	return 0
}

var (
	binOnce sync.Once
	binDir  string
	binPath string
	binErr  error
)

// kitchenBinary builds cmd/kitchen once per test run.
func kitchenBinary(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the kitchen binary")
	}
	binOnce.Do(func() {
		gobin, err := exec.LookPath("go")
		if err != nil {
			binErr = err
			return
		}
		if binDir, binErr = os.MkdirTemp("", "grilltest"); binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "kitchen")
		out, err := exec.Command(gobin, "build", "-o", binPath, "github.com/kitchenbench/kitchenbench/cmd/kitchen").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build ./cmd/kitchen: %v\n%s", err, out)
		}
	})
	require.NoError(t, binErr, "building kitchen")
	return binPath
}

// alive reports whether pid is a live process (not gone, not a zombie).
func alive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i >= 0 && i+2 < len(s) && s[i+2] != 'Z' && s[i+2] != 'X'
}

func waitGone(t *testing.T, pid int) {
	t.Helper()
	deadline := time.Now().Add(patience)
	for alive(pid) {
		if time.Now().After(deadline) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("grill child %d still running %v after its parent ended", pid, patience)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestStartCallStop(t *testing.T) {
	exe := kitchenBinary(t)
	child, err := Start(context.Background(), ChildOptions{Exe: exe, Grills: 2, Procs: 2})
	require.NoError(t, err, "Start")
	c := dial(t, child.Addr(), DialOptions{})
	assert.Equal(t, 2, c.Info().Grills, "Info().Grills")
	require.NoError(t, c.Call(time.Millisecond, 100), "Call")
	c.Close()
	require.NoError(t, child.Stop(), "Stop")
	assert.False(t, alive(child.Pid()), "child alive after Stop")
	assert.Contains(t, child.Output(), "1 calls", "Output")
	assert.Contains(t, child.Output(), "grill: cpu user", "Output")
	require.NoError(t, child.Stop(), "second Stop")
}

func TestStartStopsWithContext(t *testing.T) {
	exe := kitchenBinary(t)
	ctx, cancel := context.WithCancel(context.Background())
	child, err := Start(ctx, ChildOptions{Exe: exe})
	require.NoError(t, err, "Start")
	cancel()
	select {
	case <-child.Done():
	case <-time.After(patience):
		t.Fatal("child still running after its context ended")
	}
	assert.NoError(t, child.Stop(), "Stop after the context ended")
	assert.False(t, alive(child.Pid()), "alive")
}

func TestStartErrors(t *testing.T) {
	exe := kitchenBinary(t)
	_, err := Start(context.Background(), ChildOptions{Exe: exe, Args: []string{"--max-reply", "-5"}})
	assert.ErrorContains(t, err, "exited before listening", "Start with a bad flag")
	assert.ErrorContains(t, err, "--max-reply -5 out of range [0, 67108864]", "the child's own message, naming its flag")
	_, err = Start(context.Background(), ChildOptions{Exe: filepath.Join(t.TempDir(), "missing")})
	assert.ErrorContains(t, err, "missing", "Start of a missing binary")
}

// TestChildStopsWithParent starts a parent process that starts a grill
// child, ends the parent by SIGKILL, SIGTERM or SIGINT, and checks the
// child is gone. It polls /proc; the only clock is a hang guard.
func TestChildStopsWithParent(t *testing.T) {
	exe := kitchenBinary(t)
	for _, sig := range []syscall.Signal{syscall.SIGKILL, syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			parent := exec.Command(os.Args[0], "-test.run=^$")
			parent.Env = append(os.Environ(), "GRILL_TEST_ROLE=parent", "GRILL_TEST_EXE="+exe)
			out, err := parent.StdoutPipe()
			require.NoError(t, err)
			require.NoError(t, parent.Start(), "starting the parent")
			lines := bufio.NewScanner(out)
			require.True(t, lines.Scan(), "the parent printed nothing")
			f := strings.Fields(lines.Text())
			require.Len(t, f, 2, "parent said %q", lines.Text())
			pid, err := strconv.Atoi(f[1])
			require.NoError(t, err, "parent said %q", lines.Text())
			require.True(t, alive(pid), "child %d not running", pid)
			require.NoError(t, parent.Process.Signal(sig), "signalling the parent")
			var rest strings.Builder
			for lines.Scan() {
				rest.WriteString(lines.Text() + "\n")
			}
			parent.Wait()
			waitGone(t, pid)
			if sig != syscall.SIGKILL {
				assert.Contains(t, rest.String(), "grill: 0 connections", "the child's counters, passed on by the parent")
				assert.True(t, parent.ProcessState.Success(), "parent exit: %v\n%s", parent.ProcessState, rest.String())
			}
		})
	}
}

func countFDs(t *testing.T, pid string) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/" + pid + "/fd")
	require.NoError(t, err)
	return len(ents)
}

// TestTenThousandCallsInFlight opens 10,000 connections to a grill child
// with 10,000 grills, makes one call on each at once, and checks that all
// complete and that no file descriptor is left behind on either side. It
// raises this process's soft RLIMIT_NOFILE to the hard limit first (Go
// does so at start too); the child raises its own.
func TestTenThousandCallsInFlight(t *testing.T) {
	const n = 10_000
	exe := kitchenBinary(t)
	limit, err := RaiseFileLimit()
	require.NoError(t, err, "RaiseFileLimit")
	if limit < n+256 {
		t.Skipf("open-file limit %d is too low for %d connections", limit, n)
	}
	child, err := Start(context.Background(), ChildOptions{Exe: exe, Grills: n, Args: []string{"--max-conns", strconv.Itoa(n + 16)}})
	require.NoError(t, err, "Start")
	defer child.Stop()
	probe := dial(t, child.Addr(), DialOptions{}) // also sets up this process's poller
	require.NoError(t, probe.Call(0, 0))
	self, kid := countFDs(t, "self"), countFDs(t, strconv.Itoa(child.Pid()))

	conns := make([]*Conn, n)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for w := range 32 { // dial with 32 workers: the accept backlog is finite
		wg.Go(func() {
			for i := w; i < n; i += 32 {
				c, err := Dial(context.Background(), child.Addr(), DialOptions{Timeout: patience})
				if err != nil {
					errs <- err
					return
				}
				conns[i] = c
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err, "Dial")
	}
	gate := make(chan struct{})
	done := make(chan error, n)
	for _, c := range conns {
		go func() {
			<-gate
			done <- c.Call(2*time.Second, 64)
		}()
	}
	close(gate)
	for range n {
		require.NoError(t, <-done, "Call")
	}
	var st Stats
	deadline := time.Now().Add(patience)
	for st.Calls != n+1 && time.Now().Before(deadline) { // a reply is out a moment before it is counted
		st, err = probe.Stats()
		require.NoError(t, err, "Stats")
	}
	t.Logf("server: %v; peak on grills %d of %d", st, st.PeakHolding, n)
	assert.Equal(t, int64(n+1), st.Calls, "Calls")
	for _, c := range conns {
		require.NoError(t, c.Close())
	}
	assert.Equal(t, self, countFDs(t, "self"), "this process's open files after the calls")
	deadline = time.Now().Add(patience)
	for countFDs(t, strconv.Itoa(child.Pid())) != kid && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	assert.Equal(t, kid, countFDs(t, strconv.Itoa(child.Pid())), "the child's open files after the calls")
}
