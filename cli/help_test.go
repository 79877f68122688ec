package cli

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Every subcommand's -h prints its whole help text (help/NAME.txt), with
// an example, then its flags.
func TestEveryCommandsHelpPrintsItsText(t *testing.T) {
	names := []string{"check --against"}
	for _, c := range commands {
		if c.name != "help" {
			names = append(names, c.name)
		}
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			text := helpText(name)
			assert.Contains(t, text, "Usage: kitchen "+strings.Fields(name)[0])
			assert.Contains(t, text, "Example:")
			args := append(strings.Fields(name), "-h")
			if name == "check --against" {
				args = []string{"check", "--against", "HEAD", "-h"}
			}
			code, _, errOut := runKitchen(t, args...)
			assert.Equal(t, 0, code, "%s -h", name)
			assert.True(t, strings.HasPrefix(errOut, text), "%s -h = %q; want it to start with its help text", name, errOut)
			assert.Contains(t, errOut, "\nFlags:\n")
		})
	}
}
