//go:build unix

package strategies

import (
	"golang.org/x/sys/unix"

	"github.com/kitchenbench/kitchenbench/kitchen"
)

// pread reads b at off with one pread(2) on the pantry's descriptor: a
// blocking cook's thread waits in the kernel for the page cache or the disk.
func pread(p *kitchen.Pantry, b []byte, off int64) (int, error) {
	for {
		n, err := unix.Pread(p.FD(), b, off)
		if err == unix.EINTR {
			continue
		}
		return n, err
	}
}
