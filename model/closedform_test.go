package model

import (
	"fmt"
	"math"
	"testing"

	"github.com/bgsim/bgsim/sim"
)

// handProfile is a radio profile written out by hand from
// ../shared/docs/radio-energy.md, apart from profiles.go, so that the
// closed-form tests below check the profiles against their sources and
// not against themselves. Times in seconds, powers in watts.
type handProfile struct {
	name                     string
	tPro, pPro               float64 // promotion from idle
	beta, alphaUp, alphaDown float64 // active: β + α·Mbit/s
	idle                     float64 // average idle power
	tail                     []handPhase
}

type handPhase struct {
	d, w float64
	// repro is the promotion traffic pays in this phase: seconds, watts.
	reproT, reproW float64
}

var handProfiles = []handProfile{
	// Huang et al. 2012, Table 3 (§2.1): the source's own arithmetic, one
	// flat tail of T_tail = 11.576 s at P_tail = 1060 mW (§7: a full tail
	// costs 1.06 × 11.576 = 12.27 J); idle is 43.2 ms paging wakes at
	// 594.3 mW every 1.28 s.
	{name: "lte", tPro: 0.2601, pPro: 1.2107, beta: 1.28804, alphaUp: 0.43839, alphaDown: 0.05197,
		idle: 0.5943 * 0.0432 / 1.28, tail: []handPhase{{d: 11.576, w: 1.060}}},
	// The same, DRX-resolved (§7): continuous reception for T_i = 0.1 s
	// at β, then the rest of T_tail with 1 ms on-durations at 1680 mW
	// every 40 ms averaged into 1060 mW: 1060 + 620/40 = 1075.5 mW.
	{name: "lte-drx", tPro: 0.2601, pPro: 1.2107, beta: 1.28804, alphaUp: 0.43839, alphaDown: 0.05197,
		idle: 0.5943 * 0.0432 / 1.28, tail: []handPhase{{d: 0.1, w: 1.28804}, {d: 11.476, w: 1.0755}}},
	// Video Optimizer's lte.conf (§2.3): 0.1 s at β = 1.2 W, short DRX
	// 0.02 s with 2 ms wakes every 20 ms ((2×1.68 + 18×1.06)/20 = 1.122
	// W), long DRX 10 s with 2 ms wakes every 40 ms ((2×1.68 + 38×1.06)/40
	// = 1.091 W); idle 43 ms at 0.594 W every 1.28 s.
	{name: "lte-aro", tPro: 0.26, pPro: 1.21, beta: 1.2, alphaUp: 0.43839, alphaDown: 0.05197,
		idle: 0.594 * 0.043 / 1.28, tail: []handPhase{{d: 0.1, w: 1.2}, {d: 0.02, w: 1.122}, {d: 10, w: 1.091}}},
	// Huang et al. 2012, Wi-Fi column (§2.2): beacon 7.6 ms at 77.2 mW
	// every 308.2 ms.
	{name: "wifi", tPro: 0.0791, pPro: 0.1244, beta: 0.13286, alphaUp: 0.28317, alphaDown: 0.13701,
		idle: 0.0772 * 0.0076 / 0.3082, tail: []handPhase{{d: 0.2381, w: 0.1193}}},
	// Qian et al. 2010 timers with Video Optimizer's 3G powers (§3.2): DCH
	// 5 s at 0.70 W, FACH 12 s at 0.35 W (traffic there pays 1.5 s at
	// 0.55 W), promotion 2 s at 0.53 W, idle 0 W, no throughput term.
	{name: "3g", tPro: 2, pPro: 0.53, beta: 0.70, idle: 0,
		tail: []handPhase{{d: 5, w: 0.70}, {d: 12, w: 0.35, reproT: 1.5, reproW: 0.55}}},
}

// tailTime is the whole tail.
func (h handProfile) tailTime() float64 {
	t := 0.0
	for _, ph := range h.tail {
		t += ph.d
	}
	return t
}

// tailJ is the energy of the first g seconds of the tail.
func (h handProfile) tailJ(g float64) float64 {
	j := 0.0
	for _, ph := range h.tail {
		d := math.Min(g, ph.d)
		j += ph.w * d
		if g -= d; g <= 0 {
			break
		}
	}
	return j
}

// closedForm is what n uploads of bytes each, starting dt apart, cost a
// radio over a window of w seconds: total joules, joules above idle, and
// promotions. Each upload is one packet train with nothing before or
// after it (no handshake, no round trip, no server time, an empty
// response), taking tx seconds on the air. An upload from idle waits for
// the promotion; one that comes while the tail runs starts at once,
// ending the tail after g seconds (radio-energy.md §7).
func closedForm(h handProfile, n int, dt, tx, mbit, w float64) (total, above float64, promotions int) {
	active := 0.0 // seconds not idle
	free := 0.0   // when the previous transfer ended; the tail ran from then
	for k := range n {
		start := float64(k) * dt
		if k == 0 || start-free >= h.tailTime() {
			if k > 0 {
				total += h.tailJ(h.tailTime())
				active += h.tailTime()
			}
			total += h.pPro * h.tPro
			active += h.tPro
			promotions++
			start += h.tPro
		} else {
			g := start - free
			total += h.tailJ(g)
			active += g
			// A phase that needs a promotion (3G FACH) makes the
			// upload wait for it.
			at := 0.0
			for _, ph := range h.tail {
				if g < at+ph.d {
					if ph.reproT > 0 {
						total += ph.reproW * ph.reproT
						active += ph.reproT
						promotions++
						start += ph.reproT
					}
					break
				}
				at += ph.d
			}
		}
		total += h.beta*tx + h.alphaUp*mbit
		active += tx
		free = start + tx
	}
	total += h.tailJ(h.tailTime())
	active += h.tailTime()
	total += h.idle * (w - active)
	return total, total - h.idle*w, promotions
}

// Every profile against closed-form arithmetic from the hand table above,
// to 0.1%: one isolated upload, a train of uploads spaced beyond the tail
// (each pays a promotion and a whole tail), and a train inside the tail
// (one promotion; each gap costs the tail up to the next upload).
func TestEnergyClosedFormPerProfile(t *testing.T) {
	const (
		bytes  = 1000
		upBits = 8_000_000 // 1000 bytes take exactly 1 ms
		window = 20 * sim.Minute
	)
	tx, mbit := 0.001, 0.008
	// Spacing inside each profile's tail (and, for 3G, inside CELL_DCH).
	inside := map[string]float64{"lte": 5, "lte-drx": 5, "lte-aro": 5, "wifi": 0.15, "3g": 3}
	if len(handProfiles) != len(Profiles) {
		t.Fatalf("%d profiles by hand, %d shipped: write the new one in the table", len(handProfiles), len(Profiles))
	}
	for _, h := range handProfiles {
		p, ok := LookupProfile(h.name)
		if !ok {
			t.Fatalf("no profile %q", h.name)
		}
		for _, tc := range []struct {
			what string
			n    int
			dt   float64
		}{
			{"one isolated upload", 1, 0},
			{"five uploads a minute apart", 5, 60},
			{"five uploads inside the tail", 5, inside[h.name]},
		} {
			t.Run(fmt.Sprintf("%s/%s", h.name, tc.what), func(t *testing.T) {
				c := base()
				c.Horizon = window
				iface := Cellular
				if h.name == "wifi" {
					iface = WiFi
				}
				c.Network.Interfaces[WiFi].Available = iface == WiFi
				c.Network.Interfaces[Cellular].Available = iface == Cellular
				n := &c.Network.Interfaces[iface]
				n.Radio, n.UpBitsPerSecond, n.DownBitsPerSecond, n.RTT = p, upBits, upBits, 0
				c.Params.HandshakeRTTs = 0
				c.Server.Latency, c.Server.ResponseBytes = 0, 0
				c.App.Uploads = nil
				c.Timeline = []Action{{At: 0, Do: Launch}}
				for k := range tc.n {
					name := fmt.Sprintf("u%d", k)
					c.App.Uploads = append(c.App.Uploads, Upload{Name: name, Session: "up", API: UploadFromFile, Bytes: bytes})
					c.Timeline = append(c.Timeline, Action{At: sim.Second + sim.Time(float64(k)*tc.dt*float64(sim.Second)), Do: StartUpload, Upload: name})
				}
				r := mustRun(t, c)
				e := r.Radios[iface]
				total, above, promotions := closedForm(h, tc.n, tc.dt, tx, mbit, window.Seconds())
				if r.Count(Delivered) != tc.n {
					t.Fatalf("%d of %d uploads delivered", r.Count(Delivered), tc.n)
				}
				if rel(e.Joules(), total) > 0.001 || rel(e.AboveIdle(), above) > 0.001 || e.Promotions != promotions {
					t.Errorf("%.6f J over %v, %.6f J above idle, %d promotions; by hand %.6f J, %.6f J above idle, %d promotions",
						e.Joules(), e.Window, e.AboveIdle(), e.Promotions, total, above, promotions)
				}
			})
		}
	}
}

func rel(got, want float64) float64 {
	if want == 0 {
		return math.Abs(got)
	}
	return math.Abs(got-want) / math.Abs(want)
}

// The lte profile reproduces the source's flat-tail arithmetic exactly:
// a whole tail is P_tail·T_tail = 1.060 W × 11.576 s = 12.27056 J, with
// no continuous-reception phase and no DRX wakes averaged in.
func TestLTEFlatTailIsTheSourcesArithmetic(t *testing.T) {
	c := onProfile(mustProfile(t, "lte"), Cellular)
	c.Server.Latency = 0
	r := mustRun(t, c)
	e := r.Radios[Cellular]
	// The response comes inside the tail (one round trip after the body):
	// the tail is cut once by it, then runs whole.
	gap := c.Network.Interfaces[Cellular].RTT.Seconds()
	if want := 1.060*gap + 1.060*11.576; math.Abs(e.Tail-want) > 1e-9 {
		t.Errorf("tail %.9f J, want 1.060 W × (%.3f s + 11.576 s) = %.9f J", e.Tail, gap, want)
	}
}

func mustProfile(t *testing.T, name string) RadioProfile {
	t.Helper()
	p, ok := LookupProfile(name)
	if !ok {
		t.Fatalf("no profile %q", name)
	}
	return p
}
