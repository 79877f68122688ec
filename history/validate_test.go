package history

import (
	"strings"
	"testing"
)

func TestOptionsValidate(t *testing.T) {
	if err := DefaultOptions.Validate(); err != nil {
		t.Fatalf("DefaultOptions.Validate() = %v; want nil", err)
	}
	for _, tc := range []struct {
		change func(*Options)
		want   string
	}{
		{func(o *Options) { o.Alpha = 1 }, "--alpha 1 out of range (0, 1)"},
		{func(o *Options) { o.Permutations = 0 }, "--permutations 0 out of range [1, 1000000]"},
		{func(o *Options) { o.MinSize = 0 }, "--min-size 0 out of range [1, ∞)"},
	} {
		o := DefaultOptions
		tc.change(&o)
		if err := o.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Validate() = %v; want %q", err, tc.want)
		}
	}
}

func TestDrops(t *testing.T) {
	r := &Report{Changes: []ChangePoint{{Before: 100, After: 80}, {Before: 80, After: 120}, {Before: 120, After: 90}}}
	if got := r.Drops(); got != 2 {
		t.Errorf("Drops() = %d; want 2", got)
	}
}
