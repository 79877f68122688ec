package results

import (
	"os"
	"path/filepath"
	"strings"
)

// Save writes f and its Go-benchmark-format twin (the same path ending
// in .txt instead of .json) and returns the JSON file's path. out is
// either a FILE.json path, written only when it does not exist yet
// unless force is set, or a directory, in which Save reserves a new name
// for f's machine (UniqueName, BaseName), creating the directory as
// needed.
func Save(out string, f *File, force bool) (string, error) {
	var path string
	if strings.HasSuffix(out, ".json") {
		path = out
		if dir := filepath.Dir(path); dir != "" {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return "", err
			}
		}
	} else {
		var err error
		if path, err = UniqueName(out, BaseName(f.Machine), ".json"); err != nil {
			return "", err
		}
		force = true // our own empty reservation
	}
	if err := Write(path, f, force); err != nil {
		return "", err
	}
	if err := WriteBenchfmtFile(TwinPath(path), f, force); err != nil {
		return "", err
	}
	return path, nil
}

// TwinPath is the path of the Go-benchmark-format twin of the result
// file at path: path with .json replaced by .txt.
func TwinPath(path string) string { return strings.TrimSuffix(path, ".json") + ".txt" }
