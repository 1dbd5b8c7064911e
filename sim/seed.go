package sim

// DeriveSeed returns the ith seed derived from a root seed: SplitMix64's
// ith output from a state that is itself the root seed mixed. Nearby roots
// (1, 2, 3...) and nearby indexes give unrelated seeds, so the seeds of
// runs 0..n-1 under two root seeds do not overlap (where root + i would
// share all but one), and distinct indexes under one root never collide
// (the map from i to the seed is a bijection).
func DeriveSeed(root, i uint64) uint64 {
	return mix64(mix64(root^0x6a09e667f3bcc909) + i*0x9e3779b97f4a7c15)
}
