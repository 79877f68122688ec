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
func ReadDir(dir string) ([]*results.File, error) { return ReadFiles([]string{dir}) }

// ReadFiles reads result files and directories of them (each directory's
// *.json files in name order) with results.ReadFiles, reporting every
// file that cannot be read and every directory with none.
func ReadFiles(paths []string) ([]*results.File, error) {
	var files []string
	var errs []error
	for _, p := range paths {
		if st, err := os.Stat(p); err != nil || !st.IsDir() {
			files = append(files, p) // results.Read reports what is wrong with it
			continue
		}
		found, err := filepath.Glob(filepath.Join(p, "*.json"))
		if err == nil && len(found) == 0 {
			err = errors.New("no result files (*.json)")
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("history: %s: %w", p, err))
			continue
		}
		slices.Sort(found)
		files = append(files, found...)
	}
	read, err := results.ReadFiles(files)
	if err = errors.Join(append(errs, err)...); err != nil {
		return nil, err
	}
	return read, nil
}
