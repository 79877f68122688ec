// Package grill is the grill service of issue 12: a small TCP server that
// answers each call after holding it for the time the call asks, on at most
// G "grills" at once, so that a kitchen's grill steps become real network
// round trips. It also has the blocking client (Dial, Conn.Call), the
// encoders a non-blocking reactor needs to speak the protocol on a raw file
// descriptor (AppendCall, AppendHello, ParseReplyHeader), a supervisor
// (Start) that runs the service as a child process and stops it on every
// exit path, and ServeInProcess, which serves it on a goroutine of this
// process (for tests and examples). The command `kitchen grill-server` serves it (ServeUntil);
// package kitchen says what a call step is and package strategies makes
// the calls.
//
// # Protocol (version 1)
//
// Every frame, both ways, is a 4-byte big-endian length L followed by L
// bytes. A request is
//
//	byte 0     version, 1
//	byte 1     op: 1 hello, 2 call, 3 stats
//	hello      bytes 2…: the shared token (may be empty), at most 256 bytes
//	call       bytes 2–9: hold in nanoseconds, uint64 big-endian;
//	           bytes 10–13: reply size in bytes, uint32 big-endian (L = 14)
//	stats      nothing more (L = 2)
//
// and a reply is
//
//	byte 0     status: 0 ok, 1 malformed, 2 unknown version, 3 over a cap,
//	           4 unauthorized, 5 busy (too many connections)
//	bytes 1…   ok to a call: exactly the asked number of bytes (zeros);
//	           ok to a hello: the server's settings, 24 bytes big-endian:
//	           grills u32, max reply u32, max hold ns u64, max frame u32,
//	           max connections u32;
//	           ok to stats: text lines "name value\n" (see Stats);
//	           an error: a message of at most 256 bytes, after which the
//	           server closes the connection.
//
// A connection carries one request at a time: the client sends its next
// request after it has read the reply. Bytes that arrive while a call is
// held, or the end of the stream, end the connection (counted as pipelined
// or abandoned), and an abandoned call frees its grill at once. When the
// server requires a token, a connection's first request must be a hello
// with that token; anything else is refused as unauthorized. The server
// never sends more than 5 + its reply cap bytes for one request.
//
// # Holding with precision
//
// Go's time.Sleep and time.Timer wake late by about a millisecond on some
// kernels, which would swamp a 3 ms grill step. The server instead keeps
// one goroutine locked to its OS thread that waits in epoll on a timerfd
// armed, in absolute CLOCK_MONOTONIC time, at the earliest deadline of a
// heap of holds, plus an eventfd that wakes it for new holds. That thread
// owns the grills and their FIFO queue: when a hold ends it writes the
// reply with one non-blocking writev on the socket and hands the grill to
// the longest waiter, whose hold starts at the freed grill's deadline (or
// its own arrival if later), so lateness does not add up down a queue.
// The connection's goroutine only finishes a reply the socket could not
// take at once. The thread returns from epoll through Go's scheduler, so
// the server wants a spare P: run it with GOMAXPROCS ≥ 2 (Start does).
// BenchmarkHoldOvershoot compares this with time.Sleep and time.Timer.
//
// # Using it from a kitchen
//
// A server has one set of grills, so a run starts one child per menu with
// Start(ctx, ChildOptions{Grills: menu.Grills}) (or checks Info().Grills
// of a server named with --grill). Blocking cooks Dial a Conn each and
// Call(hold, reply); a reactor writes AppendCall's bytes on its own
// non-blocking socket and reads ParseReplyHeader's payload length. Ask
// Conn.Stats before and after a measurement for the server's CPU time,
// which works for a server on another machine too.
//
// # Safety
//
// The server binds 127.0.0.1 unless told otherwise, and refuses to listen
// beyond loopback without a shared token. It caps the frame size, the
// reply size, the hold time and the connections it keeps (Options), closes
// connections that stay silent, send a frame too slowly or read a reply too
// slowly, and counts every such event by kind (Stats). The hold loop, the
// writev and the supervisor's parent-death signal are Linux-only; elsewhere
// NewServer and Start return an error saying so, and the client still works.
package grill
