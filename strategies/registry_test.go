package strategies

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// renamed is Sync under another name: a strategy of the test's own.
type renamed struct {
	Sync
	name string
}

func (r renamed) Name() string { return r.name }

var _ Strategy = renamed{}

func TestRegister(t *testing.T) {
	Register("test-registered", func() Strategy { return renamed{name: "test-registered"} })

	names := Names()
	assert.Equal(t, builtin, names[:len(builtin)], "built-in strategies first, in their order")
	assert.Contains(t, names[len(builtin):], "test-registered")
	s, err := New("test-registered")
	require.NoError(t, err)
	assert.Equal(t, "test-registered", s.Name())

	names[0] = "changed"
	assert.Equal(t, "sync", Names()[0], "Names returns a copy")

	for _, tc := range []struct {
		name string
		f    func() Strategy
	}{
		{"", func() Strategy { return Sync{} }},
		{"two words", func() Strategy { return Sync{} }},
		{"a/b", func() Strategy { return Sync{} }},
		{"k=v", func() Strategy { return Sync{} }},
		{"a,b", func() Strategy { return Sync{} }},
		{"pool", func() Strategy { return Sync{} }},
		{"test-registered", func() Strategy { return Sync{} }},
		{"nil-func", nil},
	} {
		t.Run(fmt.Sprintf("%q", tc.name), func(t *testing.T) {
			before := len(Names())
			v := panicOf(func() { Register(tc.name, tc.f) })
			assert.Contains(t, fmt.Sprint(v), fmt.Sprintf("strategies: Register(%q)", tc.name))
			assert.Len(t, Names(), before, "a refused Register adds nothing")
		})
	}
}

// panicOf returns what f panics with, failing when it does not.
func panicOf(f func()) (v any) {
	defer func() { v = recover() }()
	f()
	return "no panic"
}
