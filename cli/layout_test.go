package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The repository's shape, held by TestLayout: a command thin enough to
// read in one sitting, files short enough to review, a README that is a
// guide, and measurement data kept apart from code.
const (
	maxCommandLines = 1000 // non-test Go in cli/ and cmd/ together
	maxFileLines    = 500  // any non-test Go file
	maxREADMEWords  = 2500
)

// TestLayout checks the repository's shape over the files git tracks.
func TestLayout(t *testing.T) {
	root := filepath.Join("..")
	out, err := exec.Command("git", "-C", root, "ls-files").Output()
	if err != nil {
		t.Skipf("not in a git checkout (git ls-files: %v)", err)
	}
	files := strings.Split(strings.TrimSpace(string(out)), "\n")
	require.NotEmpty(t, files)

	command := 0
	goDirs, otherInDir := map[string]bool{}, map[string][]string{}
	for _, f := range files {
		dir := filepath.Dir(f)
		if !strings.HasSuffix(f, ".go") {
			otherInDir[dir] = append(otherInDir[dir], f)
			continue
		}
		goDirs[dir] = true
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(root, f))
		require.NoError(t, err)
		n := bytes.Count(data, []byte("\n"))
		assert.LessOrEqual(t, n, maxFileLines, "%s: lines of non-test Go", f)
		if strings.HasPrefix(f, "cli/") || strings.HasPrefix(f, "cmd/") {
			command += n
		}
	}
	assert.LessOrEqual(t, command, maxCommandLines, "lines of non-test Go in cli/ and cmd/")
	for dir := range goDirs {
		// Data a package needs lives below it, in testdata/ or a folder of
		// its own (cli/help), never beside its Go files.
		assert.Empty(t, otherInDir[dir], "%s holds Go code and other files", dir)
	}

	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	require.NoError(t, err)
	assert.LessOrEqual(t, len(strings.Fields(string(readme))), maxREADMEWords, "README.md: words")
}
