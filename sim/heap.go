package sim

// The pending set is a 4-ary min-heap of small value entries. A 4-ary heap
// is half as deep as a binary one and its four children share a cache
// line or two, which pays once thousands of events are pending. Sifting
// moves a hole instead of swapping, so each level costs one copy.

func (s *Sim[M]) pushHeap(e entry) {
	s.heap = append(s.heap, e)
	h := s.heap
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) / 4
		if !e.before(h[p]) {
			break
		}
		h[i] = h[p]
		i = p
	}
	h[i] = e
}

func (s *Sim[M]) popHeap() entry {
	h := s.heap
	top := h[0]
	n := len(h) - 1
	h[0] = h[n]
	s.heap = h[:n]
	if n > 1 {
		s.down(0)
	}
	return top
}

// down restores the heap below i after h[i] was replaced.
func (s *Sim[M]) down(i int) {
	h := s.heap
	n := len(h)
	e := h[i]
	for {
		c := 4*i + 1
		var m int
		if c+3 < n {
			// All four children exist: a small tournament, whose first two
			// comparisons do not depend on each other, with the winners
			// chosen by arithmetic rather than by branches.
			m = c + h[c+1].beforeBit(h[c])
			m2 := c + 2 + h[c+3].beforeBit(h[c+2])
			m += (m2 - m) * h[m2].beforeBit(h[m])
			if !h[m].before(e) {
				break
			}
			h[i] = h[m]
			i = m
			continue
		}
		if c >= n {
			break
		}
		m = c
		for j := c + 1; j < n; j++ {
			if h[j].before(h[m]) {
				m = j
			}
		}
		if !h[m].before(e) {
			break
		}
		h[i] = h[m]
		i = m
	}
	h[i] = e
}
