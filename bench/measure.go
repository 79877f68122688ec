package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"slices"
	"time"

	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/results"
)

// Calibrate measures a work unit's cost twice and keeps the faster: a
// noisy moment (often the first after a process starts) only ever slows a
// calibration down.
func Calibrate() kitchen.Calibration {
	a, b := kitchen.Calibrate(0, 0), kitchen.Calibrate(0, 0)
	if b.NsPerUnit < a.NsPerUnit {
		return b
	}
	return a
}

// MeasureOptions say what a result file records besides the matrix. The
// zero value records no hostname and no label and logs nothing.
type MeasureOptions struct {
	Hostname bool   // record this machine's hostname (result files get shared)
	Label    string // the run's name in reports: results.Machine.Label
	// Log receives, before the run, one line announcing it and a warning
	// per oversubscribed core count; nil discards them. The warnings on
	// its samples are for the caller to print (Warnings), after its
	// progress display is done.
	Log io.Writer
}

// Measure runs the matrix m and returns its result file: this machine
// (ThisMachine), the configuration and the samples. When m.NsPerUnit is
// 0 it calibrates the work unit first (Calibrate) and, unless m.Calibrate
// is set, again before each round; a caller that gives NsPerUnit keeps
// that one figure, so that what it computes from it and what the file
// records agree. On interruption it returns what was measured, marked
// partial, with the context's error.
func Measure(ctx context.Context, m *Matrix, o MeasureOptions) (*results.File, error) {
	log := o.Log
	if log == nil {
		log = io.Discard
	}
	if m.NsPerUnit == 0 {
		m.NsPerUnit = Calibrate().NsPerUnit
		if m.Calibrate == nil {
			m.Calibrate = func() float64 { return Calibrate().NsPerUnit }
		}
	}
	machine := ThisMachine(ctx, o.Hostname)
	machine.NsPerUnit = m.NsPerUnit
	machine.GOMAXPROCS = m.Cores
	machine.Label = o.Label
	if m.IO == nil && slices.ContainsFunc(m.Menus, (*kitchen.Menu).HasIO) {
		// Menus with call or read steps need a grill service and a
		// pantry: start them for this measurement only.
		rig, err := StartIO(ctx, m.Menus, IOOptions{})
		if err != nil {
			return &results.File{Schema: results.SchemaVersion, Machine: machine, Config: m.config()}, err
		}
		defer rig.Close()
		m.IO = rig
		defer func() { m.IO = nil }()
	}
	if m.IO != nil {
		machine.CallRTT, machine.ReadNsPerKiB = float64(m.IO.CallRTT), m.IO.ReadNsPerKiB
	}
	for _, c := range m.Cores {
		if c > runtime.NumCPU() {
			fmt.Fprintf(log, "kitchen: warning: %d cores is more than this machine's %d CPUs: that column is oversubscribed\n", c, runtime.NumCPU())
		}
	}
	fmt.Fprintf(log, "kitchen: %s (about %v); 1 work unit = %.0f ns here\n", m.describe(), m.Estimate().Round(time.Second), m.NsPerUnit)
	samples, err := m.Run(ctx)
	return &results.File{
		Schema:  results.SchemaVersion,
		Partial: err != nil,
		Machine: machine,
		Config:  m.config(),
		Samples: samples,
	}, err
}

// describe says what the matrix measures, in one line.
func (m *Matrix) describe() string {
	loop := "closed loop"
	if m.Arrivals != "" {
		loop = fmt.Sprintf("open loop (%s arrivals", m.Arrivals)
		if m.Rate > 0 {
			loop += fmt.Sprintf(" at %g/s)", m.Rate)
		} else {
			loop += " at each menu's rate)"
		}
	}
	warm := ""
	switch {
	case m.Arrivals != "":
	case m.Warmup == AutoWarmup:
		warm = fmt.Sprintf(", each after a warm-up of up to %v", m.Duration)
	case m.Warmup > 0:
		warm = fmt.Sprintf(", each after a warm-up of %v", m.Warmup)
	}
	return fmt.Sprintf("%d menus × %d strategies × %d core counts × %d samples of %v%s, %s",
		len(m.Menus), len(m.Strategies), len(m.Cores), m.Count, m.Duration, warm, loop)
}

// config is what a result file records of the matrix. An automatic
// warm-up is recorded as its cap, one window.
func (m *Matrix) config() results.Config {
	c := results.Config{
		Menus:      map[string]json.RawMessage{},
		Strategies: m.Strategies,
		Cores:      m.Cores,
		Count:      m.Count,
		Duration:   m.Duration,
		Arrival:    "closed",
		Rate:       m.Rate,
		Waits:      string(m.Waits),
	}
	switch {
	case m.Arrivals != "":
		c.Arrival = string(m.Arrivals)
	case m.Warmup == AutoWarmup:
		c.Warmup = m.Duration
	default:
		c.Warmup = m.Warmup
	}
	for _, menu := range m.Menus {
		if b, err := json.Marshal(menu); err == nil {
			c.Menus[menu.Name] = b
		}
	}
	return c
}
