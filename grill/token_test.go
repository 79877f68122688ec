//go:build linux

package grill

import (
	"context"
	"errors"
	"io"
	"net"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBeyondLoopbackNeedsToken listens on 0.0.0.0: refused without a
// token; with one, a client without it, or with a wrong one, is refused
// and one with it is served.
func TestBeyondLoopbackNeedsToken(t *testing.T) {
	srv, err := NewServer(Options{})
	require.NoError(t, err, "NewServer")
	_, err = srv.Listen("0.0.0.0:0")
	assert.ErrorContains(t, err, "beyond loopback", "Listen(0.0.0.0) without a token")
	_, err = srv.Listen(":0")
	assert.ErrorContains(t, err, "beyond loopback", "Listen(:0) without a token")
	ln, err := net.Listen("tcp", "0.0.0.0:0")
	require.NoError(t, err)
	assert.ErrorContains(t, srv.Serve(ln), "beyond loopback", "Serve(0.0.0.0) without a token")
	ln.Close()
	srv.Close()

	srv, err = NewServer(Options{Token: "s3cret"})
	require.NoError(t, err, "NewServer")
	ln, err = srv.Listen("0.0.0.0:0")
	require.NoError(t, err, "Listen(0.0.0.0) with a token")
	go srv.Serve(ln)
	defer srv.Close()
	addr := net.JoinHostPort(reachableIP(t), portOf(t, ln.Addr()))
	t.Logf("dialling %s", addr)
	for _, tc := range []struct {
		name, token string
		ok          bool
	}{{"no token", "", false}, {"wrong token", "s3cre", false}, {"longer token", "s3cret!", false}, {"the token", "s3cret", true}} {
		c, err := Dial(context.Background(), addr, DialOptions{Token: tc.token})
		if tc.ok {
			require.NoError(t, err, "%s: Dial", tc.name)
			assert.NoError(t, c.Call(0, 8), "%s: Call", tc.name)
			c.Close()
			continue
		}
		var se *ServerError
		require.True(t, errors.As(err, &se), "%s: Dial = %v; want a ServerError", tc.name, err)
		assert.Equal(t, byte(StatusUnauthorized), se.Status, "%s: status", tc.name)
	}
	st := waitStats(t, srv, "the call counted", func(s Stats) bool { return s.Calls > 0 })
	assert.Equal(t, int64(3), st.Unauthorized, "Unauthorized")
	assert.Equal(t, int64(1), st.Calls, "Calls")
}

// reachableIP is this machine's first non-loopback IPv4 address, or
// 127.0.0.1 if it has none (the token logic is the same).
func reachableIP(t *testing.T) string {
	addrs, err := net.InterfaceAddrs()
	if err == nil {
		for _, a := range addrs {
			if ipn, ok := a.(*net.IPNet); ok && !ipn.IP.IsLoopback() && ipn.IP.To4() != nil {
				return ipn.IP.String()
			}
		}
	}
	return "127.0.0.1"
}

func portOf(t *testing.T, a net.Addr) string {
	_, port, err := net.SplitHostPort(a.String())
	require.NoError(t, err)
	return port
}

// TestRequireTokenOnLoopback checks RequireToken's checks and effect.
func TestRequireTokenOnLoopback(t *testing.T) {
	_, err := NewServer(Options{RequireToken: true})
	assert.ErrorContains(t, err, "grill: Options.RequireToken without Options.Token", "NewServer")
	_, addr := startServer(t, Options{RequireToken: true, Token: "t"})
	_, err = Dial(context.Background(), addr, DialOptions{})
	assert.ErrorContains(t, err, "unauthorized", "Dial without the token")
	c := dial(t, addr, DialOptions{Token: "t"})
	assert.NoError(t, c.Call(0, 0), "Call with the token")
}

// TestReplyCap checks that a call for exactly the cap gets exactly the
// cap, one byte more gets a short refusal, and the server never sends
// more than the cap's frame for one request.
func TestReplyCap(t *testing.T) {
	const limit = 1000
	_, addr := startServer(t, Options{MaxReply: limit})
	for _, tc := range []struct {
		reply uint32
		want  int // bytes on the wire
	}{{limit, ReplyHeadLen + limit}, {limit + 1, -1}, {1 << 31, -1}, {^uint32(0), -1}} {
		c := dialRaw(t, addr)
		_, err := c.Write(rawFrame(callBody(0, tc.reply)...))
		require.NoError(t, err)
		var got int64
		if tc.want >= 0 { // read the reply, then end the stream between requests
			n, err := io.ReadFull(c, make([]byte, tc.want))
			require.NoError(t, err, "reply %d", tc.reply)
			got = int64(n)
			c.CloseWrite()
		}
		more, _ := io.Copy(io.Discard, c) // until the server closes
		got += more
		assert.LessOrEqual(t, got, int64(ReplyHeadLen+limit), "reply %d: bytes received", tc.reply)
		if tc.want >= 0 {
			assert.Equal(t, int64(tc.want), got, "reply %d: bytes received", tc.reply)
		} else {
			assert.LessOrEqual(t, got, int64(ReplyHeadLen+MaxMessage), "reply %d: refusal size", tc.reply)
		}
	}
	_, err := Dial(context.Background(), addr, DialOptions{})
	require.NoError(t, err)
	c := dial(t, addr, DialOptions{})
	var se *ServerError
	require.ErrorAs(t, c.Call(0, limit+1), &se, "Call over the cap")
	assert.Equal(t, byte(StatusOverCap), se.Status)
}

func TestOptionsChecked(t *testing.T) {
	long := string(make([]byte, MaxToken+1))
	for _, tc := range []struct {
		name  string
		opt   Options
		field string // NewServer's error, for Go callers; "" for valid
		flag  string // Validate's, for the command line
	}{
		{"zero value", Options{}, "", ""},
		{"every limit", Options{Grills: LimitGrills, MaxFrame: LimitMaxFrame, MaxReply: LimitMaxReply, MaxHold: LimitMaxHold, MaxConns: LimitMaxConns, ReadTimeout: time.Hour, WriteTimeout: time.Hour}, "", ""},
		{"negative grills", Options{Grills: -1},
			"grill: Options.Grills -1 out of range [1, 1048576]", "--grills -1 out of range [1, 1048576]"},
		{"tiny frame", Options{MaxFrame: 10},
			"grill: Options.MaxFrame 10 out of range [258, 1048576]", "--max-frame 10 out of range [258, 1048576]"},
		{"huge reply", Options{MaxReply: LimitMaxReply + 1},
			"grill: Options.MaxReply 67108865 out of range [0, 67108864]", "--max-reply 67108865 out of range [0, 67108864]"},
		{"negative conns", Options{MaxConns: -1},
			"grill: Options.MaxConns -1 out of range [1, 1048576]", "--max-conns -1 out of range [1, 1048576]"},
		{"negative hold", Options{MaxHold: -time.Second},
			"grill: Options.MaxHold -1s out of range [0s, 1h0m0s]", "--max-hold -1s out of range [0s, 1h0m0s]"},
		{"long hold", Options{MaxHold: 2 * time.Hour},
			"grill: Options.MaxHold 2h0m0s out of range [0s, 1h0m0s]", "--max-hold 2h0m0s out of range [0s, 1h0m0s]"},
		{"negative read timeout", Options{ReadTimeout: -time.Millisecond},
			"grill: Options.ReadTimeout -1ms out of range [1ns, 1h0m0s]", "--read-timeout -1ms out of range [1ns, 1h0m0s]"},
		{"long write timeout", Options{WriteTimeout: 61 * time.Minute},
			"grill: Options.WriteTimeout 1h1m0s out of range [1ns, 1h0m0s]", "--write-timeout 1h1m0s out of range [1ns, 1h0m0s]"},
		{"long token", Options{Token: long},
			"grill: Options.Token of 257 bytes, at most 256", "--token of 257 bytes, at most 256"},
		{"token required, none set", Options{RequireToken: true},
			"grill: Options.RequireToken without Options.Token", "--require-token without --token"},
		{"two at once", Options{MaxHold: -time.Second, MaxConns: -1},
			"grill: Options.MaxConns -1 out of range [1, 1048576]\ngrill: Options.MaxHold -1s out of range [0s, 1h0m0s]",
			"--max-conns -1 out of range [1, 1048576]"}, // Validate: the first, on one line
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, err := NewServer(tc.opt)
			verr := tc.opt.Validate()
			if tc.field == "" {
				require.NoError(t, err, "NewServer")
				srv.Close()
				assert.NoError(t, verr, "Validate")
				return
			}
			assert.EqualError(t, err, tc.field, "NewServer")
			assert.EqualError(t, verr, tc.flag, "Validate")
		})
	}
}

// TestEveryOptionHasAFlag guards Validate's wording: a field added to
// Options without its flag in optionFlags would be named "" there.
func TestEveryOptionHasAFlag(t *testing.T) {
	typ := reflect.TypeFor[Options]()
	for i := range typ.NumField() {
		name := typ.Field(i).Name
		assert.NotEmpty(t, optionFlags[name], "optionFlags[%q]", name)
	}
	assert.Len(t, optionFlags, typ.NumField(), "optionFlags names only fields of Options")
}

// ServeInProcess that cannot listen (beyond loopback without a token)
// stops the hold loop NewServer started: goleak, run after every test of
// this package (TestMain), finds no goroutine left.
func TestServeInProcessRefusedLeavesNothing(t *testing.T) {
	p, err := ServeInProcess(Options{}, "0.0.0.0:0")
	require.Error(t, err)
	assert.Nil(t, p)
	assert.ErrorContains(t, err, "beyond loopback")
}
