package results

import (
	"errors"
	"fmt"
	"strings"
)

// A FileError is a problem with a result file: which file, where in it, and
// what is wrong. Read returns FileErrors, or several joined with
// errors.Join when a file has more than one problem.
type FileError struct {
	Path  string // the file's name as given to Read
	Line  int    // 1-based line, 0 when unknown
	Col   int    // 1-based column, 0 when unknown
	Field string // JSON field path such as samples[3].cores, "" for the file as a whole
	Err   error
}

var _ error = (*FileError)(nil)

func (e *FileError) Error() string {
	var b strings.Builder
	b.WriteString(e.Path)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Col > 0 {
			fmt.Fprintf(&b, ":%d", e.Col)
		}
	}
	b.WriteString(": ")
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *FileError) Unwrap() error { return e.Err }

// maxErrors is how many problems in one file are reported before the rest
// are summarised as a count.
const maxErrors = 10

// problems collects the problems found in one file.
type problems struct {
	path string
	errs []error
	more int
}

func (p *problems) add(field, format string, args ...any) {
	p.addErr(&FileError{Path: p.path, Field: field, Err: fmt.Errorf(format, args...)})
}

func (p *problems) addErr(err error) {
	if len(p.errs) >= maxErrors {
		p.more++
		return
	}
	p.errs = append(p.errs, err)
}

func (p *problems) err() error {
	if p.more > 0 {
		p.errs = append(p.errs, fmt.Errorf("%s: and %d more problems", p.path, p.more))
	}
	return errors.Join(p.errs...)
}

// wrapped is an error with its own message that still unwraps to the
// library error behind it.
type wrapped struct {
	msg string
	err error
}

func (w *wrapped) Error() string { return w.msg }
func (w *wrapped) Unwrap() error { return w.err }
