package abrun

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kitchenbench/kitchenbench/abtest"
	"github.com/kitchenbench/kitchenbench/bench"
	"github.com/kitchenbench/kitchenbench/kitchen"
)

// NoComparisonError is Check's error when no comparison could be made:
// a build or a run failed, or no cell was measured by both binaries. It
// reads as the error it wraps.
type NoComparisonError struct{ Err error }

func (e *NoComparisonError) Error() string { return e.Err.Error() }
func (e *NoComparisonError) Unwrap() error { return e.Err }

// Validate reports the first option out of its range, naming the flag of
// `kitchen check --against` that sets it: a git ref is needed, 3 to 1000
// rounds, 1 to 100 samples, a duration from 1ms to 1h, built-in menus and
// core counts that `kitchen run` reads.
func (o Options) Validate() error {
	switch {
	case o.Ref == "":
		return errors.New("--against needs a git REF")
	case o.Rounds < 3 || o.Rounds > 1000:
		return fmt.Errorf("--rounds %d out of range [3, 1000]", o.Rounds)
	case o.Samples < 1 || o.Samples > 100:
		return fmt.Errorf("--samples %d out of range [1, 100]", o.Samples)
	case o.Duration < time.Millisecond || o.Duration > time.Hour:
		return fmt.Errorf("--duration %v out of range [1ms, 1h]", o.Duration)
	}
	if _, err := kitchen.PickMenus(o.Menus); err != nil {
		return fmt.Errorf("--menus: %w", err)
	}
	if _, err := bench.ParseCores(o.Cores); err != nil {
		return fmt.Errorf("--cores: %w", err)
	}
	return nil
}

// Check measures the rounds (Run) and judges them (abtest.Gate with
// gate). A *NoComparisonError means no comparison could be made; after
// the context ends the error is ctx.Err().
func Check(ctx context.Context, o Options, gate abtest.Options) (*abtest.Verdict, error) {
	rounds, err := Run(ctx, o)
	if err != nil {
		if ctx.Err() != nil {
			return nil, err
		}
		return nil, &NoComparisonError{err}
	}
	v := abtest.Gate(rounds, gate)
	if len(v.Cells) == 0 {
		return nil, &NoComparisonError{errors.New("check --against: no cell was measured by both binaries")}
	}
	return v, nil
}

// CellList names cells with their change, comma-separated:
// "banquet/sync/1 (-6.0%), banquet/pool/2 (+0.4%)".
func CellList(cs []abtest.Cell) string {
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = fmt.Sprintf("%s (%+.1f%%)", CellName(c.Cell), 100*c.Change)
	}
	return strings.Join(s, ", ")
}
