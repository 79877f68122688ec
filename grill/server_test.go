//go:build linux

package grill

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// patience guards against hangs only; no test asserts a duration.
const patience = 30 * time.Second

// startServer serves opt on 127.0.0.1:0 until the test ends.
func startServer(t testing.TB, opt Options) (*Server, string) {
	t.Helper()
	p, err := ServeInProcess(opt, "127.0.0.1:0")
	require.NoError(t, err, "ServeInProcess")
	t.Cleanup(func() { assert.NoError(t, p.Stop(), "Serve") })
	return p.Server, p.Addr
}

func dial(t testing.TB, addr string, opt DialOptions) *Conn {
	t.Helper()
	c, err := Dial(context.Background(), addr, opt)
	require.NoError(t, err, "Dial")
	t.Cleanup(func() { c.Close() })
	return c
}

// waitStats polls the server until ok holds, failing after patience.
func waitStats(t *testing.T, srv *Server, what string, ok func(Stats) bool) Stats {
	t.Helper()
	deadline := time.Now().Add(patience)
	for {
		st := srv.Stats()
		if ok(st) {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v; stats %v", what, patience, st)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestCall(t *testing.T) {
	srv, addr := startServer(t, Options{Grills: 3, MaxReply: 4096})
	c := dial(t, addr, DialOptions{})
	assert.Equal(t, Info{Grills: 3, MaxReply: 4096, MaxHold: DefaultMaxHold, MaxFrame: DefaultMaxFrame, MaxConns: DefaultMaxConns}, c.Info(), "Info")
	for _, tc := range []struct {
		hold  time.Duration
		reply int
	}{{0, 0}, {time.Microsecond, 1}, {2 * time.Millisecond, 512}, {0, 4096}} {
		require.NoError(t, c.Call(tc.hold, tc.reply), "Call(%v, %d); server %v", tc.hold, tc.reply, srv.Stats())
	}
	st, err := c.Stats()
	require.NoError(t, err, "Stats")
	assert.Equal(t, int64(4), st.Calls, "Stats().Calls over the wire")
	assert.Equal(t, int64(1), st.Hellos, "Hellos")
	assert.Equal(t, int64(0), st.Faults(), "Faults")
	assert.Equal(t, int64(4), srv.Stats().Calls, "Stats().Calls")
}

// TestGrillsAcrossTheWire checks that the server holds at most Grills
// calls at once however many arrive: peak holding never exceeds it, and
// all are answered.
func TestGrillsAcrossTheWire(t *testing.T) {
	const grills, clients = 2, 8
	srv, addr := startServer(t, Options{Grills: grills})
	errs := make(chan error, clients)
	for range clients {
		c := dial(t, addr, DialOptions{})
		go func() { errs <- c.Call(5*time.Millisecond, 16) }()
	}
	for range clients {
		require.NoError(t, <-errs, "Call")
	}
	st := waitStats(t, srv, "all calls counted", func(s Stats) bool { return s.Calls == clients })
	assert.LessOrEqual(t, st.PeakHolding, int64(grills), "PeakHolding")
	assert.Equal(t, int64(0), st.Holding+st.Waiting, "Holding+Waiting after")
}

// rawFrame builds a request frame from its body.
func rawFrame(body ...byte) []byte {
	return append(binary.BigEndian.AppendUint32(nil, uint32(len(body))), body...)
}

func callBody(hold uint64, reply uint32) []byte {
	b := []byte{Version, OpCall}
	b = binary.BigEndian.AppendUint64(b, hold)
	return binary.BigEndian.AppendUint32(b, reply)
}

// TestBadInput sends one kind of bad input per case to a fresh server
// over real TCP and checks that it is counted under exactly its kind, that
// the server closes that connection, answering with the right error status
// where it can, and that it goes on serving a good client.
func TestBadInput(t *testing.T) {
	short := Options{ReadTimeout: 200 * time.Millisecond, WriteTimeout: 200 * time.Millisecond}
	const noStatus = -1 // the server closes with unread input: the client may see a reset first
	for _, tc := range []struct {
		name   string
		opt    Options
		send   sender
		kind   func(Stats) int64
		status int
	}{
		{"frame of length 0", short, sendBytes(rawFrame()), func(s Stats) int64 { return s.Garbage }, StatusMalformed},
		{"frame of length 1", short, sendBytes(rawFrame(Version)), func(s Stats) int64 { return s.Garbage }, StatusMalformed},
		{"unknown op", short, sendBytes(rawFrame(Version, 77)), func(s Stats) int64 { return s.Garbage }, StatusMalformed},
		{"call frame too short", short, sendBytes(rawFrame(callBody(0, 0)[:10]...)), func(s Stats) int64 { return s.Garbage }, StatusMalformed},
		{"length 2^32-1", short, sendBytes([]byte{0xff, 0xff, 0xff, 0xff}), func(s Stats) int64 { return s.Oversized }, StatusOverCap},
		{"an HTTP request", short, sendBytes([]byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n")), func(s Stats) int64 { return s.Oversized }, noStatus},
		{"version 9", short, sendBytes(rawFrame(append([]byte{9}, callBody(0, 0)[1:]...)...)), func(s Stats) int64 { return s.BadVersion }, StatusVersion},
		{"version 0", short, sendBytes(rawFrame(0, OpHello)), func(s Stats) int64 { return s.BadVersion }, StatusVersion},
		{"hold over the cap", short, sendBytes(rawFrame(callBody(uint64(DefaultMaxHold)+1, 0)...)), func(s Stats) int64 { return s.OverCap }, StatusOverCap},
		{"hold 2^64-1 ns", short, sendBytes(rawFrame(callBody(^uint64(0), 0)...)), func(s Stats) int64 { return s.OverCap }, StatusOverCap},
		{"reply over the cap", short, sendBytes(rawFrame(callBody(0, DefaultMaxReply+1)...)), func(s Stats) int64 { return s.OverCap }, StatusOverCap},
		{"reply 2^32-1 bytes", short, sendBytes(rawFrame(callBody(0, ^uint32(0))...)), func(s Stats) int64 { return s.OverCap }, StatusOverCap},
		{"stream ends inside a frame", short, sendThenClose(rawFrame(callBody(0, 0)...)[:9]), func(s Stats) int64 { return s.Truncated }, noStatus},
		{"stream ends inside a length", short, sendThenClose([]byte{0, 0}), func(s Stats) int64 { return s.Truncated }, noStatus},
		{"silent client", short, sendBytes(nil), func(s Stats) int64 { return s.Idle }, noStatus},
		// A longer ReadTimeout: the first bytes must arrive before it ends
		// even on a loaded machine, or this reads as a silent client.
		{"frame sent too slowly", Options{ReadTimeout: 2 * time.Second}, sendBytes([]byte{0, 0, 0}), func(s Stats) int64 { return s.SlowRead }, noStatus},
		{"call then close", short, sendThenClose(rawFrame(callBody(uint64(5*time.Second), 0)...)), func(s Stats) int64 { return s.Abandoned }, noStatus},
		{"call then reset", short, sendThenReset(rawFrame(callBody(uint64(5*time.Second), 0)...)), func(s Stats) int64 { return s.Abandoned }, noStatus},
		{"two calls at once", short, sendBytes(append(rawFrame(callBody(uint64(5*time.Second), 0)...), rawFrame(callBody(0, 0)...)...)), func(s Stats) int64 { return s.Pipelined }, noStatus},
		{"reply never read", Options{MaxReply: LimitMaxReply, WriteTimeout: 200 * time.Millisecond}, sendNoRead(rawFrame(callBody(0, LimitMaxReply)...)), func(s Stats) int64 { return s.SlowWrite }, noStatus},
		{"call without the token", Options{Token: "s3cret"}, sendBytes(rawFrame(callBody(0, 0)...)), func(s Stats) int64 { return s.Unauthorized }, StatusUnauthorized},
		{"wrong token", Options{Token: "s3cret"}, sendBytes(AppendHello(nil, "guess")), func(s Stats) int64 { return s.Unauthorized }, StatusUnauthorized},
		{"stats without the token", Options{Token: "s3cret"}, sendBytes(AppendStats(nil)), func(s Stats) int64 { return s.Unauthorized }, StatusUnauthorized},
		{"one connection too many", Options{MaxConns: 1}, oneTooMany, func(s Stats) int64 { return s.Refused }, StatusBusy},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, addr := startServer(t, tc.opt)
			c := tc.send(t, srv, addr)
			st := waitStats(t, srv, "the fault counted", func(s Stats) bool { return tc.kind(s) > 0 })
			assert.Equal(t, int64(1), tc.kind(st), "the fault's own counter")
			faults := st.Faults()
			if st.Refused == 0 {
				assert.Equal(t, int64(1), faults, "faults of all kinds: %v", st)
			}
			if tc.status != noStatus {
				status, _ := readErrorReply(t, c)
				assert.Equal(t, tc.status, status, "reply status")
			}
			if st.SlowWrite == 0 {
				// A reply the server gave up on still trickles out of the
				// kernel's buffers for a long while: Active == 0 below is
				// the proof that the server closed it.
				assertClosed(t, c)
			}
			waitStats(t, srv, "connection closed", func(s Stats) bool { return s.Active == 0 && s.Holding == 0 && s.Waiting == 0 })
			good := dial(t, addr, DialOptions{Token: tc.opt.Token})
			require.NoError(t, good.Call(time.Millisecond, 64), "a good call afterwards")
		})
	}
}

// sender does one bad thing to the server at addr and returns the
// connection to read the server's answer from.
type sender func(t *testing.T, srv *Server, addr string) *net.TCPConn

func dialRaw(t *testing.T, addr string) *net.TCPConn {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	require.NoError(t, err, "Dial")
	t.Cleanup(func() { nc.Close() })
	return nc.(*net.TCPConn)
}

// sendWith writes p on a fresh connection, doing prepare to it before
// and finish after (either may be nil).
func sendWith(p []byte, prepare, finish func(t *testing.T, c *net.TCPConn)) sender {
	return func(t *testing.T, _ *Server, addr string) *net.TCPConn {
		c := dialRaw(t, addr)
		if prepare != nil {
			prepare(t, c)
		}
		_, err := c.Write(p)
		require.NoError(t, err, "Write")
		if finish != nil {
			finish(t, c)
		}
		return c
	}
}

func sendBytes(p []byte) sender { return sendWith(p, nil, nil) }

func sendThenClose(p []byte) sender {
	return sendWith(p, nil, func(t *testing.T, c *net.TCPConn) {
		require.NoError(t, c.CloseWrite(), "CloseWrite")
	})
}

func sendThenReset(p []byte) sender {
	return sendWith(p, nil, func(t *testing.T, c *net.TCPConn) {
		require.NoError(t, c.SetLinger(0), "SetLinger")
		c.Close() // with linger 0: a reset
	})
}

// sendNoRead asks for a reply larger than the socket buffers can hold and
// never reads it.
func sendNoRead(p []byte) sender {
	return sendWith(p, func(t *testing.T, c *net.TCPConn) {
		require.NoError(t, c.SetReadBuffer(4096), "SetReadBuffer")
	}, nil)
}

// oneTooMany holds the only connection a MaxConns 1 server keeps, opens
// another, which is refused, then lets the first go.
func oneTooMany(t *testing.T, srv *Server, addr string) *net.TCPConn {
	held := dial(t, addr, DialOptions{})
	extra := dialRaw(t, addr)
	waitStats(t, srv, "refused", func(s Stats) bool { return s.Refused > 0 })
	held.Close()
	return extra
}

// readErrorReply reads an error reply; the message must fit MaxMessage.
func readErrorReply(t *testing.T, c net.Conn) (int, string) {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(patience))
	var h [ReplyHeadLen]byte
	_, err := io.ReadFull(c, h[:])
	require.NoError(t, err, "reading the error reply")
	status, n, err := ParseReplyHeader(h[:], MaxMessage)
	require.NoError(t, err, "ParseReplyHeader")
	msg := make([]byte, n)
	_, err = io.ReadFull(c, msg)
	require.NoError(t, err, "reading the error message")
	t.Logf("server said: %s", msg)
	return int(status), string(msg)
}

// assertClosed reads until the server's end of the stream.
func assertClosed(t *testing.T, c net.Conn) {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(patience))
	_, err := io.Copy(io.Discard, c)
	if err != nil && !errors.Is(err, net.ErrClosed) {
		var ne net.Error
		require.False(t, errors.As(err, &ne) && ne.Timeout(), "the server kept the connection open: %v", err)
	}
}
