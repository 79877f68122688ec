package kitchen

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// Tests of the menu file reader's helpers at their edges (see
// docs/mutation-testing.md).

func TestDescribe(t *testing.T) {
	forty := strings.Repeat("x", 40)
	for _, tc := range []struct {
		n    yaml.Node
		want string
	}{
		{yaml.Node{Kind: yaml.ScalarNode, Value: forty}, `"` + forty + `"`},
		{yaml.Node{Kind: yaml.ScalarNode, Value: forty + "y"}, `"` + forty[:37] + `..."`},
		{yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null"}, "nothing"},
		{yaml.Node{Kind: yaml.MappingNode}, "a mapping"},
		{yaml.Node{Kind: yaml.SequenceNode}, "a list"},
		{yaml.Node{Kind: yaml.AliasNode}, "something else"},
	} {
		assert.Equal(t, tc.want, describe(&tc.n), "describe(%+v)", tc.n)
	}
}

func TestOrList(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{"a"}, "a"},
		{[]string{"a", "b"}, "a or b"},
		{[]string{"a", "b", "c"}, "a, b or c"},
	} {
		assert.Equal(t, tc.want, orList(tc.in), "orList(%q)", tc.in)
	}
}

func TestMapValue(t *testing.T) {
	var doc yaml.Node
	require.NoError(t, yaml.Unmarshal([]byte("a: 1\nb: 2\n"), &doc))
	for _, tc := range []struct {
		name string
		n    *yaml.Node
		key  string
		want string // "" for none
	}{
		{"in a document", &doc, "b", "2"},
		{"in the mapping", doc.Content[0], "a", "1"},
		{"absent", doc.Content[0], "c", ""},
		{"empty document", &yaml.Node{Kind: yaml.DocumentNode}, "a", ""},
		{"not a mapping", &yaml.Node{Kind: yaml.SequenceNode}, "a", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := mapValue(tc.n, tc.key)
			if tc.want == "" {
				assert.Nil(t, got, "mapValue(%q)", tc.key)
				return
			}
			require.NotNil(t, got, "mapValue(%q)", tc.key)
			assert.Equal(t, tc.want, got.Value, "mapValue(%q)", tc.key)
		})
	}
}

func TestParseMenuReadsWholeNumbersBelow2To62(t *testing.T) {
	const menu = "name: t\ncustomers: 1\ndishes:\n  - {name: a, steps: [{cpu: %s}]}\n"
	for _, tc := range []struct{ in, want string }{
		{"4.611686018427387904e18", `t.yaml:4: dishes[0].steps[0].cpu: want a whole number, got "4.611686018427387904e18"`},
		{"4.611686018427387e18", "t.yaml:4: dishes[0].steps[0].cpu: 4611686018427386880 out of range [0, 1000000000]"},
	} {
		_, err := ParseMenu("t.yaml", []byte(strings.Replace(menu, "%s", tc.in, 1)))
		require.Error(t, err, "ParseMenu(cpu: %s)", tc.in)
		assert.Equal(t, tc.want, err.Error(), "ParseMenu(cpu: %s)", tc.in)
	}
}
