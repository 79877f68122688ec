//go:build !linux

package kitchen

import (
	"errors"
	"fmt"
	"os"
)

func openPantry(path string, direct bool) (*os.File, error) {
	if direct {
		return nil, errors.New("kitchen: pantry: O_DIRECT reads are Linux-only here; drop --pantry-direct")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("kitchen: pantry: %w", err)
	}
	return f, nil
}
