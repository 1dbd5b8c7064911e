package sim

import (
	"errors"
	"slices"
	"testing"
)

// fired runs s to the end and returns the messages in firing order with the
// time each fired at.
type firing struct {
	at  Time
	msg string
}

func runAll(t *testing.T, s *Sim[string], on func(string)) []firing {
	t.Helper()
	var got []firing
	err := s.Run(func(m string) {
		got = append(got, firing{s.Now(), m})
		if on != nil {
			on(m)
		}
	})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return got
}

func TestOrdering(t *testing.T) {
	type sched struct {
		at  Time
		msg string
	}
	tests := []struct {
		name  string
		sched []sched
		want  []string
	}{
		{"by time", []sched{{3, "c"}, {1, "a"}, {2, "b"}}, []string{"a", "b", "c"}},
		{"ties in scheduling order", []sched{{5, "x"}, {5, "y"}, {1, "w"}, {5, "z"}}, []string{"w", "x", "y", "z"}},
		{"time zero goes through the FIFO", []sched{{0, "a"}, {0, "b"}, {7, "c"}}, []string{"a", "b", "c"}},
		{"many", []sched{{9, "i"}, {8, "h"}, {7, "g"}, {6, "f"}, {5, "e"}, {4, "d"}, {3, "c"}, {2, "b"}, {1, "a"}}, []string{"a", "b", "c", "d", "e", "f", "g", "h", "i"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New[string](Config{})
			for _, e := range tt.sched {
				s.At(e.at, e.msg)
			}
			var got []string
			for _, f := range runAll(t, s, nil) {
				got = append(got, f.msg)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("fired %v, want %v", got, tt.want)
			}
		})
	}
}

// Events scheduled at the current instant from inside a handler come after
// the heap's events for that instant, which were scheduled earlier.
func TestSameInstantFromHandler(t *testing.T) {
	s := New[string](Config{})
	s.At(10, "first")
	s.At(10, "second")
	s.At(11, "later")
	got := runAll(t, s, func(m string) {
		switch m {
		case "first":
			s.After(0, "hand-off")
		case "hand-off":
			s.After(0, "hand-off 2")
		}
	})
	want := []firing{{10, "first"}, {10, "second"}, {10, "hand-off"}, {10, "hand-off 2"}, {11, "later"}}
	if !slices.Equal(got, want) {
		t.Errorf("fired %v, want %v", got, want)
	}
}

func TestCancel(t *testing.T) {
	tests := []struct {
		name   string
		cancel []string // messages whose handles are cancelled before Run
		want   []string
	}{
		{"none", nil, []string{"now", "a", "b"}},
		{"heap event", []string{"b"}, []string{"now", "a"}},
		{"FIFO event", []string{"now"}, []string{"a", "b"}},
		{"all", []string{"a", "b", "now"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New[string](Config{})
			hs := map[string]Handle{
				"now": s.At(0, "now"),
				"a":   s.At(1, "a"),
				"b":   s.At(2, "b"),
			}
			for _, m := range tt.cancel {
				if !s.Cancel(hs[m]) {
					t.Fatalf("Cancel(%s) = false on a pending event", m)
				}
				if s.Cancel(hs[m]) {
					t.Fatalf("second Cancel(%s) = true", m)
				}
			}
			if got, want := s.Pending(), 3-len(tt.cancel); got != want {
				t.Errorf("Pending() = %d, want %d", got, want)
			}
			var got []string
			for _, f := range runAll(t, s, nil) {
				got = append(got, f.msg)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("fired %v, want %v", got, tt.want)
			}
		})
	}
}

func TestMove(t *testing.T) {
	tests := []struct {
		name string
		to   Time
		want []firing
	}{
		{"later", 5, []firing{{2, "b"}, {5, "a"}}},
		{"earlier", 1, []firing{{1, "a"}, {2, "b"}}},
		{"to a tie: after what is already there", 2, []firing{{2, "b"}, {2, "a"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New[string](Config{})
			h := s.At(3, "a")
			s.At(2, "b")
			if !s.Move(h, tt.to) {
				t.Fatal("Move = false on a pending event")
			}
			if at, ok := s.When(h); !ok || at != tt.to {
				t.Errorf("When = %v, %v; want %v, true", at, ok, tt.to)
			}
			if got := runAll(t, s, nil); !slices.Equal(got, tt.want) {
				t.Errorf("fired %v, want %v", got, tt.want)
			}
		})
	}
}

func TestMoveFromFIFOToLater(t *testing.T) {
	s := New[string](Config{})
	s.At(1, "start")
	var h Handle
	got := runAll(t, s, func(m string) {
		if m == "start" {
			h = s.After(0, "moved")
			s.After(0, "stays")
			if !s.Move(h, 4) {
				t.Error("Move of a FIFO event = false")
			}
		}
	})
	want := []firing{{1, "start"}, {1, "stays"}, {4, "moved"}}
	if !slices.Equal(got, want) {
		t.Errorf("fired %v, want %v", got, want)
	}
}

func TestStaleHandles(t *testing.T) {
	s := New[string](Config{})
	fired := s.At(1, "fires")
	cancelled := s.At(2, "cancelled")
	s.Cancel(cancelled)
	runAll(t, s, nil)
	// The slots of both are free now; a new event may reuse one.
	fresh := s.At(10, "fresh")
	for name, h := range map[string]Handle{"zero": {}, "fired": fired, "cancelled": cancelled} {
		if s.Cancel(h) {
			t.Errorf("Cancel(%s handle) = true", name)
		}
		if s.Move(h, 20) {
			t.Errorf("Move(%s handle) = true", name)
		}
		if _, ok := s.When(h); ok {
			t.Errorf("When(%s handle) ok", name)
		}
	}
	if at, ok := s.When(fresh); !ok || at != 10 {
		t.Errorf("stale handles disturbed a fresh event: When = %v, %v", at, ok)
	}
	if got := runAll(t, s, nil); !slices.Equal(got, []firing{{10, "fresh"}}) {
		t.Errorf("fired %v", got)
	}
}

func TestHorizon(t *testing.T) {
	s := New[string](Config{Horizon: 5})
	s.At(1, "a")
	s.At(5, "at the horizon")
	s.At(6, "beyond")
	got := runAll(t, s, nil)
	if want := []firing{{1, "a"}, {5, "at the horizon"}}; !slices.Equal(got, want) {
		t.Errorf("fired %v, want %v", got, want)
	}
	if s.Now() != 5 || s.Pending() != 1 {
		t.Errorf("Now() = %v, Pending() = %d; want 5ns, 1", s.Now(), s.Pending())
	}
}

func TestBudget(t *testing.T) {
	s := New[int](Config{MaxEvents: 100})
	s.After(Second, 0)
	// A model stuck in a loop: every event schedules another.
	err := s.Run(func(int) { s.After(Second, 0) })
	var be *BudgetError
	if !errors.As(err, &be) {
		t.Fatalf("Run = %v, want a *BudgetError", err)
	}
	if be.Budget != 100 || be.At != 100*Second || s.Fired() != 100 {
		t.Errorf("budget %d at %v after %d events; want 100 at 1m40s after 100", be.Budget, be.At, s.Fired())
	}
	want := "sim: event budget of 100 events exhausted at virtual time 1m40s"
	if err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
	if s.Pending() != 1 {
		t.Errorf("the event that would have exceeded the budget was lost: Pending() = %d", s.Pending())
	}
}

func TestZeroDelayLoopHitsBudget(t *testing.T) {
	s := New[int](Config{MaxEvents: 50, Horizon: Hour})
	s.After(0, 0)
	err := s.Run(func(int) { s.After(0, 0) })
	var be *BudgetError
	if !errors.As(err, &be) || be.At != 0 {
		t.Fatalf("Run = %v, want a budget error at time 0", err)
	}
}

func TestPastIsAnError(t *testing.T) {
	s := New[string](Config{})
	s.At(10, "a")
	s.At(20, "never")
	err := s.Run(func(string) { s.At(5, "past") })
	var pe *PastError
	if !errors.As(err, &pe) || pe.At != 5 || pe.Now != 10 {
		t.Fatalf("Run = %v, want a *PastError for 5ns at 10ns", err)
	}
	if s.Fired() != 1 {
		t.Errorf("run went on after the error: %d events fired", s.Fired())
	}
}

func TestResetReusesWithoutLeaks(t *testing.T) {
	s := New[string](Config{Seed: 1})
	old := s.At(5, "old")
	s.At(7, "old 2")
	s.Record(Record{Actor: "a", Kind: "k"})
	s.Reset(Config{Seed: 2})
	if s.Pending() != 0 || s.Now() != 0 || s.Trace().Len() != 0 {
		t.Fatalf("after Reset: Pending %d, Now %v, trace %d", s.Pending(), s.Now(), s.Trace().Len())
	}
	s.At(3, "new")
	if s.Cancel(old) {
		t.Error("a handle from before Reset cancelled a new event")
	}
	if got := runAll(t, s, nil); !slices.Equal(got, []firing{{3, "new"}}) {
		t.Errorf("fired %v", got)
	}
}

// A timer pushed back again and again must not grow the heap without bound.
func TestRepeatedMovesStayCompact(t *testing.T) {
	s := New[int](Config{})
	h := s.At(Second, 1)
	for i := 2; i < 100000; i++ {
		s.Move(h, Time(i)*Second)
	}
	if len(s.heap) > 200 {
		t.Errorf("heap holds %d entries for one pending event", len(s.heap))
	}
	n := 0
	if err := s.Run(func(int) { n++ }); err != nil || n != 1 || s.Now() != 99999*Second {
		t.Errorf("Run = %v, %d events, Now %v", err, n, s.Now())
	}
}

func TestTimeString(t *testing.T) {
	tests := []struct {
		t    Time
		want string
	}{
		{0, "0s"},
		{250 * Millisecond, "250ms"},
		{90 * Second, "1m30s"},
		{Hour + 500*Millisecond, "1h0m0.5s"},
		{Never, "never"},
		{Seconds(1.5), "1.5s"},
		{Seconds(-0.25), "-250ms"},
	}
	for _, tt := range tests {
		if got := tt.t.String(); got != tt.want {
			t.Errorf("Time(%d).String() = %q, want %q", int64(tt.t), got, tt.want)
		}
	}
}

func TestCapacity(t *testing.T) {
	s := New[int](Config{})
	s.seq = MaxScheduled - 1 // as if the run had scheduled almost all it may
	if h := s.At(1, 1); h == (Handle{}) {
		t.Fatal("the last sequence number was refused")
	}
	if h := s.At(2, 2); h != (Handle{}) {
		t.Fatal("scheduling past MaxScheduled returned a handle")
	}
	err := s.Run(func(int) {})
	var ce *CapacityError
	if !errors.As(err, &ce) || ce.Limit != "scheduled events" {
		t.Fatalf("Run = %v, want a CapacityError for scheduled events", err)
	}
	if s.Pending() != 1 {
		t.Errorf("the refused event holds a slot: Pending() = %d", s.Pending())
	}
}

// A cancelled event beyond the horizon must not make the run end at the
// horizon: the run ends when the last live event fires.
func TestCancelledBeyondHorizon(t *testing.T) {
	s := New[string](Config{Horizon: Hour})
	s.At(Second, "a")
	s.Cancel(s.At(7*24*Hour, "cancelled timeout"))
	runAll(t, s, nil)
	if s.Now() != Second {
		t.Errorf("Now() = %v, want 1s", s.Now())
	}
}

// DeriveSeed is pinned: sweeps' reports depend on it.
func TestDeriveSeed(t *testing.T) {
	seen := map[uint64]bool{}
	for root := uint64(0); root < 4; root++ {
		for i := uint64(0); i < 1000; i++ {
			s := DeriveSeed(root, i)
			if seen[s] {
				t.Fatalf("DeriveSeed(%d, %d) = %d repeats an earlier seed", root, i, s)
			}
			seen[s] = true
		}
	}
	if got := DeriveSeed(1, 0); got != DeriveSeed(1, 0) || got == DeriveSeed(2, 0) || got == DeriveSeed(1, 1) {
		t.Errorf("DeriveSeed(1, 0) = %d", got)
	}
}

// The slot table grows in pages: events beyond the first page are
// scheduled, cancelled, moved and fired like the others, handles into
// later pages stay valid while the table grows, and a reset makes them
// stale.
func TestSlotPages(t *testing.T) {
	const n = 3*slotPage + 100
	s := New[int](Config{})
	for round := range 2 {
		hs := make([]Handle, n)
		for i := range n {
			hs[i] = s.At(Time(n-i), i) // later events first: the heap must reorder them
		}
		if s.Pending() != n {
			t.Fatalf("round %d: %d pending, want %d", round, s.Pending(), n)
		}
		for i := 0; i < n; i += 3 {
			if !s.Cancel(hs[i]) {
				t.Fatalf("round %d: cancelling event %d failed", round, i)
			}
		}
		const moved = n - 2 // in the last page, and not cancelled
		if !s.Move(hs[moved], Time(2*n)) {
			t.Fatalf("round %d: moving event %d failed", round, moved)
		}
		if at, ok := s.When(hs[moved]); !ok || at != Time(2*n) {
			t.Fatalf("round %d: moved event at %v, %v", round, at, ok)
		}
		var got []int
		if err := s.Run(func(i int) { got = append(got, i) }); err != nil {
			t.Fatal(err)
		}
		var want []int
		for i := n - 1; i >= 0; i-- {
			if i%3 != 0 && i != moved {
				want = append(want, i)
			}
		}
		want = append(want, moved)
		if !slices.Equal(got, want) {
			t.Fatalf("round %d: %d events fired in the wrong order or number (want %d)", round, len(got), len(want))
		}
		s.Reset(Config{})
		if s.Cancel(hs[1]) || s.Pending() != 0 {
			t.Fatalf("round %d: a handle from before the reset still works", round)
		}
	}
}
