package history

import "fmt"

// Validate reports the first setting of o out of its range: Alpha in
// (0, 1), Permutations in [1, 1000000], MinSize at least 1. Each error
// starts with the flag of `kitchen history` that sets the field.
func (o Options) Validate() error {
	switch {
	case o.Alpha <= 0 || o.Alpha >= 1:
		return fmt.Errorf("--alpha %v out of range (0, 1)", o.Alpha)
	case o.Permutations < 1 || o.Permutations > 1_000_000:
		return fmt.Errorf("--permutations %d out of range [1, 1000000]", o.Permutations)
	case o.MinSize < 1:
		return fmt.Errorf("--min-size %d out of range [1, ∞)", o.MinSize)
	}
	return nil
}

// Drops is how many of r's change points are drops in dishes/s.
func (r *Report) Drops() int {
	n := 0
	for _, c := range r.Changes {
		if c.Change() < 0 {
			n++
		}
	}
	return n
}
