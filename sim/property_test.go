package sim

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// refEvent is the reference model's view of one pending event.
type refEvent struct {
	id  int
	at  Time
	seq int
}

// reference is the simplest correct event set: a slice scanned for the
// least (time, sequence) on every pop.
type reference struct {
	live []refEvent
	seq  int
}

func (r *reference) schedule(id int, at Time) {
	r.seq++
	r.live = append(r.live, refEvent{id, at, r.seq})
}

func (r *reference) find(id int) int {
	for i, e := range r.live {
		if e.id == id {
			return i
		}
	}
	return -1
}

func (r *reference) cancel(id int) bool {
	i := r.find(id)
	if i < 0 {
		return false
	}
	r.live = append(r.live[:i], r.live[i+1:]...)
	return true
}

// move mirrors Sim.Move: a moved event is ordered as if scheduled now.
func (r *reference) move(id int, at Time) bool {
	if !r.cancel(id) {
		return false
	}
	r.schedule(id, at)
	return true
}

func (r *reference) pop() (refEvent, bool) {
	if len(r.live) == 0 {
		return refEvent{}, false
	}
	m := 0
	for i, e := range r.live {
		if e.at < r.live[m].at || (e.at == r.live[m].at && e.seq < r.live[m].seq) {
			m = i
		}
	}
	e := r.live[m]
	r.live = append(r.live[:m], r.live[m+1:]...)
	return e, true
}

// TestAgainstReference drives the kernel and the reference with the same
// long random mix of schedule, cancel and move operations, issued before the
// run and from inside handlers, and checks that every event fires in exactly
// the reference's order and at its time, and that cancel and move agree on
// which handles are stale.
func TestAgainstReference(t *testing.T) {
	for seed := uint64(1); seed <= 40; seed++ {
		t.Run(fmt.Sprint("seed=", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 99))
			s := New[int](Config{MaxEvents: 1 << 20})
			ref := &reference{}
			var handles []Handle
			delay := func() Time {
				switch rng.IntN(4) {
				case 0:
					return 0 // the current instant: the FIFO path
				case 1:
					return Time(rng.IntN(3)) // near ties
				default:
					return Time(rng.IntN(1000))
				}
			}
			newEvent := func() {
				id := len(handles)
				at := s.Now() + delay()
				handles = append(handles, s.At(at, id))
				ref.schedule(id, at)
			}
			randomOps := func(n int) {
				for range n {
					if len(handles) == 0 || rng.IntN(2) == 0 {
						newEvent()
						continue
					}
					id := rng.IntN(len(handles)) // may name a fired or cancelled event
					if rng.IntN(2) == 0 {
						if got, want := s.Cancel(handles[id]), ref.cancel(id); got != want {
							t.Fatalf("Cancel(%d) = %v, reference %v", id, got, want)
						}
					} else {
						at := s.Now() + delay()
						if got, want := s.Move(handles[id], at), ref.move(id, at); got != want {
							t.Fatalf("Move(%d) = %v, reference %v", id, got, want)
						}
					}
				}
			}
			randomOps(200)
			fired := 0
			err := s.Run(func(id int) {
				want, ok := ref.pop()
				if !ok {
					t.Fatalf("event %d fired but the reference has none pending", id)
				}
				if id != want.id || s.Now() != want.at {
					t.Fatalf("event %d #%d fired at %v; reference says %d at %v", fired, id, s.Now(), want.id, want.at)
				}
				fired++
				if len(handles) < 6000 {
					randomOps(1 + rng.IntN(4))
				}
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(ref.live) != 0 || s.Pending() != 0 {
				t.Fatalf("run ended with %d events left in the reference, %d in the kernel", len(ref.live), s.Pending())
			}
			if fired < 1000 {
				t.Fatalf("only %d events fired: the mix is too small to mean much", fired)
			}
		})
	}
}
