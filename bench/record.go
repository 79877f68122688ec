package bench

import (
	"sync"

	"github.com/kitchenbench/kitchenbench/kitchen"
	"github.com/kitchenbench/kitchenbench/strategies"
)

// recorder turns finished orders into Records and counts, for Run and
// RunOpen. It is safe for concurrent use: strategies call done from many
// goroutines.
//
// Note: record runs once per order, so it avoids a map lookup for the dish
// (a linear scan of a short menu is cheaper) and allocations (seen is made
// on the first failure).
type recorder struct {
	mu     sync.Mutex // guards res and seen
	res    *Result
	seen   map[string]bool // failure messages already in res.Errors
	dishes []kitchen.Dish
	index  map[*kitchen.Dish]int32 // only for long menus
}

func (r *recorder) init(k *kitchen.Kitchen, res *Result) {
	r.res, r.dishes = res, k.Menu.Dishes
	if len(r.dishes) > 8 {
		r.index = make(map[*kitchen.Dish]int32, len(r.dishes))
		for i := range r.dishes {
			r.index[&r.dishes[i]] = int32(i)
		}
	}
}

func (r *recorder) dish(d *kitchen.Dish) int32 {
	if r.index != nil {
		return r.index[d]
	}
	for i := range r.dishes {
		if &r.dishes[i] == d {
			return int32(i)
		}
	}
	return -1
}

func (r *recorder) record(o *strategies.Order) {
	out := o.Outcome()
	rec := Record{Dish: r.dish(o.Dish), Outcome: out, Latency: o.End - o.Arrive, End: o.End}
	if o.Start != 0 {
		rec.Queue = o.Start - o.Arrive
	} else {
		rec.Queue = rec.Latency // never started: all of it was queueing
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	res := r.res
	res.Records = append(res.Records, rec)
	switch out {
	case strategies.Served:
		res.Served++
	case strategies.Failed:
		res.Failed++
		if msg := o.Err.Error(); !r.seen[msg] && len(res.Errors) < 10 {
			if r.seen == nil {
				r.seen = map[string]bool{}
			}
			r.seen[msg] = true
			res.Errors = append(res.Errors, msg)
		}
	case strategies.Cancelled:
		res.Cancelled++
	}
	res.Check ^= o.Check
}
