package results

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// WriteFileAtomic writes data to path the way Write writes result files:
// into a uniquely named temporary file in path's directory, synced, then
// renamed onto path (and the directory synced, best effort). A reader never
// sees half a file, a crash never corrupts an existing one, and two writers
// never share a temporary file. Without force it refuses to replace an
// existing non-empty file (an *ExistsError), and does so atomically (a
// hard link that fails when path exists), so of two writers racing for one
// new path exactly one succeeds and neither clobbers the other. It creates
// path's directory as needed.
//
// Commands use it for every file they write besides result files (the
// HTML report), so all share one tested writer.
func WriteFileAtomic(path string, data []byte, force bool) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return writeAtomic(path, data, force)
}

// ExistsError is the error of a write that would replace an existing
// file without force.
type ExistsError struct{ Path string }

func (e *ExistsError) Error() string {
	return fmt.Sprintf("%s already exists: not overwriting it without --force", e.Path)
}

// CheckNew returns an *ExistsError when out names a file that Save (or
// WriteFileAtomic) would refuse to replace without force: out itself or,
// for a FILE.json, its .txt twin, when it is not empty or not a regular
// file (a device, a pipe). A directory (Save's folder), "-" (the commands'
// "no file") and a path not there yet pass. Commands call it before they
// measure, so that a run is not lost to a name already taken.
func CheckNew(out string) error {
	if out == "-" {
		return nil
	}
	paths := []string{out}
	if strings.HasSuffix(out, ".json") {
		paths = append(paths, TwinPath(out))
	}
	for _, p := range paths {
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() && taken(fi) {
			return &ExistsError{p}
		}
	}
	return nil
}

var _ error = (*ExistsError)(nil)
