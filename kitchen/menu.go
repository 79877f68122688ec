package kitchen

import (
	"fmt"
	"time"
)

// StepKind says what a step needs: a cook (CPU), a grill (Grill), nothing
// but time (Rest), a round trip to the grill service (Call) or bytes from
// the pantry file (Read).
type StepKind uint8

const (
	// CPU is work done by the cook: Units work units of Work.
	CPU StepKind = iota + 1
	// Grill is a wait of Wait during which one of the kitchen's grills does
	// the work and the cook is free; it needs a free grill to start.
	Grill
	// Rest is a plain wait of Wait that needs no grill.
	Rest
	// Call is a round trip over TCP to the grill service (package grill):
	// the cook asks it to hold the call for Wait on one of the menu's
	// grills, which now live across the wire, and to answer Reply bytes.
	Call
	// Read reads Bytes bytes of the pantry file (see Pantry) at an offset
	// fixed by the menu's seed, the order and the step.
	Read
)

var stepKindNames = [...]string{CPU: "cpu", Grill: "grill", Rest: "rest", Call: "call", Read: "read"}

func (k StepKind) String() string {
	if int(k) < len(stepKindNames) && stepKindNames[k] != "" {
		return stepKindNames[k]
	}
	return fmt.Sprintf("StepKind(%d)", k)
}

// MarshalText encodes k as "cpu", "grill", "rest", "call" or "read".
func (k StepKind) MarshalText() ([]byte, error) {
	if int(k) >= len(stepKindNames) || stepKindNames[k] == "" {
		return nil, fmt.Errorf("kitchen: unknown step kind %d", k)
	}
	return []byte(stepKindNames[k]), nil
}

// UnmarshalText decodes "cpu", "grill", "rest", "call" or "read".
func (k *StepKind) UnmarshalText(b []byte) error {
	for i, n := range stepKindNames {
		if n != "" && n == string(b) {
			*k = StepKind(i)
			return nil
		}
	}
	return fmt.Errorf("unknown step kind %q (want cpu, grill, rest, call or read)", b)
}

// Step is one step of a dish.
type Step struct {
	Name  string        `json:"name"`
	Kind  StepKind      `json:"kind"`
	Units int64         `json:"units,omitempty"` // CPU steps: work units
	Wait  time.Duration `json:"wait,omitempty"`  // Grill and Rest steps: how long; Call steps: the hold
	Reply int           `json:"reply,omitempty"` // Call steps: bytes the service answers
	Bytes int64         `json:"bytes,omitempty"` // Read steps: bytes read from the pantry
}

// Dish is a named recipe: steps done in order.
type Dish struct {
	Name   string  `json:"name"`
	Weight float64 `json:"weight"` // relative frequency on its menu
	Steps  []Step  `json:"steps"`
}

// Cost is the demand one dish (or the average dish of a menu) puts on a
// kitchen.
type Cost struct {
	CPUUnits float64       // work units
	Grill    time.Duration // time on a grill
	Rest     time.Duration // time resting
	Hold     time.Duration // calls' holds on the grill service's grills
	Calls    float64       // round trips to the grill service
	ReplyB   float64       // bytes the grill service answers
	Reads    float64       // reads from the pantry
	ReadB    float64       // bytes read from the pantry
}

// Cost returns the dish's total demand.
func (d *Dish) Cost() Cost {
	var c Cost
	for _, s := range d.Steps {
		switch s.Kind {
		case CPU:
			c.CPUUnits += float64(s.Units)
		case Grill:
			c.Grill += s.Wait
		case Rest:
			c.Rest += s.Wait
		case Call:
			c.Hold += s.Wait
			c.Calls++
			c.ReplyB += float64(s.Reply)
		case Read:
			c.Reads++
			c.ReadB += float64(s.Bytes)
		}
	}
	return c
}

// HasIO says whether m has call or read steps: real I/O that needs a grill
// service (Kitchen.Grill) or a pantry (Kitchen.Pantry).
func (m *Menu) HasIO() bool { return m.HasKind(Call) || m.HasKind(Read) }

// HasKind says whether any dish of m has a step of kind k.
func (m *Menu) HasKind(k StepKind) bool {
	for _, d := range m.Dishes {
		for _, s := range d.Steps {
			if s.Kind == k {
				return true
			}
		}
	}
	return false
}

// MaxReply returns the largest reply any call step of m asks, 0 if none.
func (m *Menu) MaxReply() int {
	n := 0
	for _, d := range m.Dishes {
		for _, s := range d.Steps {
			if s.Kind == Call && s.Reply > n {
				n = s.Reply
			}
		}
	}
	return n
}

// MaxRead returns the largest read any read step of m asks, 0 if none.
func (m *Menu) MaxRead() int64 {
	var n int64
	for _, d := range m.Dishes {
		for _, s := range d.Steps {
			if s.Kind == Read && s.Bytes > n {
				n = s.Bytes
			}
		}
	}
	return n
}

// Menu is a named workload: dishes with weights, the kitchen's grills, and
// a closed loop of Customers who each order again as soon as their dish is
// served. Seed fixes which dish each order is.
type Menu struct {
	Name      string `json:"name"`
	About     string `json:"about,omitempty"`
	Dishes    []Dish `json:"dishes"`
	Grills    int    `json:"grills"`
	Customers int    `json:"customers"`
	Seed      uint64 `json:"seed"`
	// Rate is the menu's open-loop arrival rate in orders per second: the
	// rate its claims and `kitchen run --arrivals poisson` use when none is
	// given. 0: the menu is meant for the closed loop only.
	Rate float64 `json:"rate,omitempty"`
}

// MeanCost returns the weighted average demand of one order.
func (m *Menu) MeanCost() Cost {
	var c Cost
	var total float64
	for i := range m.Dishes {
		d := &m.Dishes[i]
		dc := d.Cost()
		c.CPUUnits += d.Weight * dc.CPUUnits
		c.Grill += time.Duration(d.Weight * float64(dc.Grill))
		c.Rest += time.Duration(d.Weight * float64(dc.Rest))
		c.Hold += time.Duration(d.Weight * float64(dc.Hold))
		c.Calls += d.Weight * dc.Calls
		c.ReplyB += d.Weight * dc.ReplyB
		c.Reads += d.Weight * dc.Reads
		c.ReadB += d.Weight * dc.ReadB
		total += d.Weight
	}
	if total == 0 {
		return Cost{}
	}
	c.CPUUnits /= total
	c.Grill = time.Duration(float64(c.Grill) / total)
	c.Rest = time.Duration(float64(c.Rest) / total)
	c.Hold = time.Duration(float64(c.Hold) / total)
	c.Calls /= total
	c.ReplyB /= total
	c.Reads /= total
	c.ReadB /= total
	return c
}

// Dish returns the dish named name, or nil.
func (m *Menu) Dish(name string) *Dish {
	for i := range m.Dishes {
		if m.Dishes[i].Name == name {
			return &m.Dishes[i]
		}
	}
	return nil
}

// Chooser picks the dish of each order: a pure function of the menu's seed
// and the order's number, so the dish mix is the same whatever strategy
// serves the orders and in whatever order they are taken.
type Chooser struct {
	cum  []float64 // cumulative weights
	seed uint64
}

// NewChooser prepares dish choice for m. m must be valid.
func NewChooser(m *Menu) *Chooser {
	c := &Chooser{cum: make([]float64, len(m.Dishes)), seed: m.Seed}
	var sum float64
	for i, d := range m.Dishes {
		sum += d.Weight
		c.cum[i] = sum
	}
	return c
}

// Pick returns the index of order n's dish.
func (c *Chooser) Pick(n int64) int {
	// splitmix64 of (seed, n): independent, uniform 64-bit values per order.
	z := c.seed + uint64(n)*0x9e3779b97f4a7c15 + 0x632be59bd9b4e019
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	z ^= z >> 31
	u := float64(z>>11) / (1 << 53) * c.cum[len(c.cum)-1]
	lo, hi := 0, len(c.cum)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if u < c.cum[mid] {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}
