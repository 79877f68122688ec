package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A baseline whose own menu does not decode is an error naming the menu
// and the file (exit 2): check used to measure the built-in menu of that
// name instead, in silence.
func TestCheckRejectsABaselineMenuThatDoesNotDecode(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "reference", "2cpu.json"))
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(raw, &doc))
	doc["config"].(map[string]any)["menus"].(map[string]any)["banquet"] = map[string]any{"dishes": "not a list"}
	path := filepath.Join(t.TempDir(), "bad-menu.json")
	b, err := json.Marshal(doc)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, b, 0o644))

	code, _, errOut := runKitchen(t, "check", "--baseline", path, "--count", "1")
	assert.Equal(t, 2, code, errOut)
	assert.Contains(t, errOut, path)
	assert.Contains(t, errOut, `menu "banquet"`)
	assert.NotContains(t, errOut, "measuring the baseline's", "nothing is measured")
}
