package sim

import (
	"fmt"
	"slices"
	"testing"
)

// chain is a small model for the snapshot tests: each message schedules
// a follow-up at a random delay from the "delay" stream, moves or cancels
// a timer now and then, and traces what it did, so that a run depends on
// the clock, the pending set, the handles, the streams and the trace.
type chain struct {
	s     *Sim[int]
	timer Handle
	log   []string
}

func (c *chain) handle(m int) {
	c.log = append(c.log, fmt.Sprintf("%v:%d", c.s.Now(), m))
	c.s.Emit("x", "fire", "", "", Int("m", int64(m)))
	if m >= 400 {
		return
	}
	r := c.s.Rand("delay")
	c.s.After(Time(r.IntN(5)), m+1)
	switch r.IntN(4) {
	case 0:
		c.timer = c.s.After(Time(1+r.IntN(9)), 1000+m)
	case 1:
		c.s.Move(c.timer, c.s.Now()+Time(r.IntN(7)))
	case 2:
		c.s.Cancel(c.timer)
	}
}

func newChain() *chain {
	c := &chain{s: New[int](Config{Seed: 7, KeepTrace: true})}
	c.s.At(0, 0)
	c.s.At(0, 100)
	c.s.At(3, 200)
	return c
}

// TestCloneRunsOnAsTheOriginal stops a run at every instant, clones it,
// and checks that the clone and the original each finish as an unbroken
// run does, with the same trace and fingerprint, and that running one
// does not change the other. Each clone after the first is made into the
// one before, finished: CloneInto leaves nothing of the old run.
func TestCloneRunsOnAsTheOriginal(t *testing.T) {
	whole := newChain()
	if err := whole.s.Run(whole.handle); err != nil {
		t.Fatal(err)
	}
	var reused *Sim[int] // the last clone, finished: CloneInto reuses it
	for _, at := range []Time{0, 1, 2, 5, 17, 40, 90, 1000, 3, 60} {
		c := newChain()
		if err := c.s.RunUntil(at, c.handle); err != nil {
			t.Fatal(err)
		}
		if n, ok := c.s.Next(); ok && n < at {
			t.Fatalf("RunUntil(%v) left an event at %v", at, n)
		}
		if at > 0 && c.s.Now() >= at {
			t.Fatalf("RunUntil(%v): now %v", at, c.s.Now())
		}
		d := &chain{s: c.s.CloneInto(reused), timer: c.timer, log: slices.Clone(c.log)}
		reused = d.s
		if err := d.s.Run(d.handle); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(d.log, whole.log) {
			t.Fatalf("at %v: the clone ran %d firings, the whole run %d; first difference at %d", at, len(d.log), len(whole.log), firstDiff(d.log, whole.log))
		}
		if d.s.Trace().Fingerprint() != whole.s.Trace().Fingerprint() || d.s.Trace().Len() != whole.s.Trace().Len() {
			t.Fatalf("at %v: clone fingerprint %v, whole %v", at, d.s.Trace().Fingerprint(), whole.s.Trace().Fingerprint())
		}
		// The original is untouched by the clone's run and runs on alike.
		if err := c.s.Run(c.handle); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(c.log, whole.log) || c.s.Trace().Fingerprint() != whole.s.Trace().Fingerprint() {
			t.Fatalf("at %v: the original, run after its clone, differs from the whole run", at)
		}
		if !slices.EqualFunc(c.s.Trace().Records(), d.s.Trace().Records(), func(a, b Record) bool { return a.At == b.At && a.Seq == b.Seq }) {
			t.Fatalf("at %v: kept records differ", at)
		}
	}
}

func firstDiff(a, b []string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// TestCloneStreamsAreIndependent draws from a stream in a clone and
// checks the original's stream is where it was.
func TestCloneStreamsAreIndependent(t *testing.T) {
	s := New[int](Config{Seed: 3})
	s.Rand("a").Uint64()
	c := s.Clone()
	x := c.Rand("a").Uint64()
	c.Rand("a").Uint64()
	if y := s.Rand("a").Uint64(); x != y {
		t.Fatalf("the clone's next draw %d, the original's %d", x, y)
	}
}

// TestRunUntilStopsBeforeTheInstant checks that RunUntil fires what is
// strictly before t, leaves the events at t, reports them with Next, and
// respects the horizon.
func TestRunUntilStopsBeforeTheInstant(t *testing.T) {
	s := New[string](Config{Horizon: 20})
	s.At(5, "a")
	s.At(10, "b")
	h := s.At(10, "c")
	s.At(30, "d")
	var got []string
	on := func(m string) { got = append(got, m) }
	if err := s.RunUntil(10, on); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, []string{"a"}) || s.Now() != 5 {
		t.Fatalf("fired %v, now %v; want [a] at 5", got, s.Now())
	}
	if n, ok := s.Next(); !ok || n != 10 {
		t.Fatalf("Next = %v %v, want 10", n, ok)
	}
	s.Cancel(h)
	if err := s.RunUntil(25, on); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, []string{"a", "b"}) || s.Now() != 20 {
		t.Fatalf("fired %v, now %v; want [a b] and the horizon 20", got, s.Now())
	}
	if n, ok := s.Next(); !ok || n != 30 {
		t.Fatalf("Next = %v %v, want the pending event past the horizon at 30", n, ok)
	}
}

// TestReserveOrdersAnEventLater schedules an event with a reserved
// sequence number after the run started, in the heap and at the current
// instant, and checks it fires where it would have, had it been scheduled
// at the reservation.
func TestReserveOrdersAnEventLater(t *testing.T) {
	for _, at := range []Time{0, 4} {
		run := func(late bool) []string {
			s := New[string](Config{})
			s.At(0, "a0")
			s.At(4, "a4")
			var seq uint64
			if late {
				seq = s.Reserve(2)
			} else {
				s.At(at, "x")
			}
			s.At(0, "b0")
			s.At(4, "b4")
			var got []string
			if late {
				if err := s.RunUntil(at, func(m string) { got = append(got, m) }); err != nil {
					t.Fatal(err)
				}
				s.AtSeq(at, seq, "x")
				s.Rewrite(func(m *string) { *m = "r" + *m })
			}
			if err := s.Run(func(m string) { got = append(got, m) }); err != nil {
				t.Fatal(err)
			}
			return got
		}
		want, got := run(false), run(true)
		for i := range got {
			if got[i][0] == 'r' {
				got[i] = got[i][1:]
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("at %v: reserved order %v, want %v", at, got, want)
		}
	}
}
