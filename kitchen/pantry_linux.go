//go:build linux

package kitchen

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

func openPantry(path string, direct bool) (*os.File, error) {
	flags := os.O_RDONLY
	if direct {
		flags |= syscall.O_DIRECT
	}
	f, err := os.OpenFile(path, flags, 0)
	if err != nil {
		if direct {
			return nil, fmt.Errorf("kitchen: pantry: the filesystem of %s refuses O_DIRECT (%w); drop --pantry-direct or give --pantry-dir on a disk filesystem", filepath.Dir(path), err)
		}
		return nil, fmt.Errorf("kitchen: pantry: %w", err)
	}
	return f, nil
}
