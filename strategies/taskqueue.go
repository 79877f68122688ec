package strategies

// taskQueue is a FIFO ring of tasks: an event loop's ready dishes, and
// the dishes waiting for one of its grill connections. It grows by
// doubling and never shrinks.
type taskQueue struct {
	buf        []*task
	head, size int
}

func (q *taskQueue) push(t *task) {
	if q.size == len(q.buf) {
		nb := make([]*task, max(16, 2*len(q.buf)))
		for i := range q.size {
			nb[i] = q.buf[(q.head+i)%len(q.buf)]
		}
		q.buf, q.head = nb, 0
	}
	q.buf[(q.head+q.size)%len(q.buf)] = t
	q.size++
}

func (q *taskQueue) pop() *task {
	if q.size == 0 {
		return nil
	}
	t := q.buf[q.head]
	q.buf[q.head] = nil
	q.head = (q.head + 1) % len(q.buf)
	q.size--
	return t
}
