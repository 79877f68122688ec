package kitchen

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"go.yaml.in/yaml/v3"

	"github.com/kitchenbench/kitchenbench/internal/problems"
)

// Menu files hold one menu in YAML (see examples/menu.yaml):
//
//	name: brunch
//	about: eggs and pancakes
//	grills: 4
//	customers: 32
//	seed: 7
//	rate: 2000/s          # optional: open-loop orders per second
//	dishes:
//	  - name: eggs-benedict
//	    weight: 2
//	    steps:
//	      - {name: poach, grill: 3ms}
//	      - {name: hollandaise, cpu: 150}
//	      - {name: rest, rest: 500us}
//	      - {name: sear, call: 3ms, reply: 512}
//	      - {name: fetch-stock, read: 64KiB}
//
// A step is exactly one of cpu (work units), grill or rest (Go durations),
// call (a round trip to the grill service holding for a Go duration, with
// an optional reply size, default 0) or read (a size read from the
// pantry). Sizes are whole bytes (512) or carry a unit: B, KiB, MiB, GiB.
//
// Note: the reader walks the yaml.Node tree itself instead of decoding into
// structs with yaml.Decoder.KnownFields. KnownFields does report unknown
// fields with line numbers, but its messages name Go types ("field colour
// not found in type kitchen.fileDish") rather than the field path, silently
// truncate 1.5 into an int, and cannot say "a step needs exactly one of cpu,
// grill or rest". Walking the tree reports every problem with file, line and
// field path in the menu's own terms.

// MenuError is one problem in a menu file: which file, which line, which
// field and what is wrong. LoadMenu and ParseMenu return MenuErrors, joined
// with errors.Join when a file has several problems.
type MenuError struct {
	File  string // the file's name as given to LoadMenu or ParseMenu
	Line  int    // 1-based; 0 when unknown
	Field string // field path such as dishes[1].steps[0].grill; "" for the file as a whole
	Err   error
}

func (e *MenuError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	if e.Field != "" {
		field := e.Field
		if strings.ContainsFunc(field, unicode.IsControl) {
			// A key with a newline or carriage return in it must not
			// break the one-line message.
			field = strconv.Quote(field)
		}
		b.WriteString(field)
		b.WriteString(": ")
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *MenuError) Unwrap() error { return e.Err }

// maxMenuNodes bounds the values (dishes, steps and fields) a menu file may
// hold once its aliases are expanded, so that a small file of aliases
// cannot make a menu of a billion steps. Real menus hold hundreds.
const maxMenuNodes = 100_000

// LoadMenu reads the menu file at path. Every problem in the file is
// reported at once, each as a *MenuError naming the file, line and field.
func LoadMenu(path string) (*Menu, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading menu file: %w", err)
	}
	return ParseMenu(path, data)
}

// ParseMenu is LoadMenu for data already in memory; name is used in errors.
// The menu it returns is valid (see Menu.Validate).
func ParseMenu(name string, data []byte) (*Menu, error) {
	if name == "" {
		name = "<input>"
	}
	p := &menuParser{file: name, errs: problems.List[*MenuError]{File: name}, where: map[string]place{}, unset: map[string]bool{}, bad: map[string]bool{}}
	m := p.parse(data)
	if m != nil {
		p.validate(m)
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	return m, nil
}

// MarshalMenu writes m in the menu file format, so that ParseMenu gives m
// back. It refuses a menu that is not valid.
func MarshalMenu(m *Menu) ([]byte, error) {
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("kitchen: menu %q: %w", m.Name, err)
	}
	if err := checkMenuName(m.Name); err != nil {
		return nil, fmt.Errorf("kitchen: menu %q: name: %w", m.Name, err)
	}
	doc := menuDoc{Name: m.Name, About: m.About, Grills: m.Grills, Customers: m.Customers, Seed: m.Seed, Rate: m.Rate}
	for _, d := range m.Dishes {
		dd := dishDoc{Name: d.Name, Weight: d.Weight}
		for _, s := range d.Steps {
			sd := stepDoc{Name: s.Name}
			switch s.Kind {
			case CPU:
				sd.CPU = &s.Units
			case Grill:
				sd.Grill = s.Wait.String()
			case Rest:
				sd.Rest = s.Wait.String()
			case Call:
				sd.Call = s.Wait.String()
				if s.Reply != 0 {
					sd.Reply = formatSize(int64(s.Reply))
				}
			case Read:
				sd.Read = formatSize(s.Bytes)
			}
			dd.Steps = append(dd.Steps, sd)
		}
		doc.Dishes = append(doc.Dishes, dd)
	}
	var n yaml.Node
	if err := n.Encode(&doc); err != nil {
		return nil, fmt.Errorf("kitchen: menu %q: %w", m.Name, err)
	}
	// One step per line, in flow style: {name: grill, grill: 4ms}.
	if dishes := mapValue(&n, "dishes"); dishes != nil {
		for _, d := range dishes.Content {
			if steps := mapValue(d, "steps"); steps != nil {
				for _, s := range steps.Content {
					s.Style = yaml.FlowStyle
				}
			}
		}
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&n); err != nil {
		return nil, fmt.Errorf("kitchen: menu %q: %w", m.Name, err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("kitchen: menu %q: %w", m.Name, err)
	}
	return buf.Bytes(), nil
}

// menuDoc, dishDoc and stepDoc are the file format, for MarshalMenu only:
// ParseMenu reads the node tree (see the note at the top of this file).
type menuDoc struct {
	Name      string    `yaml:"name"`
	About     string    `yaml:"about,omitempty"`
	Grills    int       `yaml:"grills"`
	Customers int       `yaml:"customers"`
	Seed      uint64    `yaml:"seed"`
	Rate      float64   `yaml:"rate,omitempty"`
	Dishes    []dishDoc `yaml:"dishes"`
}

type dishDoc struct {
	Name   string    `yaml:"name"`
	Weight float64   `yaml:"weight"`
	Steps  []stepDoc `yaml:"steps"`
}

type stepDoc struct {
	Name  string `yaml:"name,omitempty"`
	CPU   *int64 `yaml:"cpu,omitempty"`
	Grill string `yaml:"grill,omitempty"`
	Rest  string `yaml:"rest,omitempty"`
	Call  string `yaml:"call,omitempty"`
	Reply string `yaml:"reply,omitempty"`
	Read  string `yaml:"read,omitempty"`
}

// The fields of each mapping in a menu file, in the order they are listed
// in errors.
var (
	menuFields = []string{"name", "about", "grills", "customers", "seed", "rate", "dishes"}
	dishFields = []string{"name", "weight", "steps"}
	stepFields = []string{"name", "cpu", "grill", "rest", "call", "reply", "read"}
	stepKinds  = []string{"cpu", "grill", "rest", "call", "read"}
)

// menuParser turns one file's node tree into a Menu, collecting problems.
type menuParser struct {
	file  string
	errs  problems.List[*MenuError]
	nodes int  // values visited, against maxMenuNodes
	big   bool // the file went over maxMenuNodes

	// where maps a Menu.Validate field path to where the file wrote it, so
	// that Validate's problems get a line and the file's own field name.
	where map[string]place
	// unset holds the fields written with an empty value.
	unset map[string]bool
	// bad holds the Validate paths whose values could not be read: their
	// problem is already reported, and Validate's complaint about the
	// placeholder left there would only repeat it.
	bad map[string]bool
}

// place is where a field is written in a file.
type place struct {
	field string // the field path in the file's terms (cpu, not units)
	line  int
}

func (p *menuParser) errorf(line int, field, format string, args ...any) {
	p.add(&MenuError{File: p.file, Line: line, Field: field, Err: fmt.Errorf(format, args...)})
}

func (p *menuParser) add(e *MenuError) { p.errs.Add(e) }

// grow counts n more values against maxMenuNodes, reporting once when the
// file goes over.
func (p *menuParser) grow(n *yaml.Node, field string, count int) bool {
	p.nodes += count
	if p.nodes <= maxMenuNodes {
		return true
	}
	if !p.big {
		p.big = true
		p.errorf(n.Line, "", "too large: more than %d values once aliases are expanded", maxMenuNodes)
	}
	return false
}

// fail reports a value that could not be read and marks its Validate path.
func (p *menuParser) fail(n *yaml.Node, field, vpath, format string, args ...any) {
	p.errorf(n.Line, field, format, args...)
	p.bad[vpath] = true
}

// err lists the file's problems by line, the first problems.Max of them.
func (p *menuParser) err() error {
	p.errs.SortFunc(func(a, b *MenuError) int { return a.Line - b.Line })
	return p.errs.Err()
}

// yamlLine matches the position yaml prefixes to its syntax errors.
var yamlLine = regexp.MustCompile(`^yaml: (?:line (\d+): )?`)

func (p *menuParser) parse(data []byte) *Menu {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			p.errorf(0, "", "empty file: want a menu with name, customers and dishes")
			return nil
		}
		p.syntaxError(err)
		return nil
	}
	var next yaml.Node
	if err := dec.Decode(&next); err == nil {
		p.errorf(next.Line, "", "more than one document (---): a menu file holds one menu")
		return nil
	} else if !errors.Is(err, io.EOF) {
		p.syntaxError(err)
		return nil
	}
	if len(doc.Content) == 0 {
		p.errorf(0, "", "empty file: want a menu with name, customers and dishes")
		return nil
	}
	return p.menu(doc.Content[0])
}

func (p *menuParser) syntaxError(err error) {
	msg := err.Error()
	line := 0
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
	}
	p.errorf(line, "", "not valid YAML: %s", msg)
}

func (p *menuParser) menu(n *yaml.Node) *Menu {
	m := &Menu{}
	p.at("", "", n)
	fs := p.mapping(n, "", "a menu", menuFields)
	if fs == nil {
		return nil
	}
	if v := fs["name"]; v != nil {
		if p.str(v, "name", "name", &m.Name) && m.Name != "" {
			if err := checkMenuName(m.Name); err != nil {
				p.fail(v, "name", "name", "%q: %v", m.Name, err)
			}
		}
	}
	if v := fs["about"]; v != nil {
		p.str(v, "about", "about", &m.About)
	}
	if v := fs["grills"]; v != nil {
		if x, ok := p.int(v, "grills", "grills"); ok {
			m.Grills = clampInt(x)
		}
	}
	if v := fs["customers"]; v != nil {
		if x, ok := p.int(v, "customers", "customers"); ok {
			m.Customers = clampInt(x)
		}
	}
	if v := fs["seed"]; v != nil {
		p.seed(v, &m.Seed)
	}
	if v := fs["rate"]; v != nil {
		p.rate(v, &m.Rate)
	}
	if v := fs["dishes"]; v != nil {
		items, ok := p.sequence(v, "dishes", "dishes", "a list of dishes")
		if ok {
			m.Dishes = make([]Dish, len(items))
			for i, item := range items {
				m.Dishes[i] = p.dish(item, fmt.Sprintf("dishes[%d]", i))
			}
		}
	}
	return m
}

func (p *menuParser) dish(n *yaml.Node, path string) Dish {
	// Weight 1 also stands in for a dish that cannot be read, so that its
	// error does not bring a spurious "weights sum to 0".
	d := Dish{Weight: 1}
	p.at(path, path, n)
	fs := p.mapping(n, path, "a dish", dishFields)
	if fs == nil {
		p.bad[path] = true
		return d
	}
	if v := fs["name"]; v != nil {
		p.str(v, path+".name", path+".name", &d.Name)
	}
	if v := fs["weight"]; v != nil {
		p.weight(v, path+".weight", &d.Weight)
	}
	if v := fs["steps"]; v != nil {
		items, ok := p.sequence(v, path+".steps", path+".steps", "a list of steps")
		if ok {
			d.Steps = make([]Step, len(items))
			for i, item := range items {
				d.Steps[i] = p.step(item, fmt.Sprintf("%s.steps[%d]", path, i))
			}
		}
	}
	return d
}

func (p *menuParser) step(n *yaml.Node, path string) Step {
	var s Step
	p.at(path, path, n)
	n = p.deref(n)
	if n.Kind != yaml.MappingNode {
		p.fail(n, path, path, "want a step such as {name: chop, cpu: 120}, got %s", describe(n))
		return s
	}
	fs, unknown := p.fields(n, path, stepFields)
	if v := fs["name"]; v != nil {
		p.str(v, path+".name", path+".name", &s.Name)
	}
	var kinds []string
	for _, k := range stepKinds {
		if fs[k] != nil {
			kinds = append(kinds, k)
		}
	}
	switch {
	case len(kinds) == 0:
		if !unknown { // an unknown key is already reported as the step's kind
			p.fail(n, path, path, "no step kind: want one of cpu (work units), grill, rest or call (durations) or read (a size)")
		}
		p.bad[path] = true
		return s
	case len(kinds) > 1:
		p.fail(n, path, path, "both %s: want exactly one of cpu, grill, rest, call or read per step", strings.Join(kinds, " and "))
		return s
	}
	k, v := kinds[0], fs[kinds[0]]
	field := path + "." + k
	if r := fs["reply"]; r != nil {
		if k != "call" {
			p.fail(r, path+".reply", path+".reply", "only a call step takes a reply")
		} else {
			p.where[path+".reply"] = place{path + ".reply", r.Line}
			if x, ok := p.size(r, path+".reply", path+".reply"); ok {
				s.Reply = clampInt(x)
			}
		}
	}
	switch k {
	case "cpu":
		s.Kind = CPU
		p.where[path+".units"] = place{field, v.Line}
		if x, ok := p.int(v, field, path+".units"); ok {
			s.Units = x
		}
	case "grill", "rest":
		s.Kind = Grill
		if k == "rest" {
			s.Kind = Rest
		}
		p.where[path+".wait"] = place{field, v.Line}
		p.duration(v, field, path+".wait", &s.Wait)
	case "call":
		s.Kind = Call
		p.where[path+".wait"] = place{field, v.Line}
		p.duration(v, field, path+".wait", &s.Wait)
	case "read":
		s.Kind = Read
		p.where[path+".bytes"] = place{field, v.Line}
		if x, ok := p.size(v, field, path+".bytes"); ok {
			s.Bytes = x
		}
	}
	return s
}

// sizeUnits are the units a size may carry, longest suffix first.
var sizeUnits = []struct {
	suffix string
	bytes  int64
}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"B", 1}}

// size reads a byte count: 512, 512B, 64KiB, 1.5MiB (whole bytes).
func (p *menuParser) size(n *yaml.Node, field, vpath string) (int64, bool) {
	const want = "a size in bytes such as 512, 64KiB or 1MiB"
	n, ok := p.scalar(n, field, vpath, want)
	if !ok {
		return 0, false
	}
	if n.Tag == "!!int" || n.Tag == "!!float" {
		return p.int(n, field, vpath)
	}
	if x, err := ParseSize(n.Value); err == nil {
		return x, true
	} else if n.Tag == "!!str" {
		p.fail(n, field, vpath, "%v: want %s", err, want)
		return 0, false
	}
	p.fail(n, field, vpath, "want %s, got %s", want, describe(n))
	return 0, false
}

// ParseSize reads a byte count written as a whole number of bytes or with
// a unit B, KiB, MiB or GiB: "512", "64KiB", "1.5MiB". The result must be a
// whole number of bytes.
func ParseSize(s string) (int64, error) {
	t := strings.TrimSpace(strings.ReplaceAll(s, "_", ""))
	mult := int64(1)
	for _, u := range sizeUnits {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.bytes
			break
		}
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("size %q unreadable", s)
	}
	b := f * float64(mult)
	if b != math.Trunc(b) || math.Abs(b) >= 1<<62 {
		return 0, fmt.Errorf("size %q is not a whole number of bytes below 2^62", s)
	}
	return int64(b), nil
}

// formatSize writes n in the largest unit that divides it exactly.
func formatSize(n int64) string {
	for _, u := range sizeUnits[:3] {
		if n != 0 && n%u.bytes == 0 {
			return strconv.FormatInt(n/u.bytes, 10) + u.suffix
		}
	}
	return strconv.FormatInt(n, 10)
}

// at records where the value at Validate path vpath is written.
func (p *menuParser) at(vpath, field string, n *yaml.Node) {
	p.where[vpath] = place{field, n.Line}
}

// deref follows aliases.
func (p *menuParser) deref(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// mapping checks that n is a mapping of known fields and returns their
// values by name, or nil (with the problem reported) when n is no mapping.
func (p *menuParser) mapping(n *yaml.Node, path, what string, known []string) map[string]*yaml.Node {
	n = p.deref(n)
	if n.Kind != yaml.MappingNode {
		p.fail(n, path, path, "want %s (a mapping with fields %s), got %s", what, strings.Join(known, ", "), describe(n))
		return nil
	}
	fs, _ := p.fields(n, path, known)
	return fs
}

// fields returns the values of n's known fields, reporting unknown and
// repeated ones; unknown says whether there were any unknown ones.
func (p *menuParser) fields(n *yaml.Node, path string, known []string) (fs map[string]*yaml.Node, unknown bool) {
	fs = map[string]*yaml.Node{}
	if !p.grow(n, path, len(n.Content)/2) {
		return fs, true
	}
	lines := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := p.deref(n.Content[i]), n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			p.errorf(k.Line, path, "want a field name, got %s", describe(k))
			unknown = true
			continue
		}
		name := k.Value
		field := joinPath(path, name)
		switch {
		case k.Tag == "!!merge":
			p.errorf(k.Line, path, "merge keys (<<) are not supported: write the fields out, or use an alias (*name) for a whole dish or step list")
			p.bad[path] = true // what the merge would have set is unknown
			unknown = true
		case !slices.Contains(known, name):
			what := "unknown field"
			if slices.Equal(known, stepFields) {
				what = "unknown field or step kind"
			}
			p.errorf(k.Line, field, "%s (want %s)", what, orList(known))
			unknown = true
		case lines[name] != 0:
			p.errorf(k.Line, field, "repeated (first at line %d)", lines[name])
		default:
			lines[name] = k.Line
			if v := p.deref(v); v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
				// An empty value is a missing one: Validate says what it needs.
				p.where[field] = place{field, k.Line}
				p.unset[field] = true
				continue
			}
			fs[name] = v
			p.where[field] = place{field, k.Line}
		}
	}
	return fs, unknown
}

// sequence returns the items of the list n.
func (p *menuParser) sequence(n *yaml.Node, field, vpath, what string) ([]*yaml.Node, bool) {
	n = p.deref(n)
	if n.Kind != yaml.SequenceNode {
		p.fail(n, field, vpath, "want %s, got %s", what, describe(n))
		return nil, false
	}
	if !p.grow(n, field, len(n.Content)) {
		return nil, false
	}
	return n.Content, true
}

func (p *menuParser) scalar(n *yaml.Node, field, vpath, what string) (*yaml.Node, bool) {
	n = p.deref(n)
	if n.Kind != yaml.ScalarNode {
		p.fail(n, field, vpath, "want %s, got %s", what, describe(n))
		return nil, false
	}
	return n, true
}

func (p *menuParser) str(n *yaml.Node, field, vpath string, dst *string) bool {
	n, ok := p.scalar(n, field, vpath, "text")
	if !ok {
		return false
	}
	if err := n.Decode(dst); err != nil {
		p.fail(n, field, vpath, "want text, got %s", describe(n))
		return false
	}
	return true
}

// int reads a whole number: 120, 1_000_000, 0x10, or 1e6.
func (p *menuParser) int(n *yaml.Node, field, vpath string) (int64, bool) {
	n, ok := p.scalar(n, field, vpath, "a whole number")
	if !ok {
		return 0, false
	}
	switch n.Tag {
	case "!!int":
		var x int64
		if err := n.Decode(&x); err == nil {
			return x, true
		}
		p.fail(n, field, vpath, "%s out of range for a whole number", n.Value)
		return 0, false
	case "!!float":
		var f float64
		if err := n.Decode(&f); err == nil && f == math.Trunc(f) && math.Abs(f) < 1<<62 {
			return int64(f), true
		}
	}
	p.fail(n, field, vpath, "want a whole number, got %s", describe(n))
	return 0, false
}

func (p *menuParser) seed(n *yaml.Node, dst *uint64) {
	n, ok := p.scalar(n, "seed", "seed", "a whole number")
	if !ok {
		return
	}
	if n.Tag == "!!int" {
		if err := n.Decode(dst); err == nil {
			return
		}
		p.fail(n, "seed", "seed", "%s out of range [0, 2^64)", n.Value)
		return
	}
	p.fail(n, "seed", "seed", "want a whole number in [0, 2^64), got %s", describe(n))
}

func (p *menuParser) weight(n *yaml.Node, field string, dst *float64) {
	n, ok := p.scalar(n, field, field, "a number")
	if !ok {
		return
	}
	if n.Tag == "!!int" || n.Tag == "!!float" {
		var f float64
		if err := n.Decode(&f); err == nil {
			*dst = f
			return
		}
	}
	p.fail(n, field, field, "want a number, got %s", describe(n))
}

// rate reads orders per second: 2000, or text in ParseRate's grammar such
// as "2000/s", "2k/s" or "120000/min". Validate checks the range.
func (p *menuParser) rate(n *yaml.Node, dst *float64) {
	const want = `orders per second, such as 2000 or "2000/s"`
	n, ok := p.scalar(n, "rate", "rate", want)
	if !ok {
		return
	}
	switch n.Tag {
	case "!!int", "!!float":
		var f float64
		if n.Decode(&f) == nil {
			*dst = f
			return
		}
	case "!!str":
		if f, ok := readRate(n.Value); ok {
			*dst = f
			return
		}
	}
	p.fail(n, "rate", "rate", "want %s, got %s", want, describe(n))
}

func (p *menuParser) duration(n *yaml.Node, field, vpath string, dst *time.Duration) {
	want := fmt.Sprintf("a Go duration in (0s, %s] such as 5ms or 1.5s", shortDuration(MaxWait))
	n, ok := p.scalar(n, field, vpath, want)
	if !ok {
		return
	}
	if n.Tag == "!!str" {
		if d, err := time.ParseDuration(n.Value); err == nil {
			*dst = d
			return
		}
	}
	if n.Tag == "!!int" || n.Tag == "!!float" {
		p.fail(n, field, vpath, "%s has no unit: want %s", n.Value, want)
		return
	}
	p.fail(n, field, vpath, "want %s, got %s", want, describe(n))
}

// validate runs Menu.Validate on m and reports its problems at the lines
// and under the names the file used.
func (p *menuParser) validate(m *Menu) {
	if p.big {
		return // Validate would only see a truncated menu
	}
	err := m.Validate()
	if err == nil {
		return
	}
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	for _, e := range errs {
		var fe *FieldError
		if !errors.As(e, &fe) {
			fe = &FieldError{Err: e} // Validate makes only FieldErrors: this is for safety
		}
		if p.reported(fe.Path) {
			continue
		}
		problem := fe.Err
		if _, set := p.where[fe.Path]; (!set || p.unset[fe.Path]) && !errors.Is(problem, errMissing) {
			problem = fmt.Errorf("not set (%w)", problem) // "customers: 0 out of range" puzzles when no 0 was written
		}
		pl := p.place(fe.Path)
		p.add(&MenuError{File: p.file, Line: pl.line, Field: pl.field, Err: problem})
	}
}

// reported says whether vpath or a value containing it failed to read.
func (p *menuParser) reported(vpath string) bool {
	for b := range p.bad {
		if b == "" || vpath == b || strings.HasPrefix(vpath, b+".") || strings.HasPrefix(vpath, b+"[") {
			return true
		}
	}
	return false
}

// place finds where Validate's path vpath is written: the field itself, or
// for a missing field its closest enclosing value.
func (p *menuParser) place(vpath string) place {
	if pl, ok := p.where[vpath]; ok {
		return pl
	}
	for parent := vpath; parent != ""; {
		i := strings.LastIndexAny(parent, ".[")
		if i < 0 {
			parent = ""
		} else {
			parent = parent[:i]
		}
		if pl, ok := p.where[parent]; ok {
			return place{field: vpath, line: pl.line}
		}
	}
	return place{field: vpath}
}

// menuName is what a menu's name may hold: it is typed in --menus lists,
// used in file names and in benchmark names (menu=NAME).
var menuName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

func checkMenuName(name string) error {
	if !menuName.MatchString(name) {
		return errors.New("want 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit")
	}
	return nil
}

func joinPath(path, field string) string {
	if path == "" {
		return field
	}
	return path + "." + field
}

// describe names a value in an error: its text, or what kind of value it is.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "nothing"
		}
		v := n.Value
		if len(v) > 40 {
			v = v[:37] + "..."
		}
		return strconv.Quote(v)
	}
	return "something else"
}

// orList writes a, b or c.
func orList(xs []string) string {
	if len(xs) < 2 {
		return strings.Join(xs, "")
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " or " + xs[len(xs)-1]
}

// shortDuration writes 1h for 1h0m0s.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// clampInt converts x to an int, saturating, so an absurd count still
// reaches Validate as out of range.
func clampInt(x int64) int {
	return int(max(min(x, math.MaxInt), math.MinInt))
}

// mapValue returns the value of key in the mapping n, or nil.
func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}
