package bench

import (
	"context"
	"testing"

	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/strategies"
)

// BenchmarkReactorSyscalls serves dinner-rush-net with the event loops
// against a grill service child and reports the system calls their
// reactors made per dish (strategies.ReactorSyscalls), in all and by kind:
// what the reactor's style of I/O costs the kernel, one op per dish.
//
//	go test -run '^$' -bench ReactorSyscalls -cpu 1,2 ./bench
func BenchmarkReactorSyscalls(b *testing.B) {
	k := ioKitchen(b, "dinner-rush-net")
	m := k.Menu
	for _, s := range []strategies.Strategy{strategies.EventLoop{}, strategies.Loops{}} {
		b.Run("menu=dinner-rush-net/strategy="+s.Name(), func(b *testing.B) {
			before := strategies.ReactorSyscalls()
			res, err := Run(context.Background(), k, s, Load{Orders: max(b.N, m.Customers)})
			if err != nil {
				b.Fatal(err)
			}
			if res.Failed > 0 {
				b.Fatalf("%d orders failed: %v", res.Failed, res.Errors)
			}
			d := strategies.ReactorSyscalls().Sub(before)
			n := float64(res.Served)
			b.ReportMetric(float64(d.Total())/n, "syscalls/dish")
			b.ReportMetric(float64(d.EpollWait)/n, "epoll_wait/dish")
			b.ReportMetric(float64(d.Read)/n, "read/dish")
			b.ReportMetric(float64(d.Write)/n, "write/dish")
			b.ReportMetric(float64(d.Connect)/n, "connect/dish")
			b.ReportMetric(float64(d.TimerSet)/n, "timerfd_settime/dish")
		})
	}
}

// ioKitchen returns a kitchen of the built-in menu name with the grill
// service and pantry its call and read steps need, started for the
// benchmark and stopped when it ends.
func ioKitchen(b *testing.B, name string) *kitchen.Kitchen {
	b.Helper()
	m, ok := kitchen.Lookup(name)
	if !ok {
		b.Fatalf("no built-in menu %q", name)
	}
	rig, err := StartIO(context.Background(), []*kitchen.Menu{m}, IOOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { rig.Close() })
	k, err := kitchen.New(m)
	if err != nil {
		b.Fatal(err)
	}
	if err := rig.Equip(k); err != nil {
		b.Fatal(err)
	}
	return k
}
