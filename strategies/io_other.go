//go:build !unix

package strategies

import (
	"errors"
	"io"

	"github.com/kitchenbench/kitchenbench/kitchen"
)

// pread reads b at off through os.File.ReadAt where unix.Pread is missing.
func pread(p *kitchen.Pantry, b []byte, off int64) (int, error) {
	n, err := p.File.ReadAt(b, off)
	if errors.Is(err, io.EOF) && n > 0 {
		err = nil
	}
	return n, err
}
