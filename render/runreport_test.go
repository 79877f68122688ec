package render

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A run report of an open loop is the run's tables, its open-loop table
// and, with PerDish, the per-dish table: three JSON documents, three CSV
// tables.
func TestRunReportWritesEachTable(t *testing.T) {
	for _, tc := range []struct {
		perDish bool
		tables  int
	}{{false, 2}, {true, 3}} {
		r := RunReport{File: openFile(), PerDish: tc.perDish}
		var w bytes.Buffer
		require.NoError(t, Write(&w, FormatJSON, r))
		dec, docs := json.NewDecoder(&w), 0
		for {
			var v any
			err := dec.Decode(&v)
			if errors.Is(err, io.EOF) {
				break
			}
			require.NoError(t, err)
			docs++
		}
		assert.Equal(t, tc.tables, docs, "JSON documents, per-dish %v", tc.perDish)
		w.Reset()
		require.NoError(t, Write(&w, FormatCSV, r))
		assert.Equal(t, tc.tables-1, strings.Count(w.String(), "\n\n"), "blank lines between CSV tables, per-dish %v", tc.perDish)
	}
}
