//go:build linux

package grill

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"
)

// reportLateness reports the mean, median and 99th percentile of late
// (ns past the asked wait) as custom metrics.
func reportLateness(b *testing.B, prefix string, late []int64) {
	if len(late) == 0 {
		return
	}
	slices.Sort(late)
	var sum int64
	for _, l := range late {
		sum += l
	}
	b.ReportMetric(float64(sum)/float64(len(late)), prefix+"-mean-ns")
	b.ReportMetric(float64(late[len(late)/2]), prefix+"-p50-ns")
	b.ReportMetric(float64(late[len(late)*99/100]), prefix+"-p99-ns")
}

// BenchmarkHoldOvershoot measures how late a wait of hold ends, as the
// waiting goroutine sees it: with the server's hold loop (timerfd and
// epoll on a locked thread; "loop" also reports how late the loop thread
// itself woke), with time.Sleep and with time.Timer.
//
//	go test ./grill -run '^$' -bench HoldOvershoot -benchtime 300x
func BenchmarkHoldOvershoot(b *testing.B) {
	for _, d := range []time.Duration{time.Millisecond, 3 * time.Millisecond, 7500 * time.Microsecond} {
		b.Run("mech=timerfd/hold="+d.String(), func(b *testing.B) {
			h, err := newHolder(0)
			if err != nil {
				b.Fatal(err)
			}
			defer h.close()
			late, loopLate := make([]int64, 0, b.N), make([]int64, 0, b.N)
			done := make(chan int64, 1)
			for b.Loop() {
				x := &hold{d: int64(d), arrival: monoNow()}
				x.end = func(bool) { done <- monoNow() - x.deadline }
				h.start(x)
				loopLate = append(loopLate, <-done)
				late = append(late, monoNow()-x.deadline)
			}
			reportLateness(b, "late", late)
			reportLateness(b, "loop-late", loopLate)
		})
		b.Run("mech=sleep/hold="+d.String(), func(b *testing.B) {
			late := make([]int64, 0, b.N)
			for b.Loop() {
				t0 := time.Now()
				time.Sleep(d)
				late = append(late, int64(time.Since(t0)-d))
			}
			reportLateness(b, "late", late)
		})
		b.Run("mech=timer/hold="+d.String(), func(b *testing.B) {
			late := make([]int64, 0, b.N)
			for b.Loop() {
				t0 := time.Now()
				<-time.NewTimer(d).C
				late = append(late, int64(time.Since(t0)-d))
			}
			reportLateness(b, "late", late)
		})
	}
}

// BenchmarkCall measures a blocking client's calls on loopback to an
// in-process server and to a child process (GOMAXPROCS 2): with hold 0,
// ns/op is the round trip's overhead; with a hold, late-* is how much
// longer than the hold a call took, as the caller sees it.
//
//	go test ./grill -run '^$' -bench 'Call$'
func BenchmarkCall(b *testing.B) {
	for _, tc := range []struct {
		hold  time.Duration
		reply int
	}{{0, 0}, {0, 512}, {0, 64 << 10}, {3 * time.Millisecond, 512}} {
		b.Run("server=inprocess/hold="+tc.hold.String()+"/reply="+strconv.Itoa(tc.reply), func(b *testing.B) {
			_, addr := startServer(b, Options{Grills: 1})
			benchCalls(b, addr, tc.hold, tc.reply)
		})
		b.Run("server=child/hold="+tc.hold.String()+"/reply="+strconv.Itoa(tc.reply), func(b *testing.B) {
			child, err := Start(context.Background(), ChildOptions{Exe: kitchenBinary(b)})
			if err != nil {
				b.Fatal(err)
			}
			defer child.Stop()
			benchCalls(b, child.Addr(), tc.hold, tc.reply)
		})
	}
}

// benchCalls makes b.N calls on one connection to addr.
func benchCalls(b *testing.B, addr string, hold time.Duration, reply int) {
	c := dial(b, addr, DialOptions{})
	late := make([]int64, 0, b.N)
	for b.Loop() {
		t0 := time.Now()
		if err := c.Call(hold, reply); err != nil {
			b.Fatal(err)
		}
		late = append(late, int64(time.Since(t0)-hold))
	}
	b.SetBytes(int64(reply))
	reportLateness(b, "late", late)
}
