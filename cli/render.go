package cli

import (
	"io"

	"github.com/kitchenbench/kitchenbench/bench"
	"github.com/kitchenbench/kitchenbench/render"
	"github.com/kitchenbench/kitchenbench/results"
)

// renderRun prints a run's tables in format, then, for an open loop, its
// queueing table beside an M/G/1 model, and with perDish each dish's
// latency. In JSON each table is a document of its own (a stream that
// json.Decoder and jq read); in CSV a blank line separates the tables.
func renderRun(w io.Writer, format string, f *results.File, perDish bool) error {
	if err := render.Write(w, format, render.Run(f)); err != nil {
		return err
	}
	subjects := []render.Subject{render.OpenLoopOf(f, mg1Row(f))}
	if perDish {
		subjects = append(subjects, render.PerDishOf(f))
	}
	for _, s := range subjects {
		if empty(s) {
			continue
		}
		if format == render.FormatCSV {
			if _, err := io.WriteString(w, "\n"); err != nil {
				return err
			}
		}
		if err := render.Write(w, format, s); err != nil {
			return err
		}
	}
	return nil
}

// empty reports whether s has no rows to show.
func empty(s render.Subject) bool {
	switch s := s.(type) {
	case render.OpenLoop:
		return len(s.Rows) == 0
	case render.PerDish:
		return len(s.Menus) == 0
	}
	return false
}

// mg1Row is bench.PredictMG1 as a row of the open-loop table.
func mg1Row(f *results.File) func(menu string, rate float64) (render.OpenLoopRow, bool) {
	return func(menu string, rate float64) (render.OpenLoopRow, bool) {
		p, ok := bench.PredictMG1(f, menu, rate)
		if !ok {
			return render.OpenLoopRow{}, false
		}
		return render.OpenLoopRow{Strategy: "M/G/1 FIFO model", Utilisation: p.Utilisation,
			QueueP50: p.QueueP50, P50: p.P50, P90: p.P90, P99: p.P99}, true
	}
}
