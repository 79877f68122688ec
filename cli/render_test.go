package cli

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kitchenbench/kitchenbench/render"
)

// --per-dish printed nothing unless --format text; it now adds the
// per-dish table in every format: each dish is named more often with it
// than without it.
func TestPerDishInEveryFormat(t *testing.T) {
	for _, format := range render.Formats {
		t.Run(format, func(t *testing.T) {
			args := []string{"run", "--menus", "banquet", "--strategies", "sync", "--cores", "1",
				"--count", "1", "--duration", "5ms", "--warmup", "0", "--out", "-", "--format", format}
			code, without, errOut := runKitchen(t, args...)
			assert.Equal(t, 0, code, errOut)
			code, with, errOut := runKitchen(t, append(args, "--per-dish")...)
			assert.Equal(t, 0, code, errOut)
			for _, dish := range []string{"wellington", "croquembouche", "consomme"} {
				assert.Greater(t, strings.Count(with, dish), strings.Count(without, dish),
					"--per-dish --format %s adds a column for %s", format, dish)
			}
		})
	}
}
