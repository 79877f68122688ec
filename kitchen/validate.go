package kitchen

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// FieldError is one problem with one field of a menu: the field's path, in
// Menu's terms (dishes[1].steps[0].wait), and what is wrong. Validate
// returns FieldErrors, joined with errors.Join when there are several, so
// that a caller finds the field with errors.As instead of reading it back
// out of the message (the menu file reader maps it to a line that way).
type FieldError struct {
	Path string // such as dishes[1].steps[0].wait; "" for the menu as a whole
	Err  error
}

var _ error = (*FieldError)(nil)

// Error writes "PATH: problem", or the problem alone when Path is "".
func (e *FieldError) Error() string {
	if e.Path == "" {
		return e.Err.Error()
	}
	return e.Path + ": " + e.Err.Error()
}

func (e *FieldError) Unwrap() error { return e.Err }

// errMissing is the problem of a field that must be set and is not.
var errMissing = errors.New("missing")

// Limits on a menu's figures: beyond them a menu is a typo, not a workload.
const (
	MaxUnitsPerStep = 1_000_000_000
	MaxWait         = time.Hour
	MaxGrills       = 1_000_000
	MaxCustomers    = 1_000_000
	MaxRate         = 10_000_000 // orders per second
	MaxReply        = 64 << 20   // bytes a call may ask back (the grill service's own limit)
	MaxReadBytes    = 64 << 20   // bytes one read may ask
)

// Validate reports every problem in m at once, each a *FieldError naming
// its field path, joined with errors.Join.
func (m *Menu) Validate() error {
	var errs []error
	bad := func(path, format string, args ...any) {
		errs = append(errs, &FieldError{Path: path, Err: fmt.Errorf(format, args...)})
	}
	missing := func(path string) { errs = append(errs, &FieldError{Path: path, Err: errMissing}) }
	if m.Name == "" {
		missing("name")
	}
	if m.Grills < 0 || m.Grills > MaxGrills {
		bad("grills", "%d out of range [0, %d]", m.Grills, MaxGrills)
	}
	if m.Customers < 1 || m.Customers > MaxCustomers {
		bad("customers", "%d out of range [1, %d]", m.Customers, MaxCustomers)
	}
	if math.IsNaN(m.Rate) || m.Rate < 0 || m.Rate > MaxRate {
		bad("rate", "%v out of range [0, %d] orders/s", m.Rate, MaxRate)
	}
	if len(m.Dishes) == 0 {
		bad("dishes", "empty: a menu needs at least one dish")
	}
	seen := map[string]int{}
	var total float64
	needsGrill := false
	for i, d := range m.Dishes {
		p := fmt.Sprintf("dishes[%d]", i)
		if d.Name == "" {
			missing(p + ".name")
		} else if j, dup := seen[d.Name]; dup {
			bad(p+".name", "duplicate dish %q (also dishes[%d])", d.Name, j)
		} else {
			seen[d.Name] = i
		}
		if math.IsNaN(d.Weight) || math.IsInf(d.Weight, 0) || d.Weight < 0 {
			bad(p+".weight", "%v out of range [0, +Inf)", d.Weight)
		} else {
			total += d.Weight
		}
		if len(d.Steps) == 0 {
			bad(p+".steps", "empty: a dish needs at least one step")
		}
		for j, s := range d.Steps {
			sp := fmt.Sprintf("%s.steps[%d]", p, j)
			switch s.Kind {
			case CPU:
				if s.Units < 0 || s.Units > MaxUnitsPerStep {
					bad(sp+".units", "%d out of range [0, %d]", s.Units, MaxUnitsPerStep)
				}
				if s.Wait != 0 {
					bad(sp+".wait", "a cpu step takes units, not a wait")
				}
			case Grill, Rest:
				if s.Kind == Grill {
					needsGrill = true
				}
				if s.Wait <= 0 || s.Wait > MaxWait {
					bad(sp+".wait", "%v out of range (0s, %v]", s.Wait, MaxWait)
				}
				if s.Units != 0 {
					bad(sp+".units", "a %s step takes a wait, not units", s.Kind)
				}
			case Call:
				needsGrill = true
				if s.Wait < 0 || s.Wait > MaxWait {
					bad(sp+".wait", "%v out of range [0s, %v]", s.Wait, MaxWait)
				}
				if s.Reply < 0 || s.Reply > MaxReply {
					bad(sp+".reply", "%d out of range [0, %d] bytes", s.Reply, MaxReply)
				}
				if s.Units != 0 {
					bad(sp+".units", "a call step takes a hold and a reply, not units")
				}
			case Read:
				if s.Bytes < 1 || s.Bytes > MaxReadBytes {
					bad(sp+".bytes", "%d out of range [1, %d] bytes", s.Bytes, MaxReadBytes)
				}
				if s.Units != 0 || s.Wait != 0 {
					bad(sp+".bytes", "a read step takes bytes, not units or a wait")
				}
			default:
				bad(sp+".kind", "unknown step kind %v (want cpu, grill, rest, call or read)", s.Kind)
			}
			if s.Kind != Call && s.Reply != 0 {
				bad(sp+".reply", "only a call step takes a reply")
			}
			if s.Kind != Read && s.Bytes != 0 {
				bad(sp+".bytes", "only a read step takes bytes")
			}
		}
	}
	if len(m.Dishes) > 0 && total <= 0 {
		bad("dishes", "weights sum to %v: at least one dish needs a positive weight", total)
	}
	if needsGrill && m.Grills == 0 {
		bad("grills", "0, but a dish has a grill or call step")
	}
	return errors.Join(errs...)
}
