package cli

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/kitchenbench/kitchenbench/results"
)

// progress reports a long run on stderr: a bar with an ETA on a
// terminal, a plain line every tenth of the way otherwise (CI logs).
type progress struct {
	w      io.Writer
	tty    bool
	total  int
	start  time.Time
	last   int // last tenth reported, plain mode
	drawn  bool
	sample time.Duration
}

func newProgress(w io.Writer, total int, sample time.Duration) *progress {
	tty := false
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			tty = true
		}
	}
	return &progress{w: w, tty: tty, total: total, start: time.Now(), sample: sample}
}

func (p *progress) update(done, total int, s results.Sample) {
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

func (p *progress) finish() {
	if p.drawn {
		fmt.Fprintln(p.w)
	}
}
