package render

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/strategies"
)

// Every format of the menus listing names each dish's steps and every
// strategy's bound; the text form is the one `kitchen menus` always had.
func TestMenusInEveryFormat(t *testing.T) {
	m, ok := kitchen.Lookup("steak-and-salad")
	require.True(t, ok)
	listing, err := MenusOf([]*kitchen.Menu{m}, 1000, 4)
	require.NoError(t, err)
	require.Len(t, listing.Menus, 1)
	assert.Len(t, listing.Menus[0].Bounds, len(strategies.Names()), "a bound per strategy")
	for _, format := range Formats {
		t.Run(format, func(t *testing.T) {
			var w bytes.Buffer
			require.NoError(t, Write(&w, format, listing))
			out := w.String()
			assert.Contains(t, out, "season(cpu 50)")
			for _, s := range strategies.Names() {
				assert.Contains(t, out, s)
			}
			switch format {
			case FormatText:
				assert.True(t, strings.HasPrefix(out, "1 work unit = 1000 ns on this machine (calibrated now)\n\nsteak-and-salad: "), out)
				assert.Contains(t, out, "season(cpu 50) → grill(grill 4ms) → rest(rest 2ms) → plate(cpu 30)")
				assert.Contains(t, out, "model bound, dishes/s:\n")
			case FormatMarkdown:
				assert.Contains(t, out, "### steak-and-salad")
				assert.Contains(t, out, "| ")
			case FormatCSV:
				assert.Contains(t, out, "menu,strategy,bound_1core,bound_4cores\n")
			case FormatJSON:
				var back Menus
				require.NoError(t, json.Unmarshal(w.Bytes(), &back))
				assert.Equal(t, listing, back)
			}
		})
	}
}
