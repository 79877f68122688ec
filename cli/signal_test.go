package cli

import (
	"bytes"
	"errors"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitchenbench/kitchenbench/results"
)

// buildKitchen builds this command into a temporary directory.
func buildKitchen(t *testing.T) string {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command to build kitchen with: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "kitchen")
	out, err := exec.Command(gobin, "build", "-o", bin, "../cmd/kitchen").CombinedOutput()
	require.NoError(t, err, "go build ./cmd/kitchen:\n%s", out)
	return bin
}

// watcher collects a process's output and says when a line matching re
// first appears.
type watcher struct {
	re   *regexp.Regexp
	seen chan struct{} // closed at the first match

	mu  sync.Mutex // guards buf and hit
	buf bytes.Buffer
	hit bool
}

func newWatcher(re *regexp.Regexp) *watcher {
	return &watcher{re: re, seen: make(chan struct{})}
}

func (w *watcher) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if !w.hit && w.re.Match(w.buf.Bytes()) {
		w.hit = true
		close(w.seen)
	}
	return len(p), nil
}

func (w *watcher) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// TestSignalWritesPartialResults interrupts a real `kitchen run` once it
// has reported progress and checks that it keeps the samples so far in a
// valid result file marked partial, and exits 130 (SIGINT) or 143
// (SIGTERM). It waits on the command's output, never on a sleep, so a slow
// machine only makes it slower.
func TestSignalWritesPartialResults(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the kitchen binary")
	}
	bin := buildKitchen(t)
	// Generous: the first progress line comes after a tenth of the run's
	// samples, a few seconds on any machine.
	const patience = 5 * time.Minute
	progress := regexp.MustCompile(`(?m)^kitchen: [1-9][0-9]*/[0-9]+ samples`)
	for _, tc := range []struct {
		name string
		sig  syscall.Signal
		code int
	}{
		{"SIGINT", syscall.SIGINT, 130},
		{"SIGTERM", syscall.SIGTERM, 143},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "r.json")
			cmd := exec.Command(bin, "run", "--menus", "banquet", "--count", "50", "--duration", "50ms", "--out", out)
			cmd.Dir = dir
			stderr := newWatcher(progress)
			var stdout bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, stderr
			require.NoError(t, cmd.Start(), "starting %s", cmd)
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()

			select {
			case <-stderr.seen:
			case err := <-exited:
				t.Fatalf("kitchen run exited (%v) before reporting progress; stderr:\n%s", err, stderr)
			case <-time.After(patience):
				cmd.Process.Kill()
				<-exited
				t.Fatalf("no progress line from kitchen run in %v; stderr:\n%s", patience, stderr)
			}
			require.NoError(t, cmd.Process.Signal(tc.sig), "sending %v", tc.sig)

			var err error
			select {
			case err = <-exited:
			case <-time.After(patience):
				cmd.Process.Kill()
				<-exited
				t.Fatalf("kitchen run still running %v after %v; stderr:\n%s", patience, tc.sig, stderr)
			}
			var ee *exec.ExitError
			require.True(t, errors.As(err, &ee), "kitchen run after %v: Wait() = %v; want exit status %d; stderr:\n%s", tc.sig, err, tc.code, stderr)
			assert.Equal(t, tc.code, ee.ExitCode(), "kitchen run after %v: exit status; stderr:\n%s", tc.sig, stderr)
			assert.Contains(t, stderr.String(), "kitchen: interrupted by", "kitchen run after %v: says why it stopped", tc.sig)
			assert.Contains(t, stderr.String(), "kitchen: wrote partial results", "kitchen run after %v: says it kept the samples", tc.sig)
			assert.NotContains(t, stderr.String(), "panic:", "kitchen run after %v", tc.sig)

			f, err := results.Read(out)
			require.NoError(t, err, "results.Read(%s) after %v", out, tc.sig)
			assert.True(t, f.Partial, "results.Read(%s).Partial after %v", out, tc.sig)
			assert.NotEmpty(t, f.Samples, "results.Read(%s).Samples after %v", out, tc.sig)
			for i, s := range f.Samples {
				assert.Equal(t, "banquet", s.Menu, "samples[%d].Menu", i)
			}
			twin := filepath.Join(dir, "r.txt")
			g, err := results.Read(twin)
			if assert.NoError(t, err, "results.Read(%s): the benchmark-format twin", twin) {
				assert.Len(t, g.Samples, len(f.Samples), "samples in %s and %s", twin, out)
			}
		})
	}
}
