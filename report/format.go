package report

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"

	"github.com/kitchenbench/kitchenbench/compare"
)

// inside the SVG is escaped by vgsvg (html.EscapeString).
func inlineSVG(c *chart, menu, kind string) (template.HTML, error) {
	var buf bytes.Buffer
	if err := c.render(&buf, "svg"); err != nil {
		return "", err
	}
	s := buf.String()
	i := strings.Index(s, "<svg")
	if i < 0 {
		return "", errors.New("no <svg> element in rendered chart")
	}
	attrs := fmt.Sprintf(` class="chart" data-menu="%s" data-kind="%s" role="img" aria-label="%s"`,
		template.HTMLEscapeString(menu), kind, template.HTMLEscapeString(c.p.Title.Text))
	return template.HTML("<svg" + attrs + s[i+len("<svg"):]), nil
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ", ")
}

// fmtNum formats a rate with three significant digits and no exponent.
func fmtNum(v float64) string {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return "—"
	case math.Abs(v) >= 100:
		return strconv.FormatFloat(math.Round(v), 'f', 0, 64)
	case math.Abs(v) >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

// fmtNs formats a latency in nanoseconds with three significant digits.
func fmtNs(ns float64) string {
	switch {
	case !(ns > 0):
		return "—"
	case ns >= 1e9:
		return strconv.FormatFloat(ns/1e9, 'g', 3, 64) + " s"
	case ns >= 1e6:
		return strconv.FormatFloat(ns/1e6, 'g', 3, 64) + " ms"
	case ns >= 1e3:
		return strconv.FormatFloat(ns/1e3, 'g', 3, 64) + " µs"
	}
	return strconv.FormatFloat(ns, 'g', 3, 64) + " ns"
}

func fmtCI(e compare.Estimate) string {
	if !e.HasCI() {
		return "— (too few samples)"
	}
	return fmtNum(e.Lo) + " – " + fmtNum(e.Hi)
}

func fmtPct(cs cellSummary) string {
	if cs.Bound <= 0 {
		return "—"
	}
	return fmt.Sprintf("%.0f%%", cs.PctOfBound())
}
