package history

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/kitchenbench/kitchenbench/results"
)

// ReadDir reads every result file (*.json) in dir, not its subfolders.
// Go benchmark files (*.txt) are left out: `kitchen run` writes one beside
// each JSON file with the same samples, and they carry no commit date.
func ReadDir(dir string) ([]*results.File, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, fmt.Errorf("history: %s: %w", dir, err)
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("history: %s: no result files (*.json)", dir)
	}
	slices.Sort(paths)
	return ReadFiles(paths)
}

// ReadFiles reads result files and directories of them, reporting every
// file that cannot be read.
func ReadFiles(paths []string) ([]*results.File, error) {
	var files []*results.File
	var errs []error
	for _, p := range paths {
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			fs, err := ReadDir(p)
			if err != nil {
				errs = append(errs, err)
			}
			files = append(files, fs...)
			continue
		}
		f, err := results.Read(p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		files = append(files, f)
	}
	return files, errors.Join(errs...)
}
