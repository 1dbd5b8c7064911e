package scenarios

import "testing"

// Two root seeds give independent samples: over 10 000 runs, no run of
// --seed 2 uses a model seed that a run of --seed 1 used (with seed + k,
// 9 999 of them did), and the values drawn differ.
func TestUntrusted3_SeedsIndependent(t *testing.T) {
	sc, err := LoadEmbedded("purge-anywhere")
	if err != nil {
		t.Fatal(err)
	}
	const runs = 10_000
	seeds := map[uint64]uint64{} // model seed -> root seed that used it
	draws := map[float64]uint64{}
	for _, root := range []uint64{1, 2} {
		sw, err := sc.Plan(runs, &root)
		if err != nil {
			t.Fatal(err)
		}
		per := len(sw.Points) * len(sw.Scenario.Variants)
		reused, same := 0, 0
		for k := range runs {
			c, d := sw.Config(k * per)
			if _, ok := seeds[c.Seed]; ok {
				reused++
			}
			seeds[c.Seed] = root
			for _, x := range d {
				if _, ok := draws[x]; ok {
					same++
				}
				draws[x] = root
			}
			// Every variant of draw k has its seed (common random numbers).
			if c2, _ := sw.Config(k*per + 1); c2.Seed != c.Seed {
				t.Fatalf("root %d, run %d: the variants have seeds %d and %d", root, k, c.Seed, c2.Seed)
			}
		}
		if reused != 0 || same != 0 {
			t.Errorf("root seed %d: %d of %d runs reuse a model seed already used, %d drawn values repeat", root, reused, runs, same)
		}
	}
}
