package model

// slabPage is how many objects a slab page holds.
const slabPage = 64

// slab hands out zeroed objects from pages it keeps from run to run, so
// that the sessions and tasks of a run cost no allocation once a Runner
// has met as many. What it hands out lives until the slab is reset at the
// start of the Runner's next run: nothing a Result keeps points into it.
type slab[T any] struct {
	pages [][]T
	n     int
}

// get returns a zeroed object; a nil slab allocates it (an actor made on
// its own, in a test).
func (s *slab[T]) get() *T {
	if s == nil {
		return new(T)
	}
	page := s.n / slabPage
	if page == len(s.pages) {
		s.pages = append(s.pages, make([]T, slabPage))
	}
	p := &s.pages[page][s.n%slabPage]
	var zero T
	*p = zero
	s.n++
	return p
}

// reset takes every object back. The objects keep what they held until
// they are handed out again, zeroed.
func (s *slab[T]) reset() { s.n = 0 }
