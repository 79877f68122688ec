package kitchen

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/kitchenbench/kitchenbench/internal/problems"
)

// maxMenuNodes bounds the values (dishes, steps and fields) a menu file may
// hold once its aliases are expanded, so that a small file of aliases
// cannot make a menu of a billion steps. Real menus hold hundreds.
const maxMenuNodes = 100_000

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
	errs  problems.List[*MenuError] // sorted by line before they are listed
	nodes int                       // values visited, against maxMenuNodes
	big   bool                      // the file went over maxMenuNodes

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

func joinPath(path, field string) string {
	if path == "" {
		return field
	}
	return path + "." + field
}
