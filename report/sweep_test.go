package report

import "testing"

func TestSig(t *testing.T) {
	for in, want := range map[float64]string{136.96: "137", 136.93: "136.9", 0.12345: "0.1235", 80.8149: "80.81", 3.14e-5: "3.14e-05", 1234: "1234", 0: "0"} {
		if got := sig(in); got != want {
			t.Errorf("sig(%v) = %q, want %q", in, got, want)
		}
	}
}

// Percentiles from the log histogram are within a bin (1.2%) of exact.
func TestHistQuantile(t *testing.T) {
	var h hist
	for i := 1; i <= 1000; i++ {
		h.add(float64(i))
	}
	for _, c := range []struct{ p, want float64 }{{0.5, 500}, {0.9, 900}, {0.99, 990}} {
		if got := h.quantile(c.p); got < c.want*0.988 || got > c.want*1.012 {
			t.Errorf("p%v = %v, want %v within 1.2%%", c.p*100, got, c.want)
		}
	}
	var empty hist
	if q := empty.quantile(0.5); q == q {
		t.Errorf("an empty histogram has no percentile, got %v", q)
	}
}

func TestMomentsCI(t *testing.T) {
	var m moments
	for _, x := range []float64{1, 2, 3, 4, 5} {
		m.add(x)
	}
	lo, hi := m.ci95()
	// mean 3, sd 1.5811, t(0.975, 4) = 2.7764: half-width 1.9632.
	if m.mean != 3 || lo < 1.036 || lo > 1.037 || hi < 4.963 || hi > 4.964 {
		t.Errorf("mean %v, interval %v to %v; want 3, 1.0368 to 4.9632", m.mean, lo, hi)
	}
}

// Wilson's interval: 20 of 20 and 0 of 20 reach exactly 1 and 0, and a
// middle share matches the textbook value.
func TestShareWilson(t *testing.T) {
	g := &sweepGroup{oneUploadEach: true, uploads: 20}
	g.fates[0], g.fates[1] = 20, 0
	if p, lo, hi := g.share(0); p != 1 || hi != 1 || lo < 0.8388 || lo > 0.8389 {
		t.Errorf("20 of 20: %v (%v–%v), want 1 (0.8389–1)", p, lo, hi)
	}
	if p, lo, hi := g.share(1); p != 0 || lo != 0 || hi < 0.1611 || hi > 0.1612 {
		t.Errorf("0 of 20: %v (%v–%v), want 0 (0–0.1611)", p, lo, hi)
	}
	// 10 of 20: 0.5, Wilson 0.2993 to 0.7007.
	g.fates[0], g.fates[1] = 10, 10
	if _, lo, hi := g.share(0); lo < 0.2992 || lo > 0.2994 || hi < 0.7006 || hi > 0.7008 {
		t.Errorf("10 of 20: %v–%v, want 0.2993–0.7007", lo, hi)
	}
}
