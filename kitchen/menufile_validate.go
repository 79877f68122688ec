package kitchen

import (
	"errors"
	"fmt"
	"strings"
)

// validate runs Menu.Validate on m and reports its problems at the lines
// and under the names the file used.
func (p *menuParser) validate(m *Menu) {
	if p.big {
		return // Validate would only see a truncated menu
	}
	err := m.Validate()
	if err == nil {
		return
	}
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	for _, e := range errs {
		var fe *FieldError
		if !errors.As(e, &fe) {
			fe = &FieldError{Err: e} // Validate makes only FieldErrors: this is for safety
		}
		if p.reported(fe.Path) {
			continue
		}
		problem := fe.Err
		if _, set := p.where[fe.Path]; (!set || p.unset[fe.Path]) && !errors.Is(problem, errMissing) {
			problem = fmt.Errorf("not set (%w)", problem) // "customers: 0 out of range" puzzles when no 0 was written
		}
		pl := p.place(fe.Path)
		p.add(&MenuError{File: p.file, Line: pl.line, Field: pl.field, Err: problem})
	}
}

// reported says whether vpath or a value containing it failed to read.
func (p *menuParser) reported(vpath string) bool {
	for b := range p.bad {
		if b == "" || vpath == b || strings.HasPrefix(vpath, b+".") || strings.HasPrefix(vpath, b+"[") {
			return true
		}
	}
	return false
}

// place finds where Validate's path vpath is written: the field itself, or
// for a missing field its closest enclosing value.
func (p *menuParser) place(vpath string) place {
	if pl, ok := p.where[vpath]; ok {
		return pl
	}
	for parent := vpath; parent != ""; {
		i := strings.LastIndexAny(parent, ".[")
		if i < 0 {
			parent = ""
		} else {
			parent = parent[:i]
		}
		if pl, ok := p.where[parent]; ok {
			return place{field: vpath, line: pl.line}
		}
	}
	return place{field: vpath}
}
