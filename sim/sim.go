package sim

import (
	"fmt"
	"math/bits"
	"slices"
)

// Config sets up a simulation.
type Config struct {
	// Seed is the root seed. Every random stream of the run is derived from
	// it and the stream's name (see Sim.Rand).
	Seed uint64

	// Horizon is the last instant at which an event may fire. Events
	// scheduled later stay pending and Run returns with Now() == Horizon.
	// Zero means no horizon.
	Horizon Time

	// MaxEvents is the event budget: Run fails with a *BudgetError rather
	// than fire more events than this. Zero means no budget; a model whose
	// input comes from users should always set one, so that a scenario that
	// loops forever ends with an error instead of a hang.
	MaxEvents uint64

	// KeepTrace keeps every trace record in memory (Sim.Trace().Records).
	// Without it records are only folded into the fingerprint, which is
	// cheaper; behaviour and fingerprint are the same either way.
	KeepTrace bool
	// MaxRecords bounds the records KeepTrace keeps: the record past it
	// ends the run with a *CapacityError ("trace records kept"). Zero
	// means no bound.
	MaxRecords int
	// NoTrace ignores records altogether: no records and no fingerprint
	// (it stays that of an empty trace). Behaviour is the same; sweeps use
	// it, since they read neither.
	NoTrace bool
}

// Handle names a scheduled event so that it can be cancelled or moved.
// The zero Handle names no event. A handle whose event has fired or been
// cancelled is stale: using it is harmless and does nothing.
type Handle struct {
	slot uint32
	gen  uint32 // 0 in the zero Handle; slot generations start at 1
}

// entry is what the heap and the FIFO hold: the time, and a key that packs
// the sequence number (high 40 bits) above the slot that carries the message
// (low 24 bits). Keeping messages out of the heap keeps an entry at 16 bytes
// whatever the message type, so a node's four children fill one 64-byte
// cache line, and ordering by (at, key) is ordering by (at, seq) because
// sequence numbers are unique.
type entry struct {
	at  Time
	key uint64
}

const (
	slotBits = 24
	// MaxPending is the most events that can be pending at once.
	MaxPending = 1 << slotBits
	// MaxScheduled is the most events that one run can schedule
	// (moves count as scheduling).
	MaxScheduled = 1<<(64-slotBits) - 1
)

func (e entry) slot() uint32 { return uint32(e.key & (MaxPending - 1)) }

// before orders entries by (at, key) as one 128-bit number: e < f exactly
// when e - f borrows. It is branch-free on purpose: events often share an
// instant, which makes a two-step comparison's branches unpredictable, and
// they dominate the heap's cost. Times in the event set are never negative
// (nothing is scheduled before the current time, which starts at zero), so
// comparing them unsigned is exact.
func (e entry) before(f entry) bool { return e.beforeBit(f) != 0 }

// beforeBit is before as a 0 or 1, for index arithmetic without branches.
func (e entry) beforeBit(f entry) int {
	_, borrow := bits.Sub64(e.key, f.key, 0)
	_, borrow = bits.Sub64(uint64(e.at), uint64(f.at), borrow)
	return int(borrow)
}

// slot holds one pending event's message. An entry is live only while its
// key equals its slot's key: cancelling or moving an event changes the
// slot's key, which turns the old entry into garbage that is skipped when it
// surfaces (or swept by compact). Handles carry the slot's generation, which
// changes whenever the slot is freed, so a stale handle never reaches a
// slot's next occupant.
type slot[M any] struct {
	at   Time
	key  uint64 // key of the live entry; 0 when the slot is free
	gen  uint32
	fifo bool // the live entry is in the FIFO, not the heap
	msg  M
}

// Sim is one simulation run: a virtual clock and the set of pending events,
// each carrying a message of type M to the handler given to Run.
//
// Events fire in order of (time, sequence): two events at the same instant
// fire in the order they were scheduled. Sim is not safe for concurrent use;
// one goroutine runs one simulation, and parallel runs use one Sim each.
type Sim[M any] struct {
	cfg   Config
	now   Time
	seq   uint64
	fired uint64
	heap  []entry // 4-ary min-heap on (at, key)
	dead  int     // garbage entries still in heap
	fifo  ring    // events scheduled for the current instant
	// The slot table, in pages of slotPage slots: every page but the last
	// is full. Growing it adds a page and never moves a slot, so that a
	// run with hundreds of thousands of pending events does not copy a
	// table of that size again and again (and hold up the collector
	// while it does).
	pages   [][]slot[M]
	first   []slot[M] // pages[0], so that a run within one page pays no indirection
	nslots  int
	free    []uint32
	err     error
	stopped bool
	rands   map[string]stream
	trace   Trace
}

// New returns a simulation at time zero with no pending events.
func New[M any](cfg Config) *Sim[M] {
	s := &Sim[M]{}
	s.Reset(cfg)
	return s
}

// Reset returns s to time zero with no pending events and a new
// configuration, keeping the memory it has already allocated. Reusing one
// Sim for many runs is how a sweep keeps allocation out of its steady state.
// Handles from before the reset are stale afterwards.
func (s *Sim[M]) Reset(cfg Config) {
	s.cfg = cfg
	s.now = 0
	s.seq = 0
	s.fired = 0
	s.heap = s.heap[:0]
	s.dead = 0
	s.fifo.clear()
	// Bump every slot's generation so that no handle issued before the
	// reset can reach the slot's next occupant.
	s.free = s.free[:0]
	for i := s.nslots - 1; i >= 0; i-- {
		sl := s.slot(uint32(i))
		*sl = slot[M]{gen: sl.gen + 1}
		if sl.gen == 0 {
			sl.gen = 1
		}
		s.free = append(s.free, uint32(i))
	}
	s.err = nil
	s.stopped = false
	clear(s.rands)
	s.trace.reset(cfg.KeepTrace)
	s.trace.off = cfg.NoTrace
}

// Now returns the current virtual time: the time of the event being handled,
// or of the last one handled.
func (s *Sim[M]) Now() Time { return s.now }

// Fired returns how many events have fired since the start of the run.
func (s *Sim[M]) Fired() uint64 { return s.fired }

// Pending returns how many events are scheduled and not yet fired or
// cancelled.
func (s *Sim[M]) Pending() int {
	return s.nslots - len(s.free)
}

// After schedules m to be handled d after the current time and returns its
// handle. A zero d schedules it for the current instant, after every event
// already scheduled for this instant.
func (s *Sim[M]) After(d Time, m M) Handle {
	return s.At(s.now+d, m)
}

// At schedules m to be handled at time t and returns its handle. Scheduling
// in the past is a bug in the model: the event is dropped and Run returns a
// *PastError.
func (s *Sim[M]) At(t Time, m M) Handle {
	if t < s.now {
		s.fail(&PastError{At: t, Now: s.now})
		return Handle{}
	}
	if len(s.free) == 0 && s.nslots == MaxPending {
		s.fail(&CapacityError{Limit: "pending events", Max: MaxPending, At: s.now})
		return Handle{}
	}
	i := s.alloc()
	sl := s.slot(i)
	sl.msg = m
	if !s.place(i, sl, t) {
		s.release(i)
		return Handle{}
	}
	return Handle{slot: i, gen: sl.gen}
}

// Cancel removes the event named by h. It reports whether an event was
// cancelled: false for the zero handle and for stale handles.
func (s *Sim[M]) Cancel(h Handle) bool {
	sl := s.live(h)
	if sl == nil {
		return false
	}
	if !sl.fifo {
		s.dead++
	}
	s.release(h.slot)
	s.compact()
	return true
}

// Move reschedules the event named by h to time t, keeping its message and
// its handle. The moved event is ordered as if it had been scheduled now:
// after the events already scheduled for t. It reports whether an event was
// moved: false for the zero handle and for stale handles. Moving into the
// past is a bug in the model, handled as in At.
func (s *Sim[M]) Move(h Handle, t Time) bool {
	sl := s.live(h)
	if sl == nil {
		return false
	}
	if t < s.now {
		s.fail(&PastError{At: t, Now: s.now})
		return false
	}
	oldInHeap := !sl.fifo
	if !s.place(h.slot, sl, t) {
		return false
	}
	if oldInHeap {
		s.dead++
	}
	s.compact()
	return true
}

// When returns the time at which the event named by h will fire, and false
// if h is the zero handle or stale.
func (s *Sim[M]) When(h Handle) (Time, bool) {
	sl := s.live(h)
	if sl == nil {
		return 0, false
	}
	return sl.at, true
}

// Run fires events in order, handing each event's message to handle, until
// no event is pending, the next event lies beyond the horizon, or the event
// budget is exhausted. Handlers schedule further events through s.
//
// Run returns nil when the event set empties, a handler calls Stop, or the
// horizon is reached (Now is then the horizon). It returns a *BudgetError when firing the next event
// would exceed the budget, and a *PastError when a handler scheduled an event
// in the past. Run may be called again to continue, for example after raising
// the horizon.
func (s *Sim[M]) Run(handle func(M)) error {
	return s.run(handle, Never, false)
}

// run is Run, ending before the first event at or after until when
// bounded (RunUntil).
func (s *Sim[M]) run(handle func(M), until Time, bounded bool) error {
	if s.err != nil {
		return s.err
	}
	s.stopped = false
	for {
		var e entry
		fromHeap := true
		switch {
		case len(s.heap) > 0 && s.heap[0].at == s.now:
			// Heap events at the current instant were scheduled before
			// the instant began, so they precede everything in the FIFO.
			e = s.popHeap()
		case s.fifo.len() > 0:
			e, fromHeap = s.fifo.pop(), false
		case len(s.heap) > 0:
			if s.cfg.Horizon > 0 && s.heap[0].at > s.cfg.Horizon {
				if top := s.heap[0]; s.slot(top.slot()).key != top.key {
					// Garbage must not decide that the horizon is
					// reached: a cancelled timeout a week away would
					// otherwise end the run at the horizon.
					s.popHeap()
					s.dead--
					continue
				}
				s.now = s.cfg.Horizon
				return nil
			}
			if bounded && s.heap[0].at >= until {
				if top := s.heap[0]; s.slot(top.slot()).key != top.key {
					s.popHeap()
					s.dead--
					continue
				}
				return nil
			}
			e = s.popHeap()
		default:
			return nil
		}
		sl := s.slot(e.slot())
		if sl.key != e.key {
			// Cancelled or moved: the live entry, if any, is elsewhere.
			if fromHeap {
				s.dead--
			}
			continue
		}
		if s.cfg.MaxEvents > 0 && s.fired >= s.cfg.MaxEvents {
			// Put the event back, so that the pending set stays whole for
			// anyone who inspects it after the error.
			if fromHeap {
				s.pushHeap(e)
			} else {
				s.fifo.pushFront(e)
			}
			return &BudgetError{Budget: s.cfg.MaxEvents, At: s.now}
		}
		s.now = e.at
		s.fired++
		m := sl.msg
		s.release(e.slot())
		handle(m)
		if s.err != nil {
			return s.err
		}
		if s.stopped {
			return nil
		}
	}
}

// Stop ends Run after the event being handled: the run is over even though
// events may still be pending (a seven-day timeout that no longer matters,
// say). Called outside Run it does nothing.
func (s *Sim[M]) Stop() { s.stopped = true }

// alloc takes a free slot, growing the table when none is free.
func (s *Sim[M]) alloc() uint32 {
	if n := len(s.free); n > 0 {
		i := s.free[n-1]
		s.free = s.free[:n-1]
		return i
	}
	return s.grow()
}

// grow adds a slot to the table and returns it.
func (s *Sim[M]) grow() uint32 {
	i := s.nslots
	p := i / slotPage
	if p == len(s.pages) {
		// The first page starts small and grows like a slice, so that a
		// run with a few events allocates a few slots; later pages are
		// allocated whole.
		c := slotPage
		if p == 0 {
			c = 8
		}
		s.pages = append(s.pages, make([]slot[M], 0, c))
	}
	s.pages[p] = append(s.pages[p], slot[M]{gen: 1})
	if p == 0 {
		s.first = s.pages[0]
	}
	s.nslots++
	if cap(s.free) < s.nslots {
		// Every slot can be free at once (after Reset): grow the free
		// list with the table, so that reuse allocates nothing.
		s.free = slices.Grow(s.free, s.nslots-len(s.free))
	}
	return uint32(i)
}

// slotPage is the number of slots in a page of the slot table.
const slotPage = 1024

// slot returns slot i of the table.
func (s *Sim[M]) slot(i uint32) *slot[M] {
	if int(i) < len(s.first) {
		return &s.first[i]
	}
	return &s.pages[i/slotPage][i%slotPage]
}

// release frees slot i: its entry, wherever it is, becomes garbage and
// handles to it become stale.
func (s *Sim[M]) release(i uint32) {
	sl := s.slot(i)
	var zero M
	sl.msg = zero // drop references the message holds
	sl.key = 0
	sl.gen++
	if sl.gen == 0 {
		sl.gen = 1
	}
	s.free = append(s.free, i)
}

// place gives slot i a fresh entry at time t, in the FIFO when t is the
// current instant and in the heap otherwise. Any entry the slot had before
// becomes garbage. It reports false, failing the run, when the run has used
// up its sequence numbers.
func (s *Sim[M]) place(i uint32, sl *slot[M], t Time) bool {
	if s.seq == MaxScheduled {
		s.fail(&CapacityError{Limit: "scheduled events", Max: MaxScheduled, At: s.now})
		return false
	}
	s.seq++
	e := entry{at: t, key: s.seq<<slotBits | uint64(i)}
	sl.at, sl.key = t, e.key
	if t == s.now {
		sl.fifo = true
		s.fifo.push(e)
		return true
	}
	sl.fifo = false
	s.pushHeap(e)
	return true
}

// live returns the slot named by h, or nil if h is zero or stale.
func (s *Sim[M]) live(h Handle) *slot[M] {
	if h.gen == 0 || int(h.slot) >= s.nslots {
		return nil
	}
	sl := s.slot(h.slot)
	if sl.gen != h.gen || sl.key == 0 {
		return nil
	}
	return sl
}

// compact sweeps garbage out of the heap once it is more than half of it,
// so that a timer moved again and again (an idle timeout pushed back on
// every packet) cannot grow the heap without bound. The Go runtime's timer
// heap uses the same idea. Rebuilding is O(n) and deterministic: pops
// follow (at, key), which is a total order, whatever the heap's layout.
func (s *Sim[M]) compact() {
	if s.dead < 64 || s.dead <= len(s.heap)/2 {
		return
	}
	live := s.heap[:0]
	for _, e := range s.heap {
		if s.slot(e.slot()).key == e.key {
			live = append(live, e)
		}
	}
	s.heap = live
	s.dead = 0
	for i := (len(s.heap) - 2) / 4; i >= 0; i-- {
		s.down(i)
	}
}

func (s *Sim[M]) fail(err error) {
	if s.err == nil {
		s.err = err
	}
}

// BudgetError is returned by Run when the event budget is exhausted.
type BudgetError struct {
	Budget uint64 // Config.MaxEvents
	At     Time   // virtual time reached
}

func (e *BudgetError) Error() string {
	return fmt.Sprintf("sim: event budget of %d events exhausted at virtual time %v", e.Budget, e.At)
}

// CapacityError is returned by Run when a model outgrows the kernel:
// more than MaxPending events pending at once, or more than MaxScheduled
// scheduled in one run.
type CapacityError struct {
	Limit string // "pending events" or "scheduled events"
	Max   uint64
	At    Time // virtual time reached
}

func (e *CapacityError) Error() string {
	return fmt.Sprintf("sim: more than %d %s at virtual time %v", e.Max, e.Limit, e.At)
}

// PastError is returned by Run when a model scheduled or moved an event to
// an instant before the current time.
type PastError struct {
	At  Time // the instant asked for
	Now Time // the current time when it was asked
}

func (e *PastError) Error() string {
	return fmt.Sprintf("sim: event scheduled at %v, before the current time %v", e.At, e.Now)
}
