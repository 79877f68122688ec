package bench

import (
	"fmt"
	"time"
)

// Validate reports the first setting of m out of its range: 1 to 1000
// samples per cell, windows from 1ms to 1h, a warm-up from 0 to 1h or
// AutoWarmup, core counts from 1 to MaxCores, and, for an open loop
// without a Rate, menus that have a rate of their own. Each error starts
// with the flag of `kitchen run` that sets the field (--count, --duration,
// --warmup, --cores, --arrivals).
func (m *Matrix) Validate() error {
	switch {
	case m.Count < 1 || m.Count > 1000:
		return fmt.Errorf("--count %d out of range [1, 1000]", m.Count)
	case m.Duration < time.Millisecond || m.Duration > time.Hour:
		return fmt.Errorf("--duration %v out of range [1ms, 1h]", m.Duration)
	case m.Warmup != AutoWarmup && (m.Warmup < 0 || m.Warmup > time.Hour):
		return fmt.Errorf("--warmup %v out of range [0, 1h]", m.Warmup)
	}
	for _, c := range m.Cores {
		if c < 1 || c > MaxCores {
			return fmt.Errorf("--cores: %d out of range [1, %d]", c, MaxCores)
		}
	}
	if m.Arrivals != "" && m.Rate == 0 {
		for _, menu := range m.Menus {
			if menu.Rate <= 0 {
				return fmt.Errorf("--arrivals %s: menu %q has no rate of its own; give --rate", m.Arrivals, menu.Name)
			}
		}
	}
	return nil
}

// Validate checks s's ranges: the core count and the shortest probe. Each
// error starts with the flag of `kitchen knee` that sets the field.
func (s KneeSearch) Validate() error {
	switch {
	case s.Cores < 1 || s.Cores > MaxCores:
		return fmt.Errorf("--cores %d out of range [1, %d]", s.Cores, MaxCores)
	case s.Probe < 10*time.Millisecond || s.Probe > time.Hour:
		return fmt.Errorf("--duration %v out of range [10ms, 1h]", s.Probe)
	}
	return nil
}
