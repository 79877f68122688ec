package results

import (
	"fmt"
	"strings"

	"github.com/kitchenbench/kitchenbench/internal/problems"
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

// fileProblems collects the problems found in one file; problems.Max
// caps how many are listed.
type fileProblems struct{ problems.List[error] }

func newProblems(path string) *fileProblems {
	return &fileProblems{problems.List[error]{File: path}}
}

func (p *fileProblems) add(field, format string, args ...any) {
	p.Add(&FileError{Path: p.File, Field: field, Err: fmt.Errorf(format, args...)})
}

// wrapped is an error with its own message that still unwraps to the
// library error behind it.
type wrapped struct {
	msg string
	err error
}

func (w *wrapped) Error() string { return w.msg }
func (w *wrapped) Unwrap() error { return w.err }
