package kitchen

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

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
