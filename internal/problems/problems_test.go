package problems

import (
	"cmp"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// numbered is a problem with a number to sort by.
type numbered int

func (n numbered) Error() string { return fmt.Sprintf("f: problem %d", int(n)) }

func TestListErr(t *testing.T) {
	for _, tc := range []struct {
		name  string
		added int
		lines int    // lines in Err's message
		last  string // its last line
	}{
		{"none", 0, 0, ""},
		{"one", 1, 1, "f: problem 0"},
		{"up to the cap", Max, Max, fmt.Sprintf("f: problem %d", Max-1)},
		{"one over the cap", Max + 1, Max + 1, "f: and 1 more problems"},
		{"past what is kept", keep + 7, Max + 1, fmt.Sprintf("f: and %d more problems", keep+7-Max)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := List[numbered]{File: "f"}
			for i := range tc.added {
				l.Add(numbered(i))
			}
			assert.Equal(t, tc.added, l.Len(), "Len()")
			err := l.Err()
			if tc.lines == 0 {
				assert.NoError(t, err, "Err() with no problems")
				return
			}
			require.Error(t, err, "Err()")
			lines := strings.Split(err.Error(), "\n")
			assert.Len(t, lines, tc.lines, "Err() = %v", err)
			assert.Equal(t, tc.last, lines[len(lines)-1], "Err()'s last line")
			var n numbered
			require.True(t, errors.As(err, &n), "Err() = %v; want it to unwrap to the problems", err)
			assert.Equal(t, numbered(0), n, "first problem")
		})
	}
}

func TestListSortFunc(t *testing.T) {
	l := List[numbered]{File: "f"}
	for i := range 3 * Max {
		l.Add(numbered(3*Max - i)) // 60, 59, ... 1
	}
	l.SortFunc(func(a, b numbered) int { return cmp.Compare(a, b) })
	lines := strings.Split(l.Err().Error(), "\n")
	require.Len(t, lines, Max+1, "Err()")
	for i, line := range lines[:Max] {
		assert.Equal(t, fmt.Sprintf("f: problem %d", i+1), line, "problem %d after SortFunc", i)
	}
	assert.Equal(t, fmt.Sprintf("f: and %d more problems", 2*Max), lines[Max], "last line")
}
