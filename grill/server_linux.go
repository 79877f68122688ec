package grill

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// writeNow writes head and payload with non-blocking writev calls until
// the socket takes no more, and returns the bytes written. It never waits,
// so the hold loop can call it: the connection's goroutine writes the rest.
func writeNow(rc syscall.RawConn, head, payload []byte) (written int) {
	total := len(head) + len(payload)
	rc.Write(func(fd uintptr) bool {
		for written < total {
			var iov [][]byte
			if written < len(head) {
				iov = [][]byte{head[written:], payload}
			} else {
				iov = [][]byte{payload[written-len(head):]}
			}
			n, err := unix.Writev(int(fd), iov)
			if n > 0 {
				written += n
			}
			if err == unix.EINTR {
				continue
			}
			if err != nil || n <= 0 {
				break
			}
		}
		return true // never wait for writability on the loop's thread
	})
	return written
}
