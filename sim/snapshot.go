package sim

import (
	"math/rand/v2"
	"slices"
)

// Snapshots. A run is a value: the clock, the pending set and the random
// streams. Clone copies it, so that a search can branch from the world at
// an instant instead of replaying from time zero to reach it (bgsim
// explore); RunUntil brings a run to an instant, Next peeks at the next
// event's time, and Reserve and AtSeq let an event scheduled later take a
// place in the order that was kept for it.

// stream is one named random stream: the generator and its PCG source,
// kept so that Clone can copy the source's state.
type stream struct {
	r   *rand.Rand
	pcg *rand.PCG
}

// Clone returns a deep copy of s: the same clock, pending events (with
// their messages copied as values), sequence counter, random streams (at
// the same point of their sequences) and trace state. Handles issued by s
// name the same events in the clone. Messages are copied by assignment, so
// whatever a message points to is shared; the model's messages hold
// values and configuration pointers only.
func (s *Sim[M]) Clone() *Sim[M] { return s.CloneInto(nil) }

// CloneInto is Clone into dst, reusing its memory (dst's own run is lost);
// a nil dst makes a new Sim.
func (s *Sim[M]) CloneInto(dst *Sim[M]) *Sim[M] {
	if dst == nil {
		dst = &Sim[M]{}
	}
	c := dst
	pages, heap, fifo, free, rands, records := c.pages, c.heap, c.fifo.buf, c.free, c.rands, c.trace.records
	*c = Sim[M]{
		cfg:     s.cfg,
		now:     s.now,
		seq:     s.seq,
		fired:   s.fired,
		heap:    append(heap[:0], s.heap...),
		dead:    s.dead,
		fifo:    ring{buf: append(fifo[:0], s.fifo.buf...), head: s.fifo.head, n: s.fifo.n},
		nslots:  s.nslots,
		free:    append(free[:0], s.free...),
		err:     s.err,
		stopped: s.stopped,
		trace:   s.trace,
	}
	if len(c.fifo.buf) == 0 {
		c.fifo.buf = nil
	}
	for i, p := range s.pages {
		if i < len(pages) {
			pages[i] = append(pages[i][:0], p...)
		} else {
			pages = append(pages, slices.Clone(p))
		}
	}
	c.pages = pages[:len(s.pages)]
	if len(c.pages) > 0 {
		c.first = c.pages[0]
	}
	for name := range rands {
		if _, ok := s.rands[name]; !ok {
			delete(rands, name)
		}
	}
	if len(s.rands) > 0 {
		if rands == nil {
			rands = make(map[string]stream, len(s.rands))
		}
		for name, st := range s.rands {
			if mine, ok := rands[name]; ok {
				*mine.pcg = *st.pcg
				continue
			}
			pcg := *st.pcg
			rands[name] = stream{r: rand.New(&pcg), pcg: &pcg}
		}
	}
	c.rands = rands
	c.trace.records = nil
	if s.trace.records != nil {
		if records == nil {
			records = make([]Record, 0, len(s.trace.records))
		}
		c.trace.records = append(records[:0], s.trace.records...)
	}
	return c
}

// Next returns the time of the earliest pending event, and false if no
// event is pending.
func (s *Sim[M]) Next() (Time, bool) {
	if s.fifo.len() > 0 {
		return s.now, true
	}
	for len(s.heap) > 0 {
		top := s.heap[0]
		if s.slot(top.slot()).key == top.key {
			return top.at, true
		}
		s.popHeap()
		s.dead--
	}
	return 0, false
}

// RunUntil fires, as Run does, every event strictly before t, and returns
// with the events at t and later still pending: Now is then the last fired
// event's time, not t. It ends early as Run does: at the horizon (Now is
// then the horizon), on Stop, or on an error. A t at or before Now fires
// nothing.
func (s *Sim[M]) RunUntil(t Time, handle func(M)) error {
	if s.err != nil {
		return s.err
	}
	if t <= s.now {
		return nil
	}
	return s.run(handle, t, true)
}

// Stopped reports whether a handler called Stop during the last Run or
// RunUntil.
func (s *Sim[M]) Stopped() bool { return s.stopped }

// Reserve sets aside n sequence numbers and returns the first: events
// scheduled later with AtSeq and one of them are ordered, among the events
// at their instant, as if they had been scheduled now.
func (s *Sim[M]) Reserve(n uint64) uint64 {
	if s.seq+n >= MaxScheduled {
		s.fail(&CapacityError{Limit: "scheduled events", Max: MaxScheduled, At: s.now})
		return 0
	}
	first := s.seq + 1
	s.seq += n
	return first
}

// AtSeq schedules m at time t with sequence number seq, one that Reserve
// returned and that no event has used: it fires after the events at t
// scheduled before the reservation and before those scheduled after it.
func (s *Sim[M]) AtSeq(t Time, seq uint64, m M) Handle {
	if t < s.now {
		s.fail(&PastError{At: t, Now: s.now})
		return Handle{}
	}
	if seq == 0 || seq > s.seq {
		panic("sim: AtSeq with a sequence number that was not reserved")
	}
	if len(s.free) == 0 && s.nslots == MaxPending {
		s.fail(&CapacityError{Limit: "pending events", Max: MaxPending, At: s.now})
		return Handle{}
	}
	i := s.alloc()
	sl := s.slot(i)
	sl.msg = m
	e := entry{at: t, key: seq<<slotBits | uint64(i)}
	sl.at, sl.key = t, e.key
	if t == s.now {
		// The FIFO holds the current instant's events in key order:
		// put e in its place.
		sl.fifo = true
		s.fifo.insert(e)
	} else {
		sl.fifo = false
		s.pushHeap(e)
	}
	return Handle{slot: i, gen: sl.gen}
}

// Rewrite calls f on the message of every pending event, in no particular
// order, so that a model can renumber what its messages refer to in a
// clone.
func (s *Sim[M]) Rewrite(f func(*M)) {
	for i := 0; i < s.nslots; i++ {
		if sl := s.slot(uint32(i)); sl.key != 0 {
			f(&sl.msg)
		}
	}
}
