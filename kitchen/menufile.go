package kitchen

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"unicode"

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
// A rate is a number of orders per second or text as ParseRate reads it
// (2000/s, 2k/s, 120000/min).
//
// The reader is in four files: this one (the format, MenuError, LoadMenu
// and ParseMenu), menufile_walk.go (the walk over mappings and lists, down
// to dishes and steps), menufile_values.go (each scalar's value) and
// menufile_validate.go (Validate's problems placed at the file's lines);
// MarshalMenu writes the format back (menufile_marshal.go).
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

// menuName is what a menu's name may hold: it is typed in --menus lists,
// used in file names and in benchmark names (menu=NAME).
var menuName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

func checkMenuName(name string) error {
	if !menuName.MatchString(name) {
		return errors.New("want 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit")
	}
	return nil
}
