package model

import (
	"math"
	"testing"

	"github.com/bgsim/bgsim/sim"
)

// onProfile is base() with only one interface available, using profile p.
func onProfile(p RadioProfile, iface int) Config {
	c := base()
	c.Network.Interfaces[WiFi].Available = iface == WiFi
	c.Network.Interfaces[Cellular].Available = iface == Cellular
	c.Network.Interfaces[iface].Radio = p
	c.Network.Interfaces[iface].UpBitsPerSecond = 2_000_000
	c.Network.Interfaces[iface].DownBitsPerSecond = 20_000_000
	c.Network.Interfaces[iface].RTT = 80 * sim.Millisecond
	c.App.Uploads[0].Bytes = 10_000
	return c
}

// tailEnergy is the energy of the first gap of a profile's tail.
func tailEnergy(p RadioProfile, gap sim.Time) float64 {
	e := 0.0
	for _, ph := range p.Tail {
		d := min(gap, ph.Duration)
		e += ph.Watts * d.Seconds()
		gap -= d
		if gap <= 0 {
			break
		}
	}
	return e
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

// One small upload from idle, computed by hand from the profile's formula:
// a promotion, the handshake and the body at β plus α_u per megabit, the
// tail while the server answers (no promotion: it is inside the tail), the
// response at β plus α_d per megabit, then the whole tail.
func TestEnergyOfOneTransferPerProfile(t *testing.T) {
	for _, p := range Profiles {
		for _, iface := range []int{WiFi, Cellular} {
			t.Run(p.Name+"/"+ifaceNames[iface], func(t *testing.T) {
				c := onProfile(p, iface)
				r := mustRun(t, c)
				e := r.Radios[iface]
				n := c.Network.Interfaces[iface]
				body := transmit(10_000, n.UpBitsPerSecond)
				resp := transmit(c.Server.ResponseBytes, n.DownBitsPerSecond)
				active := sim.Time(c.Params.HandshakeRTTs)*n.RTT + body + resp
				gap := n.RTT + c.Server.Latency // body's last byte to the response's first
				if gap >= p.Tail[0].Duration && p.Tail[0].RepromotionTime > 0 {
					t.Skip("the response would need a re-promotion; not this test's case")
				}
				wantPromotion := p.PromotionWatts * p.PromotionTime.Seconds()
				wantTransfer := p.BetaWatts*active.Seconds() + p.AlphaUp*megabits(10_000) + p.AlphaDown*megabits(c.Server.ResponseBytes)
				wantTail := tailEnergy(p, gap) + tailEnergy(p, p.TailTime())
				if !near(e.Promotion, wantPromotion) || !near(e.Transfer, wantTransfer) || !near(e.Tail, wantTail) {
					t.Errorf("promotion %.9f J (want %.9f), transfer %.9f J (want %.9f), tail %.9f J (want %.9f)",
						e.Promotion, wantPromotion, e.Transfer, wantTransfer, e.Tail, wantTail)
				}
				if e.Promotions != 1 {
					t.Errorf("%d promotions, want 1: the response comes inside the tail", e.Promotions)
				}
				if wantActive := p.PromotionTime + active + gap + p.TailTime(); e.ActiveTime != wantActive {
					t.Errorf("radio not idle for %v, want %v", e.ActiveTime, wantActive)
				}
			})
		}
	}
}

// Two uploads a few seconds apart, inside one LTE tail, pay one promotion;
// a minute apart, two.
func TestTwoTransfersInOneTail(t *testing.T) {
	lte, _ := LookupProfile("lte")
	for _, tt := range []struct {
		gap        sim.Time
		promotions int
	}{{5 * sim.Second, 1}, {time60, 2}} {
		c := onProfile(lte, Cellular)
		c.App.Uploads = append(c.App.Uploads, Upload{Name: "second", Session: "up", API: UploadFromFile, Bytes: 10_000})
		c.Timeline = append(c.Timeline, Action{At: sim.Second + tt.gap, Do: StartUpload, Upload: "second"})
		r := mustRun(t, c)
		if got := r.Radios[Cellular].Promotions; got != tt.promotions {
			t.Errorf("uploads %v apart: %d promotions, want %d", tt.gap, got, tt.promotions)
		}
	}
}

// Energy is conserved across the breakdown, and the radio's time adds up:
// active, off (no path) and idle make the whole run, and idle energy is idle
// power over idle time. Checked on every profile and a run with an outage.
func TestEnergyConservation(t *testing.T) {
	for _, p := range Profiles {
		c := onProfile(p, Cellular)
		c.Timeline = append(c.Timeline, Action{At: 3 * sim.Second, Do: Outage, For: 30 * sim.Second})
		c.App.Uploads[0].Bytes = 2_000_000
		r := mustRun(t, c)
		for _, re := range r.Radios {
			e := re.Energy
			prof := c.Network.Interfaces[WiFi].Radio
			if re.Interface == "cellular" {
				prof = p
			}
			idle := r.EndedAt - e.ActiveTime - e.OffTime
			if idle < 0 || !near(e.Idle, prof.IdleWatts*idle.Seconds()) {
				t.Errorf("%s/%s: idle %v J over %v idle; want %v", p.Name, re.Interface, e.Idle, idle, prof.IdleWatts*idle.Seconds())
			}
		}
	}
}

// On 3G, a response that arrives once the radio has fallen to CELL_FACH
// pays the FACH to DCH promotion.
func TestThreeGRepromotion(t *testing.T) {
	g, _ := LookupProfile("3g")
	c := onProfile(g, Cellular)
	c.Server.Latency = 8 * sim.Second // past the 5 s of CELL_DCH
	r := mustRun(t, c)
	e := r.Radios[Cellular]
	want := g.PromotionWatts*g.PromotionTime.Seconds() + g.Tail[1].RepromotionWatts*g.Tail[1].RepromotionTime.Seconds()
	if e.Promotions != 2 || !near(e.Promotion, want) {
		t.Errorf("%d promotions, %.6f J; want 2 (idle to DCH, FACH to DCH), %.6f J", e.Promotions, e.Promotion, want)
	}
}

func workloadConfig(strategy Strategy) Config {
	c := base()
	lte, _ := LookupProfile("lte")
	c.Network.Interfaces[Cellular] = Interface{Available: true, UpBitsPerSecond: 5_000_000, DownBitsPerSecond: 20_000_000,
		RTT: 70 * sim.Millisecond, Expensive: true, Radio: lte}
	c.Network.Interfaces[WiFi].Available = false
	c.App.Uploads = nil
	c.App.Workload = &Workload{Items: 10, Bytes: 2000, Start: sim.Second, Every: time60, Session: "up",
		Strategy: strategy, BatchCount: 10, BatchWindow: 20 * sim.Minute}
	c.Timeline = []Action{step(0, Launch)}
	return c
}

func TestWorkloadStrategies(t *testing.T) {
	ind := mustRun(t, workloadConfig(Individual))
	bat := mustRun(t, workloadConfig(Batched))
	if len(ind.Uploads) != 10 || len(bat.Uploads) != 1 || bat.Uploads[0].Items != 10 || bat.Uploads[0].Bytes != 20_000 {
		t.Fatalf("individual made %d uploads, batched %d (%+v)", len(ind.Uploads), len(bat.Uploads), bat.Uploads)
	}
	if ind.Energy.Promotions != 10 || bat.Energy.Promotions != 1 {
		t.Errorf("promotions: individual %d, batched %d; want 10 and 1 (items a minute apart, tail 11.6 s)",
			ind.Energy.Promotions, bat.Energy.Promotions)
	}
	if bat.Energy.Joules() > 0.2*ind.Energy.Joules() {
		t.Errorf("batched %.2f J against individual %.2f J: want below a fifth", bat.Energy.Joules(), ind.Energy.Joules())
	}
	if ind.Items.AtServer != 10 || bat.Items.AtServer != 10 || bat.Items.WaitMax <= ind.Items.WaitMax {
		t.Errorf("items at the server %d and %d; worst wait individual %v, batched %v: batching trades freshness",
			ind.Items.AtServer, bat.Items.AtServer, ind.Items.WaitMax, bat.Items.WaitMax)
	}
	// The first item waits for the other nine: about nine minutes.
	if bat.Items.WaitMax < 9*time60 || bat.Items.WaitMax > 10*time60 {
		t.Errorf("worst wait %v, want about 9m", bat.Items.WaitMax)
	}
}

func TestWorkloadBatchWindowAndForeground(t *testing.T) {
	c := workloadConfig(Batched)
	c.App.Workload.BatchCount = 0
	c.App.Workload.BatchWindow = 3 * time60
	r := mustRun(t, c)
	// Items at 1s, 1m1s, ..., 9m1s; a window of 3 minutes from each batch's
	// first item, and an item due as a window closes joins that batch:
	// batches of 4, 4 and 2.
	if len(r.Uploads) != 3 || r.Uploads[0].Items != 4 || r.Uploads[2].Items != 2 {
		t.Errorf("%d uploads with a 3-minute window over 10 minutes of items, want 3 (4, 4, 2 items)", len(r.Uploads))
	}
	c = workloadConfig(Batched)
	c.App.Workload.BatchCount, c.App.Workload.BatchWindow, c.App.Workload.OnForeground = 0, 0, true
	c.Timeline = []Action{step(0, Launch), step(30*sim.Second, Leave), step(20*time60, Return)}
	c.Power.Charging = true
	r = mustRun(t, c)
	if r.Items.Skipped != 9 || r.Items.Produced != 1 || len(r.Uploads) != 1 || r.Uploads[0].CreatedAt != 20*time60 {
		t.Errorf("items produced %d, skipped %d, uploads %d: only the first item is produced while the app runs, and it goes when the user returns",
			r.Items.Produced, r.Items.Skipped, len(r.Uploads))
	}
}

func TestWorkloadDiscretionary(t *testing.T) {
	c := workloadConfig(Discretionary)
	c.Power.Charging = false
	c.Timeline = append(c.Timeline, step(30*time60, WiFiOn), step(40*time60, PlugIn))
	c.Network.Interfaces[WiFi].Available = false
	r := mustRun(t, c)
	if len(r.Uploads) != 1 || r.Uploads[0].ServerReceivedAt < 40*time60 {
		t.Errorf("the discretionary batch should wait for Wi-Fi and power (40m): %+v", r.Uploads)
	}
	wantCites(t, r, "task.discretionary", RuleDiscretionaryFlag)
}

// Random spacing draws from the "workload" stream: deterministic per seed.
func TestWorkloadRandomSpacing(t *testing.T) {
	c := workloadConfig(Individual)
	c.App.Workload.Random = true
	a, b := mustRun(t, c), mustRun(t, c)
	if a.Fingerprint != b.Fingerprint {
		t.Error("same seed, different runs")
	}
	c.Seed = 2
	if mustRun(t, c).Fingerprint == a.Fingerprint {
		t.Error("seeds 1 and 2 gave the same item times")
	}
}

// An interface without a path draws nothing: its radio is off.
func TestRadioOffWithoutPath(t *testing.T) {
	r := mustRun(t, base()) // cellular unavailable throughout
	if e := r.Radios[Cellular]; e.Joules() != 0 || e.OffTime != r.EndedAt {
		t.Errorf("the cellular radio without a path spent %v J and was off for %v of %v", e.Joules(), e.OffTime, r.EndedAt)
	}
}

// The recorded intervals tile the run and carry all of the energy.
func TestRadioIntervals(t *testing.T) {
	c := onProfile(Profiles[0], Cellular)
	c.Timeline = append(c.Timeline, Action{At: 3 * sim.Second, Do: Outage, For: 10 * sim.Second})
	r := mustRun(t, c)
	for _, re := range r.Radios {
		var at sim.Time
		sum := 0.0
		for _, iv := range re.Intervals {
			if iv.From != at {
				t.Fatalf("%s: interval from %v after one ending %v", re.Interface, iv.From, at)
			}
			at = iv.To
			sum += iv.Joules
		}
		if at != r.EndedAt || !near(sum, re.Joules()) {
			t.Errorf("%s: intervals end at %v (run %v), sum %v J (account %v J)", re.Interface, at, r.EndedAt, sum, re.Joules())
		}
	}
}
