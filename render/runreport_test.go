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

// note is a Subject that writes its name in every format.
type note string

func (n note) ToText(w io.Writer) error     { _, err := io.WriteString(w, string(n)); return err }
func (n note) ToMarkdown(w io.Writer) error { return n.ToText(w) }
func (n note) ToCSV(w io.Writer) error      { return n.ToText(w) }
func (n note) ToJSON(w io.Writer) error     { return n.ToText(w) }

// A run report's verdict comes last in every format, once: in JSON a
// document of its own, in CSV a table after a blank line.
func TestRunReportEndsWithTheVerdict(t *testing.T) {
	for _, format := range Formats {
		var w bytes.Buffer
		require.NoError(t, Write(&w, format, RunReport{File: openFile(), Verdict: note("VERDICT")}))
		assert.True(t, strings.HasSuffix(w.String(), "VERDICT"), "%s: the verdict at the end", format)
		assert.Equal(t, 1, strings.Count(w.String(), "VERDICT"), format)
	}
	var w bytes.Buffer
	require.NoError(t, Write(&w, FormatCSV, RunReport{File: openFile(), Verdict: note("VERDICT")}))
	assert.True(t, strings.HasSuffix(w.String(), "\n\nVERDICT"), "CSV: a table of its own")
}
