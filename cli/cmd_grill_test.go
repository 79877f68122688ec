package cli

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitchenbench/kitchenbench/grill"
	"github.com/kitchenbench/kitchenbench/internal/command"
)

// serveGrill runs `kitchen grill-server args…` in process until the test
// cancels it, and returns its address.
func serveGrill(t *testing.T, args ...string) (addr string, stop func() (string, error)) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := newWatcher(regexp.MustCompile(regexp.QuoteMeta(grill.ListeningPrefix) + `\S+`))
	var stderr strings.Builder
	done := make(chan error, 1)
	go func() { done <- run(ctx, out, &stderr, append([]string{"grill-server"}, args...)) }()
	select {
	case <-out.seen:
	case err := <-done:
		cancel()
		t.Fatalf("grill-server ended before listening: %v\n%s", err, stderr.String())
	case <-time.After(time.Minute):
		cancel()
		t.Fatal("grill-server printed no address within a minute")
	}
	line := out.re.FindString(out.String())
	stopped := false
	stop = func() (string, error) {
		if !stopped {
			stopped = true
			cancel()
			err := <-done
			return out.String(), err
		}
		return out.String(), nil
	}
	t.Cleanup(func() { stop() })
	return strings.TrimPrefix(line, grill.ListeningPrefix), stop
}

func TestGrillServer(t *testing.T) {
	t.Setenv(grill.TokenEnv, "")
	addr, stop := serveGrill(t, "--grills", "3", "--max-reply", "1000")
	c, err := grill.Dial(context.Background(), addr, grill.DialOptions{})
	require.NoError(t, err, "Dial")
	assert.Equal(t, 3, c.Info().Grills, "Info().Grills")
	assert.Equal(t, 1000, c.Info().MaxReply, "Info().MaxReply")
	require.NoError(t, c.Call(time.Millisecond, 1000), "Call")
	assert.ErrorContains(t, c.Call(0, 1001), "over the cap", "Call over --max-reply")
	out, err := stop()
	require.NoError(t, err, "grill-server")
	assert.Contains(t, out, "1 calls", "counters at exit")
	assert.Contains(t, out, "over_cap 1", "counters at exit")
	assert.Contains(t, out, "grill: cpu user", "CPU time at exit")
}

func TestGrillServerToken(t *testing.T) {
	t.Setenv(grill.TokenEnv, "")
	var stderr strings.Builder
	err := run(context.Background(), &strings.Builder{}, &stderr, []string{"grill-server", "--listen", "0.0.0.0:0"})
	assert.ErrorContains(t, err, "beyond loopback", "listening on 0.0.0.0 without a token")
	assert.Equal(t, 2, command.Status(context.Background(), &stderr, "kitchen", err), "exit status")

	t.Setenv(grill.TokenEnv, "from-env")
	addr, _ := serveGrill(t, "--listen", "0.0.0.0:0", "--grills", "1")
	addr = strings.Replace(addr, "0.0.0.0", "127.0.0.1", 1)
	_, err = grill.Dial(context.Background(), addr, grill.DialOptions{})
	assert.ErrorContains(t, err, "unauthorized", "Dial without the token")
	c, err := grill.Dial(context.Background(), addr, grill.DialOptions{Token: "from-env"})
	require.NoError(t, err, "Dial with the token from the environment")
	assert.NoError(t, c.Call(0, 1), "Call")
}

func TestGrillServerUsage(t *testing.T) {
	for _, args := range [][]string{
		{"--grills", "0"},
		{"--max-hold", "2h"},
		{"extra"},
		{"--listen", "nonsense"},
	} {
		var stderr strings.Builder
		err := run(context.Background(), &strings.Builder{}, &stderr, append([]string{"grill-server"}, args...))
		assert.Equal(t, 2, command.Status(context.Background(), &stderr, "kitchen", err), "grill-server %q: exit status (err %v)", args, err)
	}
}
