// Package problems collects the problems found in one input file, so that
// a reader of kitchenbench's files (menu files in package kitchen, result
// files in package results) reports them all at once, and caps how many it
// lists: one cap and one "and N more problems" line for every file kind.
//
// It imports nothing of kitchenbench's, so that kitchen, which imports
// nothing of ours, and results can both use it.
package problems

import (
	"errors"
	"fmt"
	"slices"
)

// Max is how many problems in one file are listed before the rest are
// summed up as a count.
//
// Note: 20, not 10. Menu files are written by hand, and each problem
// listed is one fewer run to find the next; twenty lines still fit a
// terminal. Result files are written by the tool, and a broken one usually
// has one problem repeated in every sample: the first few say it all, and
// the count says the rest.
const Max = 20

// keep is how many problems a List holds before it only counts them: more
// than Max, so that the Max listed after SortFunc are the first by the
// sort's order, not by the order they were found in.
const keep = 10 * Max

// A List collects the problems found in one file, named File. Its zero
// value, given a File, is ready to use.
type List[E error] struct {
	File string // the file's name, for the "and N more problems" line
	errs []E
	more int // problems beyond the first keep, counted only
}

// Add records err.
func (l *List[E]) Add(err E) {
	if len(l.errs) >= keep {
		l.more++
		return
	}
	l.errs = append(l.errs, err)
}

// Len says how many problems were added.
func (l *List[E]) Len() int { return len(l.errs) + l.more }

// SortFunc orders the problems held by cmp, keeping the order of equal
// ones, so that Err lists the first Max by that order.
func (l *List[E]) SortFunc(cmp func(a, b E) int) {
	slices.SortStableFunc(l.errs, cmp)
}

// Err returns nil when there are no problems, else the first Max joined
// with errors.Join, followed, when there are more, by a line
// "FILE: and N more problems".
func (l *List[E]) Err() error {
	errs := make([]error, 0, min(len(l.errs), Max)+1)
	for _, e := range l.errs[:min(len(l.errs), Max)] {
		errs = append(errs, e)
	}
	if n := l.Len() - Max; n > 0 {
		errs = append(errs, fmt.Errorf("%s: and %d more problems", l.File, n))
	}
	return errors.Join(errs...)
}
