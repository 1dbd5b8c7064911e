package sim

// ring is a growable circular FIFO of entries: the events scheduled for the
// current instant. Zero-delay events (a delegate hand-off, a state change
// that others react to at once) are common in the model and would be the
// heap's worst case, since each would sift to the top; here they cost O(1).
// OMNeT++ keeps the same side queue next to its event heap.
type ring struct {
	buf  []entry // len(buf) is zero or a power of two
	head int
	n    int
}

func (r *ring) len() int { return r.n }

func (r *ring) clear() { r.head, r.n = 0, 0 }

func (r *ring) grow() {
	size := 2 * len(r.buf)
	if size == 0 {
		size = 16
	}
	buf := make([]entry, size)
	for i := 0; i < r.n; i++ {
		buf[i] = r.buf[(r.head+i)&(len(r.buf)-1)]
	}
	r.buf, r.head = buf, 0
}

func (r *ring) push(e entry) {
	if r.n == len(r.buf) {
		r.grow()
	}
	r.buf[(r.head+r.n)&(len(r.buf)-1)] = e
	r.n++
}

// pushFront puts back an entry just popped.
func (r *ring) pushFront(e entry) {
	if r.n == len(r.buf) {
		r.grow()
	}
	r.head = (r.head - 1) & (len(r.buf) - 1)
	r.buf[r.head] = e
	r.n++
}

func (r *ring) pop() entry {
	e := r.buf[r.head]
	r.head = (r.head + 1) & (len(r.buf) - 1)
	r.n--
	return e
}

// insert puts e at its place in key order, the ring being in key order.
func (r *ring) insert(e entry) {
	r.push(e)
	mask := len(r.buf) - 1
	for i := r.n - 1; i > 0; i-- {
		j, k := (r.head+i)&mask, (r.head+i-1)&mask
		if !r.buf[j].before(r.buf[k]) {
			break
		}
		r.buf[j], r.buf[k] = r.buf[k], r.buf[j]
	}
}
