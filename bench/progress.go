package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/kitchenbench/kitchenbench/results"
)

// Progress shows a long Matrix run on w: a bar with an ETA on a terminal,
// a plain line every tenth of the way otherwise (CI logs). Its Update is
// a Matrix.Progress; call Finish when the run is over. It is used by one
// goroutine, the one running the matrix.
type Progress struct {
	w     io.Writer
	tty   bool
	start time.Time
	last  int // last tenth reported, plain mode
	drawn bool
}

// NewProgress returns a Progress writing to w, a bar when w is a terminal.
func NewProgress(w io.Writer) *Progress {
	tty := false
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			tty = true
		}
	}
	return &Progress{w: w, tty: tty, start: time.Now()}
}

// Update shows that done of total samples are taken, s the last one.
func (p *Progress) Update(done, total int, s results.Sample) {
	elapsed := time.Since(p.start)
	eta := time.Duration(float64(elapsed) / float64(done) * float64(total-done)).Round(time.Second)
	if p.tty {
		const width = 30
		n := width * done / total
		fmt.Fprintf(p.w, "\r[%s%s] %d/%d samples  eta %-6v  %s/%s/%d cores", strings.Repeat("=", n), strings.Repeat(" ", width-n),
			done, total, eta, s.Menu, s.Strategy, s.Cores)
		fmt.Fprint(p.w, "\x1b[K") // clear the rest of the line
		p.drawn = true
		return
	}
	if tenth := 10 * done / total; tenth > p.last || done == total {
		p.last = tenth
		fmt.Fprintf(p.w, "kitchen: %d/%d samples (%d%%), eta %v\n", done, total, 100*done/total, eta)
	}
}

// Finish ends the bar's line, if one was drawn.
func (p *Progress) Finish() {
	if p.drawn {
		fmt.Fprintln(p.w)
	}
}

// MeasureShown is Measure with its progress shown on w (Progress) and,
// once the run is over, its samples' Warnings, one "kitchen: " line each.
// On interruption it returns what was measured, marked partial, with the
// context's error.
func MeasureShown(ctx context.Context, w io.Writer, m *Matrix, o MeasureOptions) (*results.File, error) {
	prog := NewProgress(w)
	m.Progress = prog.Update
	f, err := Measure(ctx, m, o)
	prog.Finish()
	for _, line := range Warnings(m.Menus, f.Samples) {
		fmt.Fprintln(w, "kitchen:", line)
	}
	return f, err
}
