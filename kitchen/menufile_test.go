package kitchen

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitchenbench/kitchenbench/internal/problems"
)

const exampleMenu = "../examples/menu.yaml"

func TestMarshalMenuRoundTripsBuiltins(t *testing.T) {
	for _, m := range Menus() {
		t.Run(m.Name, func(t *testing.T) {
			data, err := MarshalMenu(m)
			require.NoError(t, err, "MarshalMenu(%s)", m.Name)
			got, err := ParseMenu(m.Name+".yaml", data)
			require.NoError(t, err, "ParseMenu(MarshalMenu(%s)):\n%s", m.Name, data)
			assert.Equal(t, m, got, "ParseMenu(MarshalMenu(%s)) = %+v; want %+v", m.Name, got, m)
		})
	}
}

func TestExampleMenuIsValid(t *testing.T) {
	m, err := LoadMenu(exampleMenu)
	require.NoError(t, err, "LoadMenu(%s)", exampleMenu)
	require.NoError(t, m.Validate(), "LoadMenu(%s).Validate()", exampleMenu)
	assert.Equal(t, "brunch", m.Name, "LoadMenu().Name")
	assert.Equal(t, 6, m.Grills, "LoadMenu().Grills")
	assert.Equal(t, 48, m.Customers, "LoadMenu().Customers")
	assert.Equal(t, uint64(42), m.Seed, "LoadMenu().Seed")
	assert.Equal(t, 400.0, m.Rate, "LoadMenu().Rate")
	require.Len(t, m.Dishes, 4, "LoadMenu().Dishes")
	// Every step kind, in both the flow and the block style.
	assert.Equal(t, Step{Name: "poach", Kind: Grill, Wait: 3 * time.Millisecond}, m.Dishes[0].Steps[1], "eggs-benedict's poach")
	assert.Equal(t, Step{Name: "batter", Kind: CPU, Units: 200}, m.Dishes[1].Steps[0], "pancakes' batter")
	assert.Equal(t, Step{Name: "bloom", Kind: Rest, Wait: 30 * time.Millisecond}, m.Dishes[2].Steps[1], "pour-over's bloom")
	assert.Equal(t, Step{Name: "fetch-potatoes", Kind: Read, Bytes: 64 << 10}, m.Dishes[3].Steps[0], "hash-browns' fetch-potatoes")
	assert.Equal(t, Step{Name: "sear", Kind: Call, Wait: 3 * time.Millisecond, Reply: 512}, m.Dishes[3].Steps[1], "hash-browns' sear")
	_, err = New(m)
	assert.NoError(t, err, "New(example menu)")

	// The example's comment shows the error for a negative poach; keep it true.
	src, err := os.ReadFile(exampleMenu)
	require.NoError(t, err)
	_, shown, ok := strings.Cut(string(src), "\n#     examples/menu.yaml:")
	require.True(t, ok, "%s shows no example error", exampleMenu)
	shown, _, _ = strings.Cut("examples/menu.yaml:"+shown, "\n")
	bad := strings.Replace(string(src), "{name: poach, grill: 3ms}", "{name: poach, grill: -5ms}", 1)
	_, err = ParseMenu("examples/menu.yaml", []byte(bad))
	require.Error(t, err, "example with a negative poach")
	assert.Equal(t, shown, err.Error(), "the error %s's comment shows", exampleMenu)

	data, err := MarshalMenu(m)
	require.NoError(t, err, "MarshalMenu(example)")
	again, err := ParseMenu("again.yaml", data)
	require.NoError(t, err, "ParseMenu(MarshalMenu(example))")
	assert.Equal(t, m, again, "example menu after a round trip")
}

func TestParseMenuAccepts(t *testing.T) {
	const head = "name: t\ncustomers: 2\n"
	toast := func(steps ...Step) []Dish { return []Dish{{Name: "toast", Weight: 1, Steps: steps}} }
	for _, tc := range []struct {
		name string
		yaml string
		want Menu
	}{
		{"weight defaults to 1", head + "dishes:\n  - {name: toast, steps: [{cpu: 10}]}\n",
			Menu{Name: "t", Customers: 2, Dishes: toast(Step{Kind: CPU, Units: 10})}},
		{"YAML number forms", "name: t\ncustomers: 1_000\ngrills: 0x10\nseed: 18446744073709551615\ndishes:\n  - {name: toast, weight: 0.5, steps: [{cpu: 1e6}]}\n",
			Menu{Name: "t", Customers: 1000, Grills: 16, Seed: 1<<64 - 1, Dishes: []Dish{{Name: "toast", Weight: 0.5, Steps: []Step{{Kind: CPU, Units: 1_000_000}}}}}},
		{"durations", head + "grills: 1\ndishes:\n  - {name: toast, steps: [{grill: 1.5ms}, {rest: 250µs}, {rest: 1h}, {grill: 1m30s}]}\n",
			Menu{Name: "t", Customers: 2, Grills: 1, Dishes: toast(
				Step{Kind: Grill, Wait: 1500 * time.Microsecond}, Step{Kind: Rest, Wait: 250 * time.Microsecond},
				Step{Kind: Rest, Wait: time.Hour}, Step{Kind: Grill, Wait: 90 * time.Second})}},
		{"rate as a number", head + "rate: 2000\ndishes:\n  - {name: toast, steps: [{cpu: 1}]}\n",
			Menu{Name: "t", Customers: 2, Rate: 2000, Dishes: toast(Step{Kind: CPU, Units: 1})}},
		{"rate per second", head + "rate: 2000/s\ndishes:\n  - {name: toast, steps: [{cpu: 1}]}\n",
			Menu{Name: "t", Customers: 2, Rate: 2000, Dishes: toast(Step{Kind: CPU, Units: 1})}},
		{"rate per minute", head + "rate: 120000/min\ndishes:\n  - {name: toast, steps: [{cpu: 1}]}\n",
			Menu{Name: "t", Customers: 2, Rate: 2000, Dishes: toast(Step{Kind: CPU, Units: 1})}},
		{"rate in thousands per minute, as on the command line", head + "rate: 1.5k/min\ndishes:\n  - {name: toast, steps: [{cpu: 1}]}\n",
			Menu{Name: "t", Customers: 2, Rate: 25, Dishes: toast(Step{Kind: CPU, Units: 1})}},
		{"rate as quoted text", head + "rate: \"2k\"\ndishes:\n  - {name: toast, steps: [{cpu: 1}]}\n",
			Menu{Name: "t", Customers: 2, Rate: 2000, Dishes: toast(Step{Kind: CPU, Units: 1})}},
		{"empty values are missing ones", head + "about:\nrate:\ndishes:\n  - {name: toast, weight: , steps: [{cpu: 1}]}\n",
			Menu{Name: "t", Customers: 2, Dishes: toast(Step{Kind: CPU, Units: 1})}},
		{"aliases", head + "dishes:\n  - {name: toast, steps: &s [{name: a, cpu: 1}]}\n  - {name: crumpet, weight: 2, steps: *s}\n",
			Menu{Name: "t", Customers: 2, Dishes: []Dish{
				{Name: "toast", Weight: 1, Steps: []Step{{Name: "a", Kind: CPU, Units: 1}}},
				{Name: "crumpet", Weight: 2, Steps: []Step{{Name: "a", Kind: CPU, Units: 1}}}}}},
		{"numbers as names", "name: 2024\ncustomers: 1\ndishes:\n  - {name: 42, steps: [{name: 7, cpu: 1}]}\n",
			Menu{Name: "2024", Customers: 1, Dishes: []Dish{{Name: "42", Weight: 1, Steps: []Step{{Name: "7", Kind: CPU, Units: 1}}}}}},
		{"JSON is YAML", `{"name": "t", "customers": 2, "dishes": [{"name": "toast", "steps": [{"cpu": 3}]}]}`,
			Menu{Name: "t", Customers: 2, Dishes: toast(Step{Kind: CPU, Units: 3})}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseMenu("t.yaml", []byte(tc.yaml))
			require.NoError(t, err, "ParseMenu(%q)", tc.yaml)
			assert.Equal(t, &tc.want, got, "ParseMenu(%q) = %+v; want %+v", tc.yaml, got, tc.want)
		})
	}
}

// badMenus says what each file of the bad-menu corpus must produce: every
// string must be in the error. Each file holds one distinct problem (but
// many-problems.yaml, see TestParseMenuReportsEveryProblemAtOnce).
var badMenus = map[string][]string{
	"alias-explosion.yaml":         {":5: too large: more than 100000 values"},
	"bad-menu-name.yaml":           {":1: name: \"my breakfast, v2\": want 1 to 64 letters, digits"},
	"comments-only.yaml":           {": empty file: want a menu"},
	"cpu-fraction.yaml":            {":6: dishes[0].steps[0].cpu: want a whole number, got \"1.5\""},
	"cpu-negative.yaml":            {":6: dishes[0].steps[0].cpu: -1 out of range [0, 1000000000]"},
	"cpu-text.yaml":                {":6: dishes[0].steps[0].cpu: want a whole number, got \"lots\""},
	"cpu-too-many-units.yaml":      {":6: dishes[0].steps[0].cpu: 2000000000 out of range [0, 1000000000]"},
	"dish-without-steps.yaml":      {":7: dishes[1].steps: not set (empty: a dish needs at least one step)"},
	"dishes-not-list.yaml":         {":4: dishes: want a list of dishes, got a mapping"},
	"duplicate-dish.yaml":          {":7: dishes[1].name: duplicate dish \"toast\" (also dishes[0])"},
	"duration-not-a-duration.yaml": {":6: dishes[0].steps[0].rest: want a Go duration in (0s, 1h] such as 5ms or 1.5s, got \"a while\""},
	"duration-without-unit.yaml":   {":7: dishes[0].steps[0].grill: 5 has no unit: want a Go duration in (0s, 1h]"},
	"empty.yaml":                   {": empty file: want a menu"},
	"grill-over-an-hour.yaml":      {":7: dishes[0].steps[0].grill: 12h0m0s out of range (0s, 1h0m0s]"},
	"grill-step-no-grills.yaml":    {":1: grills: not set (0, but a dish has a grill or call step)"},
	"grills-text.yaml":             {":2: grills: want a whole number, got \"four\""},
	"merge-key.yaml":               {":8: dishes[1]: merge keys (<<) are not supported"},
	"missing-customers.yaml":       {":1: customers: not set (0 out of range [1, 1000000])"},
	"missing-name.yaml":            {":1: name: missing"},
	"negative-grill.yaml":          {":10: dishes[1].steps[0].grill: -5ms out of range (0s, 1h0m0s]"},
	"negative-grills.yaml":         {":2: grills: -1 out of range [0, 1000000]"},
	"negative-seed.yaml":           {":3: seed: -1 out of range [0, 2^64)"},
	"negative-weight.yaml":         {":5: dishes[0].weight: -2 out of range [0, +Inf)"},
	"no-dishes.yaml":               {":3: dishes: empty: a menu needs at least one dish"},
	"not-yaml.yaml":                {":3: not valid YAML: did not find expected ',' or '}'"},
	"rate-text.yaml":               {":3: rate: want orders per second, such as 2000 or \"2000/s\", got \"fast\""},
	"rate-too-high.yaml":           {":3: rate: 1e+09 out of range [0, 10000000] orders/s"},
	"repeated-field.yaml":          {":5: customers: repeated (first at line 2)"},
	"step-not-mapping.yaml":        {":6: dishes[0].steps[0]: want a step such as {name: chop, cpu: 120}, got \"cpu 10\""},
	"step-two-kinds.yaml":          {":7: dishes[0].steps[0]: both cpu and grill: want exactly one of cpu, grill, rest, call or read"},
	"step-without-kind.yaml":       {":6: dishes[0].steps[0]: no step kind: want one of cpu (work units), grill, rest or call (durations) or read (a size)"},
	"tab-indent.yaml":              {":4: not valid YAML: found character that cannot start any token"},
	"too-many-customers.yaml":      {":2: customers: 2000000 out of range [1, 1000000]"},
	"too-many-grills.yaml":         {":2: grills: 10000000 out of range [0, 1000000]"},
	"top-level-list.yaml":          {":1: want a menu (a mapping with fields name, about, grills, customers, seed, rate, dishes), got a list"},
	"two-documents.yaml":           {":5: more than one document (---)"},
	"unknown-dish-field.yaml":      {":5: dishes[0].price: unknown field (want name, weight or steps)"},
	"unknown-field.yaml":           {":3: colour: unknown field (want name, about, grills, customers, seed, rate or dishes)"},
	"unknown-step-kind.yaml":       {":6: dishes[0].steps[0].fry: unknown field or step kind (want name, cpu, grill, rest, call, reply or read)"},
	"weight-text.yaml":             {":5: dishes[0].weight: want a number, got \"often\""},
	"weights-sum-to-zero.yaml":     {":3: dishes: weights sum to 0: at least one dish needs a positive weight"},
	"zero-customers.yaml":          {":2: customers: 0 out of range [1, 1000000]"},
	"zero-rest.yaml":               {":6: dishes[0].steps[0].rest: 0s out of range (0s, 1h0m0s]"},
	"many-problems.yaml":           {":3: grills: -3", ":16: dishes[2].steps"},
}

func badMenuFiles(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "bad-menus", "*.yaml"))
	require.NoError(t, err)
	return files
}

func TestLoadMenuBadCorpus(t *testing.T) {
	files := badMenuFiles(t)
	require.GreaterOrEqual(t, len(files), 25, "bad-menu corpus size")
	seen := map[string]bool{}
	for _, path := range files {
		name := filepath.Base(path)
		seen[name] = true
		t.Run(strings.TrimSuffix(name, ".yaml"), func(t *testing.T) {
			want, ok := badMenus[name]
			require.True(t, ok, "%s has no expected error in badMenus", name)
			m, err := LoadMenu(path)
			require.Error(t, err, "LoadMenu(%s) = %+v; want an error", path, m)
			assert.Nil(t, m, "LoadMenu(%s) returned a menu with its error", path)
			msg := err.Error()
			for _, w := range want {
				assert.Contains(t, msg, path+w, "LoadMenu(%s) error", path)
			}
			for _, line := range strings.Split(msg, "\n") {
				assert.True(t, strings.HasPrefix(line, path+":"), "error line %q does not start with the file name", line)
			}
			var me *MenuError
			require.ErrorAs(t, err, &me, "LoadMenu(%s) error is a *MenuError", path)
			assert.Equal(t, path, me.File, "MenuError.File")
			if name != "many-problems.yaml" && name != "negative-weight.yaml" {
				assert.Equal(t, 1, strings.Count(msg, "\n")+1, "LoadMenu(%s) reports one problem, got:\n%s", path, msg)
			}
		})
	}
	for name := range badMenus {
		assert.True(t, seen[name], "badMenus lists %s, which is not in testdata/bad-menus", name)
	}
}

func TestParseMenuReportsEveryProblemAtOnce(t *testing.T) {
	path := filepath.Join("testdata", "bad-menus", "many-problems.yaml")
	_, err := LoadMenu(path)
	require.Error(t, err)
	want := []string{
		":3: grills: -3 out of range [0, 1000000]",
		":4: customers: 0 out of range [1, 1000000]",
		":5: colour: unknown field",
		":6: dishes: weights sum to 0",
		":10: dishes[0].steps[0].cpu: 2000000000 out of range [0, 1000000000]",
		":11: dishes[0].steps[1].grill: -5ms out of range (0s, 1h0m0s]",
		":12: dishes[1].name: duplicate dish \"toast\" (also dishes[0])",
		":15: dishes[1].steps[0]: no step kind",
		":16: dishes[2].steps: not set (empty: a dish needs at least one step)",
	}
	lines := strings.Split(err.Error(), "\n")
	require.Len(t, lines, len(want), "LoadMenu(%s) problems:\n%s", path, err)
	for i, w := range want {
		assert.Equal(t, path+w, lines[i][:min(len(lines[i]), len(path+w))], "problem %d (sorted by line)", i)
	}
}

func TestParseMenuCapsTheNumberOfProblems(t *testing.T) {
	var b strings.Builder
	b.WriteString("name: t\ncustomers: 1\ndishes:\n  - {name: toast, steps: [{cpu: 1}]}\n")
	for i := range 50 {
		fmt.Fprintf(&b, "extra%d: 1\n", i)
	}
	_, err := ParseMenu("big.yaml", []byte(b.String()))
	require.Error(t, err)
	lines := strings.Split(err.Error(), "\n")
	require.Len(t, lines, problems.Max+1, "ParseMenu() problems")
	assert.Equal(t, "big.yaml: and 30 more problems", lines[problems.Max], "last line")
}

func TestParseMenuNamesInput(t *testing.T) {
	_, err := ParseMenu("", []byte("name: t"))
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "<input>:"), "ParseMenu(\"\", …) = %v; want errors naming <input>", err)
}

func TestLoadMenuMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nope.yaml")
	_, err := LoadMenu(path)
	require.Error(t, err)
	assert.ErrorIs(t, err, fs.ErrNotExist, "LoadMenu(missing)")
	assert.Contains(t, err.Error(), path, "LoadMenu(missing) error names the file")
}

func TestMarshalMenuRefusesInvalidMenus(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(m *Menu)
		want string
	}{
		{"no customers", func(m *Menu) { m.Customers = 0 }, "customers: 0 out of range"},
		{"unknown step kind", func(m *Menu) { m.Dishes[0].Steps[0].Kind = 9 }, "unknown step kind"},
		{"name with spaces", func(m *Menu) { m.Name = "my menu" }, `menu "my menu": name: want 1 to 64 letters`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, _ := Lookup("steak-and-salad")
			tc.edit(m)
			data, err := MarshalMenu(m)
			require.Error(t, err, "MarshalMenu() = %s; want an error", data)
			assert.Contains(t, err.Error(), tc.want, "MarshalMenu() error")
		})
	}
}

// FuzzParseMenu checks that the parser never panics, and that whatever it
// accepts is valid and survives MarshalMenu and ParseMenu unchanged.
func FuzzParseMenu(f *testing.F) {
	for _, m := range Menus() {
		data, err := MarshalMenu(m)
		require.NoError(f, err)
		f.Add(data)
	}
	if data, err := os.ReadFile(exampleMenu); err == nil {
		f.Add(data)
	}
	for _, path := range badMenuFiles(f) {
		if filepath.Base(path) == "alias-explosion.yaml" {
			continue // takes 0.2 s a try: it would starve the fuzzer
		}
		data, err := os.ReadFile(path)
		require.NoError(f, err)
		f.Add(data)
	}
	f.Add([]byte("name: t\ncustomers: 1\ndishes: [{name: a, weight: -0, steps: [{name: \"\\xff\", rest: 1ns}]}]"))
	f.Add([]byte("name: t\ncustomers: 1\nrate: .5/s\ndishes: [{name: \"~\", steps: &s [{cpu: 0}]}, {name: b, steps: *s}]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseMenu("fuzz.yaml", data)
		if err != nil {
			require.Nil(t, m, "ParseMenu returned a menu with its error")
			for _, line := range strings.Split(err.Error(), "\n") {
				require.True(t, strings.HasPrefix(line, "fuzz.yaml:"), "error line %q does not name the file", line)
			}
			var me *MenuError
			require.True(t, errors.As(err, &me), "ParseMenu error %v is no *MenuError", err)
			return
		}
		require.NoError(t, m.Validate(), "ParseMenu accepted an invalid menu")
		out, err := MarshalMenu(m)
		require.NoError(t, err, "MarshalMenu(ParseMenu(%q))", data)
		again, err := ParseMenu("again.yaml", out)
		require.NoError(t, err, "ParseMenu(MarshalMenu(ParseMenu(%q))):\n%s", data, out)
		require.Equal(t, m, again, "menu changed in a round trip through:\n%s", out)
	})
}

func ExampleParseMenu() {
	_, err := ParseMenu("menu.yaml", []byte(`name: breakfast
customers: 0
dishes:
  - name: toast
    steps:
      - {name: slice, cpu: 20}
      - {name: toast, grill: -5ms}
      - {name: butter}
`))
	fmt.Println(err)
	// Output:
	// menu.yaml:1: grills: not set (0, but a dish has a grill or call step)
	// menu.yaml:2: customers: 0 out of range [1, 1000000]
	// menu.yaml:7: dishes[0].steps[1].grill: -5ms out of range (0s, 1h0m0s]
	// menu.yaml:8: dishes[0].steps[2]: no step kind: want one of cpu (work units), grill, rest or call (durations) or read (a size)
}
