package strategies

// dueHeap is a binary min-heap of entries by due time: the event loop's
// timers (dueHeap[*task]) and the goroutines' shared wake-ups
// (dueHeap[struct{}], see wakeups). Each entry knows its index, so it can
// be taken off from the middle in O(log n).
//
// Note: the entries carry their due time and index as fields the heap
// reads directly, and what is due as a value of type T. A heap of an
// interface (container/heap, or a type parameter constrained by methods)
// would call through a method table, or a generic dictionary, at every
// comparison and swap on the loop's hot path; field access compiles to
// plain loads and stores.
type dueHeap[T any] struct{ h []*dueEntry[T] }

// dueEntry is one entry of a dueHeap. The zero value is on no heap.
type dueEntry[T any] struct {
	due int64 // when, on Now's clock
	at  int   // index in the heap while on it; meaningless otherwise (see has)
	of  T     // what is due
}

func (h *dueHeap[T]) len() int                { return len(h.h) }
func (h *dueHeap[T]) min() *dueEntry[T]       { return h.h[0] }
func (h *dueHeap[T]) has(e *dueEntry[T]) bool { return e.at < len(h.h) && h.h[e.at] == e }

func (h *dueHeap[T]) push(e *dueEntry[T]) {
	e.at = len(h.h)
	h.h = append(h.h, e)
	h.up(e.at)
}

// pop takes the earliest entry off the heap.
func (h *dueHeap[T]) pop() *dueEntry[T] {
	e := h.h[0]
	last := len(h.h) - 1
	h.swap(0, last)
	h.h[last] = nil
	h.h = h.h[:last]
	if last > 0 {
		h.down(0)
	}
	return e
}

// remove takes e off the heap and reports whether it was there.
func (h *dueHeap[T]) remove(e *dueEntry[T]) bool {
	if !h.has(e) {
		return false
	}
	i := e.at
	last := len(h.h) - 1
	if i != last {
		h.swap(i, last)
	}
	h.h[last] = nil
	h.h = h.h[:last]
	if i < last {
		h.down(i)
		h.up(i)
	}
	return true
}

func (h *dueHeap[T]) swap(i, j int) {
	h.h[i], h.h[j] = h.h[j], h.h[i]
	h.h[i].at = i
	h.h[j].at = j
}

func (h *dueHeap[T]) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if h.h[p].due <= h.h[i].due {
			return
		}
		h.swap(i, p)
		i = p
	}
}

func (h *dueHeap[T]) down(i int) {
	n := len(h.h)
	for {
		c := 2*i + 1
		if c >= n {
			return
		}
		if r := c + 1; r < n && h.h[r].due < h.h[c].due {
			c = r
		}
		if h.h[i].due <= h.h[c].due {
			return
		}
		h.swap(i, c)
		i = c
	}
}
