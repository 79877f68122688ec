package grill

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ServeUntil announces the address first, as Start expects, serves until
// its context ends, then reports its counters and CPU time.
func TestServeUntilAnnouncesServesAndReports(t *testing.T) {
	srv, err := NewServer(Options{Grills: 2})
	require.NoError(t, err)
	ln, err := srv.Listen("127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	var out bytes.Buffer
	done := make(chan error, 1)
	go func() { done <- srv.ServeUntil(ctx, ln, &out, 1024) }()
	c, err := Dial(ctx, ln.Addr().String(), DialOptions{})
	require.NoError(t, err)
	require.NoError(t, c.Call(0, 8))
	c.Close()
	cancel()
	require.NoError(t, <-done)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.GreaterOrEqual(t, len(lines), 3, out.String())
	assert.True(t, strings.HasPrefix(lines[0], ListeningPrefix+ln.Addr().String()+" (grills 2,"), lines[0])
	assert.Contains(t, lines[0], "open-file limit 1024")
	assert.True(t, strings.HasPrefix(lines[len(lines)-1], "grill: cpu user "), lines[len(lines)-1])
}
