package results

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// writeAtomic writes data to path via a synced temporary file and a rename.
func writeAtomic(path string, data []byte, force bool) (err error) {
	if !force {
		if fi, err := os.Stat(path); err == nil && taken(fi) {
			return &ExistsError{path}
		}
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("writing %s: sync: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if force {
		err = os.Rename(tmp.Name(), path)
	} else {
		err = renameNoClobber(tmp.Name(), path)
	}
	if err != nil {
		return err
	}
	syncDir(dir)
	return nil
}

// taken reports whether a write without force must leave the file fi
// describes alone: it is not empty, or not a regular file (a device, a
// pipe, a directory). An empty regular file is a reservation UniqueName
// made, and is replaced.
func taken(fi fs.FileInfo) bool { return fi.Size() > 0 || !fi.Mode().IsRegular() }

// renameNoClobber renames tmp to path unless path is taken (see taken).
// A hard link fails atomically when path exists, so two writers racing for
// one name cannot both succeed; an empty file there is a reservation made
// by UniqueName and is replaced.
func renameNoClobber(tmp, path string) error {
	if err := os.Link(tmp, path); err == nil {
		os.Remove(tmp)
		return nil
	} else if !errors.Is(err, fs.ErrExist) {
		// No hard links on this file system: check, then rename.
		if fi, serr := os.Stat(path); serr == nil && taken(fi) {
			return &ExistsError{path}
		}
		if err := os.Rename(tmp, path); err != nil {
			return fmt.Errorf("writing %s: %w", path, err)
		}
		return nil
	}
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if taken(fi) {
		return &ExistsError{path}
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// syncDir fsyncs a directory so a rename in it survives a crash. Best
// effort: some systems cannot sync a directory.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	d.Sync()
	d.Close()
}

// UniqueName reserves a new file name dir/base+ext, or dir/base-2+ext,
// dir/base-3+ext and so on when taken, by creating it empty with O_EXCL, so
// two processes writing into one folder at once never pick the same name.
// Write then replaces the empty reservation (without needing force).
//
// ext includes its dot (".json"). Companion files (the ".txt" beside a
// ".json") share the reserved stem: reserve the ".json" name and derive the
// other from it.
func UniqueName(dir, base, ext string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("reserving a result file name: %w", err)
	}
	const maxTries = 10000
	for i := 1; i <= maxTries; i++ {
		name := base
		if i > 1 {
			name += "-" + strconv.Itoa(i)
		}
		path := filepath.Join(dir, name+ext)
		fd, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil {
			fd.Close()
			return path, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return "", fmt.Errorf("reserving a result file name: %w", err)
		}
	}
	return "", fmt.Errorf("reserving a result file name: %s%s and %d others in %s are all taken", base, ext, maxTries-1, dir)
}

// BaseName returns a file name stem for a result file measured on m: its
// date (UTC), a short slug of the CPU model and the logical CPU count, as in
// "2026-11-25T120000-amd-epyc-7763-2cpu".
func BaseName(m Machine) string {
	date := m.Date
	if date.IsZero() {
		date = time.Now()
	}
	parts := []string{date.UTC().Format("2006-01-02T150405")}
	model, _, _ := strings.Cut(m.CPUModel, "@") // drop "@ 1.90GHz"
	if s := slug(model, 24); s != "" {
		parts = append(parts, s)
	}
	if m.LogicalCPUs > 0 {
		parts = append(parts, fmt.Sprintf("%dcpu", m.LogicalCPUs))
	}
	return strings.Join(parts, "-")
}

// slug lower-cases s and keeps letters and digits, with single dashes
// between words, cut at a word boundary to at most n bytes.
func slug(s string, n int) string {
	var words []string
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !('a' <= r && r <= 'z' || '0' <= r && r <= '9')
	}) {
		switch w {
		case "r", "tm", "c", "cpu", "processor", "with", "radeon", "graphics":
			continue // (R), (TM), "CPU @ 2.1GHz" noise
		}
		words = append(words, w)
	}
	out := ""
	for _, w := range words {
		next := w
		if out != "" {
			next = out + "-" + w
		}
		if len(next) > n {
			break
		}
		out = next
	}
	return out
}
