//go:build linux

package cli

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitchenbench/kitchenbench/grill"
	"github.com/kitchenbench/kitchenbench/results"
)

// TestRunIOMenus runs the two real-I/O menus with the blocking strategies:
// a grill service child and a pantry are started, the round trip and read
// time are calibrated and recorded, and the service's CPU time is reported.
func TestRunIOMenus(t *testing.T) {
	path := filepath.Join(t.TempDir(), "io.json")
	code, _, errOut := runKitchen(t, "run", "--menus", "dinner-rush-net,pantry", "--strategies", "sync,pool",
		"--cores", "1", "--count", "1", "--duration", "30ms", "--pantry-size", "4MiB", "--out", path)
	require.Equal(t, 0, code, "kitchen run: %s", errOut)
	assert.Regexp(t, `kitchen: menu dinner-rush-net: grill service pid \d+ on 127\.0\.0\.1:\d+`, errOut)
	assert.Regexp(t, `kitchen: empty call round trip [0-9.]+[µm]?s \(median of 201\), open-file limit raised to \d+`, errOut)
	assert.Regexp(t, `kitchen: pantry of 4MiB at \S+, read through the page cache: \d+ ns/KiB`, errOut)
	assert.Regexp(t, `kitchen: CPU time: this run \S+; grill services \(since start, calibration included\): dinner-rush-net \S+`, errOut)
	f, err := results.Read(path)
	require.NoError(t, err)
	assert.Positive(t, f.Machine.CallRTT, "call_rtt_ns")
	assert.Positive(t, f.Machine.ReadNsPerKiB, "read_ns_per_kib")
	// How many orders a 30 ms window serves depends on the machine's
	// speed and load, so this checks the accounts, not the amount:
	// orders were taken, none failed, each is served or still open. That
	// the grill service answers calls at all is the round-trip line
	// above: 201 empty calls answered before the first sample.
	for _, s := range f.Samples {
		assert.Positive(t, s.Orders, "%s/%s orders", s.Menu, s.Strategy)
		assert.Zero(t, s.Failed, "%s/%s failed: %v", s.Menu, s.Strategy, s.Errors)
		assert.Equal(t, s.Orders, s.Served+s.Unfinished+s.Cancelled, "%s/%s orders = served + unfinished + cancelled", s.Menu, s.Strategy)
		if s.Menu == "dinner-rush-net" && s.Served > 0 {
			assert.Positive(t, s.GrillCPUPerDish, "%s grill_cpu_ns_per_dish", s.Strategy)
		}
	}
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	var raw map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(data, &raw))
	assert.Contains(t, string(raw["machine"]), `"call_rtt_ns"`)
}

func TestRunIOFlagsRefused(t *testing.T) {
	for _, tc := range []struct{ args, want string }{
		{"--pantry-size 1000", `--pantry-size "1000": want a multiple of 4KiB such as 256MiB`},
		{"--pantry-size lots", `--pantry-size "lots": want a multiple of 4KiB such as 256MiB`},
		{"--call-timeout -1s", `--call-timeout -1s: want a positive duration`},
	} {
		code, _, errOut := runKitchen(t, append([]string{"run", "--menus", "pantry", "--out", "-"}, strings.Fields(tc.args)...)...)
		assert.Equal(t, 2, code, "kitchen run %s", tc.args)
		assert.Contains(t, errOut, tc.want, "kitchen run %s", tc.args)
	}
}

// TestKillLeavesNoGrillService stops a real `kitchen run` while its grill
// service child runs: with SIGKILL, which it cannot catch (the kernel ends
// the child through PR_SET_PDEATHSIG), and with SIGTERM and SIGINT, after
// which the run stops the child itself. Either way no grill service is
// left running.
func TestKillLeavesNoGrillService(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the kitchen binary")
	}
	bin := buildKitchen(t)
	for _, sig := range []syscall.Signal{syscall.SIGKILL, syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			w := newWatcher(regexp.MustCompile(`grill service pid (\d+) on`))
			cmd := exec.Command(bin, "run", "--menus", "dinner-rush-net", "--strategies", "sync", "--cores", "1",
				"--count", "100", "--duration", "1s", "--out", "-")
			cmd.Stderr = w
			require.NoError(t, cmd.Start())
			select {
			case <-w.seen:
			case <-time.After(5 * time.Minute):
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("kitchen run never said it started a grill service:\n%s", w)
			}
			pid, err := strconv.Atoi(w.re.FindStringSubmatch(w.String())[1])
			require.NoError(t, err)
			require.True(t, running(pid), "grill service %d runs before the signal", pid)
			require.NoError(t, cmd.Process.Signal(sig))
			cmd.Wait()
			// Wait for the child to be gone; a minute is far more than
			// the kernel takes, so it only turns a hang into a failure.
			deadline := time.Now().Add(time.Minute)
			for running(pid) {
				if time.Now().After(deadline) {
					t.Fatalf("grill service %d still running a minute after %v of kitchen run", pid, sig)
				}
				time.Sleep(10 * time.Millisecond)
			}
		})
	}
}

// running says whether process pid exists and is not a zombie.
func running(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	// pid (comm) STATE ...; comm may hold spaces, so look after the last ')'.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i >= 0 && i+2 < len(s) && s[i+2] != 'Z' && s[i+2] != 'X'
}

// TestRunServedByAGrillElsewhere points a run at a grill service it did
// not start (--grill): the run starts no child, its calls reach that
// service, and every call the run made was answered there.
func TestRunServedByAGrillElsewhere(t *testing.T) {
	srv, err := grill.ServeInProcess(grill.Options{Grills: 1000, MaxConns: 4096}, "127.0.0.1:0")
	require.NoError(t, err, "grill.ServeInProcess")
	defer srv.Stop()
	path := filepath.Join(t.TempDir(), "elsewhere.json")
	code, _, errOut := runKitchen(t, "run", "--menus", "dinner-rush-net", "--strategies", "sync,eventloop",
		"--cores", "1", "--count", "1", "--duration", "30ms", "--out", path, "--grill", srv.Addr)
	require.Equal(t, 0, code, "kitchen run --grill: %s", errOut)
	assert.NotRegexp(t, `grill service pid \d+`, errOut, "no child started")
	f, err := results.Read(path)
	require.NoError(t, err)
	require.NotEmpty(t, f.Samples)
	for _, s := range f.Samples {
		assert.Positive(t, s.Served, "%s served", s.Strategy)
		assert.Zero(t, s.Failed, "%s failed: %v", s.Strategy, s.Errors)
	}
	assert.Positive(t, srv.Stats().Calls, "calls answered by the service the run was pointed at")
	assert.Positive(t, srv.Stats().Hellos, "the run asked the service for its settings (its grills)")
}
