package grill

import (
	"bufio"
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// Stats are a server's counters. Every fault closed the connection it
// happened on; the server went on serving the others.
type Stats struct {
	Accepted    int64 // connections accepted
	Refused     int64 // connections refused because MaxConns were open (each got a busy reply)
	Active      int64 // connections open now
	Calls       int64 // calls answered in full
	Hellos      int64 // hellos answered
	StatsAsked  int64 // stats requests answered
	Holding     int64 // calls on a grill now
	Waiting     int64 // calls queued for a grill now
	PeakHolding int64 // most calls on grills at once

	// Faults, by kind.
	Garbage      int64 // a frame too short for its header, an unknown op, a call frame of the wrong length
	Oversized    int64 // a frame longer than MaxFrame
	BadVersion   int64 // a version other than 1
	OverCap      int64 // a call asking more than MaxReply bytes or a hold over MaxHold
	Unauthorized int64 // a wrong token, or a request before the hello when a token is required
	Idle         int64 // no request within ReadTimeout: a silent or half-open client
	SlowRead     int64 // a frame begun but not finished within ReadTimeout
	Truncated    int64 // the stream ended inside a frame
	Pipelined    int64 // bytes sent while a call was held
	Abandoned    int64 // the client left while its call waited or was held
	SlowWrite    int64 // a reply not taken by the client within WriteTimeout
	Reset        int64 // any other read or write error (connection reset, …)
	AcceptErrors int64 // failed accepts (out of file descriptors, …)

	CPU time.Duration // the server process's user + system CPU time
}

// Faults is the number of connections closed for a fault of any kind.
func (s Stats) Faults() int64 {
	var n int64
	for _, f := range s.fields()[statsFirstFault:] {
		if f.name != "cpu_ns" && f.name != "accept_errors" {
			n += *f.v
		}
	}
	return n
}

type statField struct {
	name string
	v    *int64
}

const statsFirstFault = 9

// fields names every counter, in the order of the wire format and String.
func (s *Stats) fields() []statField {
	return []statField{
		{"accepted", &s.Accepted}, {"refused", &s.Refused}, {"active", &s.Active},
		{"calls", &s.Calls}, {"hellos", &s.Hellos}, {"stats", &s.StatsAsked},
		{"holding", &s.Holding}, {"waiting", &s.Waiting}, {"peak_holding", &s.PeakHolding},
		{"garbage", &s.Garbage}, {"oversized", &s.Oversized}, {"bad_version", &s.BadVersion},
		{"over_cap", &s.OverCap}, {"unauthorized", &s.Unauthorized}, {"idle", &s.Idle},
		{"slow_read", &s.SlowRead}, {"truncated", &s.Truncated}, {"pipelined", &s.Pipelined},
		{"abandoned", &s.Abandoned}, {"slow_write", &s.SlowWrite}, {"reset", &s.Reset},
		{"accept_errors", &s.AcceptErrors}, {"cpu_ns", (*int64)(&s.CPU)},
	}
}

// String is one line: the counters, then the faults that happened.
func (s Stats) String() string {
	var b strings.Builder
	f := s.fields()
	fmt.Fprintf(&b, "grill: %d connections (%d refused), %d calls, %d hellos, peak %d on grills; faults %d",
		s.Accepted, s.Refused, s.Calls, s.Hellos, s.PeakHolding, s.Faults())
	for _, x := range f[statsFirstFault:] {
		if x.name != "cpu_ns" && *x.v != 0 {
			fmt.Fprintf(&b, ", %s %d", x.name, *x.v)
		}
	}
	fmt.Fprintf(&b, "; cpu %v", s.CPU.Round(time.Microsecond))
	return b.String()
}

// appendText appends the stats reply payload: "name value\n" lines.
func (s *Stats) appendText(b []byte) []byte {
	for _, f := range s.fields() {
		b = append(b, f.name...)
		b = append(b, ' ')
		b = strconv.AppendInt(b, *f.v, 10)
		b = append(b, '\n')
	}
	return b
}

// parseStats reads a stats payload; unknown names are skipped, so that a
// newer server's extra counters do not break an older client.
func parseStats(p []byte) (Stats, error) {
	var s Stats
	byName := map[string]*int64{}
	for _, f := range s.fields() {
		byName[f.name] = f.v
	}
	sc := bufio.NewScanner(bytes.NewReader(p))
	for line := 1; sc.Scan(); line++ {
		name, val, ok := strings.Cut(sc.Text(), " ")
		n, err := strconv.ParseInt(val, 10, 64)
		if !ok || err != nil {
			return s, fmt.Errorf("grill: stats reply line %d: %q is not \"name value\"", line, sc.Text())
		}
		if v := byName[name]; v != nil {
			*v = n
		}
	}
	return s, nil
}

// counters are the server's live counters.
type counters struct {
	accepted, refused, active, calls, hellos, stats                     atomic.Int64
	garbage, oversized, badVersion, overCap, unauthorized, idle         atomic.Int64
	slowRead, truncated, pipelined, abandoned, slowWrite, reset, accErr atomic.Int64
}
