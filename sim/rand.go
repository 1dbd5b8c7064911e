package sim

import "math/rand/v2"

// NewRand returns the random stream named name under the root seed: a PCG
// generator from math/rand/v2 whose two seed words are derived from the seed
// and from a hash of the name. Each name gets its own sequence, so drawing
// more numbers from one stream (a new network feature, say) never shifts the
// numbers another stream (the server's) produces. PCG's output for a given
// seed is pinned by math/rand/v2's own regression tests, so streams, and the
// golden traces built on them, stay stable across Go releases.
func NewRand(seed uint64, name string) *rand.Rand {
	return rand.New(NewPCG(seed, name))
}

// NewPCG returns the source of NewRand's stream, for a model that keeps
// it to copy its state (rand.PCG is a value).
func NewPCG(seed uint64, name string) *rand.PCG {
	h := fnvString(fnvOffset, name)
	return rand.NewPCG(mix64(seed), mix64(h^0x9e3779b97f4a7c15))
}

// Rand returns the run's random stream named name, creating it on first
// use. Streams are derived from Config.Seed as in NewRand.
func (s *Sim[M]) Rand(name string) *rand.Rand {
	if st, ok := s.rands[name]; ok {
		return st.r
	}
	if s.rands == nil {
		s.rands = make(map[string]stream)
	}
	pcg := NewPCG(s.cfg.Seed, name)
	st := stream{r: rand.New(pcg), pcg: pcg}
	s.rands[name] = st
	return st.r
}

// mix64 is SplitMix64's finaliser: it spreads nearby seeds (1, 2, 3...) to
// unrelated 64-bit words.
func mix64(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}
