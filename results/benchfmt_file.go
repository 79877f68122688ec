package results

import "bytes"

// WriteBenchfmtFile writes f in the Go benchmark format to path, atomically
// and refusing to overwrite an existing file unless force, as Write does.
func WriteBenchfmtFile(path string, f *File, force bool) error {
	var buf bytes.Buffer
	if err := WriteBenchfmt(&buf, f); err != nil {
		return err
	}
	return writeAtomic(path, buf.Bytes(), force)
}
