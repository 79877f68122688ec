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
// with package bench.
package strategies
