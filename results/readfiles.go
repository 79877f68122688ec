package results

import "errors"

// ReadFiles reads the result files at paths (Read), in order, and
// reports every one that cannot be read, not only the first.
func ReadFiles(paths []string) ([]*File, error) {
	var files []*File
	var errs []error
	for _, p := range paths {
		f, err := Read(p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		files = append(files, f)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return files, nil
}
