package run

import (
	"fmt"
	"slices"
	"testing"
)

// ordered emits every index once, in order, whatever the workers and the
// chunk; a stop, from work or from emit, ends the emission at the same
// index whatever the workers.
func TestOrdered(t *testing.T) {
	square := func() func(int) (int, bool) { return func(i int) (int, bool) { return i * i, true } }
	for _, n := range []int{0, 1, 7, 100, 1000} {
		for _, workers := range []int{-1, 1, 2, 8, 1000} {
			for _, chunk := range []int{0, 1, 3, 32} {
				t.Run(fmt.Sprint(n, "/", workers, "/", chunk), func(t *testing.T) {
					var got []int
					ordered(n, workers, chunk, square, func(i, v int) bool {
						if v != i*i || i != len(got) {
							t.Fatalf("emitted (%d, %d) after %d", i, v, len(got))
						}
						got = append(got, i)
						return true
					})
					if len(got) != n {
						t.Errorf("%d emitted, want %d", len(got), n)
					}
				})
			}
		}
	}
	for _, workers := range []int{1, 2, 8} {
		for _, chunk := range []int{1, 5, 32} {
			// work stops at 57 and at 300: 0..57 are emitted, 57 last.
			var got []int
			ordered(1000, workers, chunk, func() func(int) (int, bool) {
				return func(i int) (int, bool) { return i, i != 57 && i != 300 }
			}, func(i, v int) bool { got = append(got, v); return true })
			if len(got) != 58 || !slices.IsSorted(got) || got[57] != 57 {
				t.Errorf("workers %d chunk %d: work stop: emitted %d, last %v", workers, chunk, len(got), got[len(got)-1:])
			}
			// emit stops at 123: nothing after it.
			got = nil
			ordered(1000, workers, chunk, square, func(i, v int) bool { got = append(got, i); return i != 123 })
			if len(got) != 124 {
				t.Errorf("workers %d chunk %d: emit stop: emitted %d, want 124", workers, chunk, len(got))
			}
		}
	}
}
