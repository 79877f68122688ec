// Package strategies serves a kitchen's orders in six ways, one per
// concurrency model a backend engineer weighs ("sync, async or threads?"):
//
//	sync        one cook serves each order start to finish, waiting at the grill
//	eventloop   one multitasking cook: a cooperative loop that switches dishes while they grill
//	pool        many cooks, many grills: a GOMAXPROCS-wide worker pool (free threading)
//	gil         the same pool with one global lock around all cooking (CPython's GIL)
//	goroutines  one goroutine per order on Go's own scheduler
//	loops       one event loop per core (free-threaded asyncio, one loop per thread)
//
// All implement Strategy: they take orders from a channel, serve each
// exactly once against a kitchen.Kitchen, and report each outcome to a
// callback. Each waits for a grill or a rest the way its style waits for
// I/O, ending the wait when it is due (kitchen.PreciseWaits, the default)
// or with Go's runtime timers alone (kitchen.RuntimeWaits). Measure them
// with package bench. A kitchen.Trace in Serve's context is called as each
// step starts and around each slice of CPU work: tests watch and stall
// the strategies through it.
//
// Call and read steps are real I/O, each in its strategy's own style (see
// io.go): a call is a round trip to the grill service (package grill) at
// kitchen.Kitchen.Grill, a read a pread of the pantry file. sync, pool and
// gil cooks each keep one blocking connection for the whole run, dialed at
// their first call, as a thread of a blocking server keeps its socket; gil
// drops its lock for calls and reads as CPython does around blocking I/O.
// goroutines gives each dish in progress a connection from a run-wide pool
// of idle ones, dialing when none is idle and keeping at most IdleConns
// idle, so a run holds as many connections as it had calls in flight at its
// peak; each goroutine blocks on net.Conn, on Go's netpoller. A call that
// fails (service down, connection reset, no reply by its hold plus the
// endpoint's timeout) fails its order with an *IOError and drops the
// connection; the next call dials again. Every connection is closed when
// Serve returns.
package strategies
