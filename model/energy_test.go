package model

import (
	"errors"
	"fmt"
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
// active, off (no path) and idle make the whole energy window, and idle
// energy is idle power over idle time. Checked on every profile and a run
// with an outage.
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
			if e.Window != c.Horizon {
				t.Errorf("%s/%s: window %v, want the horizon %v", p.Name, re.Interface, e.Window, c.Horizon)
			}
			idle := e.Window - e.ActiveTime - e.OffTime
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
	if bat.Energy.AboveIdle() > 0.2*ind.Energy.AboveIdle() {
		t.Errorf("batched %.2f J above idle against individual %.2f J: want below a fifth", bat.Energy.AboveIdle(), ind.Energy.AboveIdle())
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
	if e := r.Radios[Cellular]; e.Joules() != 0 || e.OffTime != e.Window || e.Baseline != 0 || e.AboveIdle() != 0 {
		t.Errorf("the cellular radio without a path spent %v J (baseline %v J) and was off for %v of %v", e.Joules(), e.Baseline, e.OffTime, e.Window)
	}
}

// The recorded intervals tile the energy window and carry all of the
// energy.
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
		if at != re.Window || !near(sum, re.Joules()) {
			t.Errorf("%s: intervals end at %v (window %v), sum %v J (account %v J)", re.Interface, at, re.Window, sum, re.Joules())
		}
	}
}

// Energy on equal terms: two runs of the same upload, one that ends when
// the upload is done and one that goes on for an hour (a later launch
// that moves no bytes), are integrated over the same window, the
// horizon, and spend the same energy, in total and above idle. Before
// the window, idle was counted only to each run's last event, so the
// longer run looked costlier by its idle alone.
func TestEnergyWindowSameForRunsOfDifferentLength(t *testing.T) {
	c := base()
	c.Horizon = 2 * sim.Hour
	short := mustRun(t, c)
	c.Timeline = append(c.Timeline, Action{At: sim.Hour, Do: Launch})
	long := mustRun(t, c)
	if short.EndedAt >= sim.Minute || long.EndedAt < sim.Hour {
		t.Fatalf("runs end at %v and %v: want one within a minute, one after an hour", short.EndedAt, long.EndedAt)
	}
	a, b := short.Energy, long.Energy
	if a.Window != 2*sim.Hour || b.Window != 2*sim.Hour {
		t.Errorf("windows %v and %v, want the horizon, 2h", a.Window, b.Window)
	}
	if !near(a.Joules(), b.Joules()) || !near(a.AboveIdle(), b.AboveIdle()) || !near(a.Idle, b.Idle) {
		t.Errorf("short run %.6f J (%.6f above idle, %.6f idle), long run %.6f J (%.6f, %.6f): want the same",
			a.Joules(), a.AboveIdle(), a.Idle, b.Joules(), b.AboveIdle(), b.Idle)
	}
	// Idle past the short run's last event is counted up to the window.
	wifi := c.Network.Interfaces[WiFi].Radio
	if want := wifi.IdleWatts * (2*sim.Hour - a.ActiveTime).Seconds(); !near(a.Idle, want) {
		t.Errorf("idle %.6f J, want idle power over the window's idle time, %.6f J", a.Idle, want)
	}
	if want := a.Joules() - wifi.IdleWatts*(2*sim.Hour).Seconds(); !near(a.AboveIdle(), want) {
		t.Errorf("above idle %.6f J, want the total less idle power over the window, %.6f J", a.AboveIdle(), want)
	}
}

// A window shorter than the run: the account stops at the window's end.
// The 5 MB upload holds the Wi-Fi radio from 1 s (plus XPC latency) to
// about 21 s; a 10 s window counts its promotion and its time at β up to
// 10 s, and no throughput energy (charged per byte when the transfer lets
// the radio go, after the window).
func TestEnergyWindowShorterThanTheRun(t *testing.T) {
	c := base()
	c.EnergyWindow = 10 * sim.Second
	r := mustRun(t, c)
	e := r.Radios[WiFi]
	p := c.Network.Interfaces[WiFi].Radio
	start := sim.Second + c.Params.XPCLatency // the daemon starts the task
	active := 10*sim.Second - start - p.PromotionTime
	if r.EndedAt < 20*sim.Second || e.Window != 10*sim.Second {
		t.Fatalf("run ended %v, window %v", r.EndedAt, e.Window)
	}
	wantTransfer := p.BetaWatts * active.Seconds()
	if e.ActiveTime != 10*sim.Second-start || !near(e.Transfer, wantTransfer) || e.BytesUp != 0 || e.Tail != 0 {
		t.Errorf("active %v (want %v), transfer %.9f J (want β over %v, %.9f J), %d bytes up, tail %v J",
			e.ActiveTime, 10*sim.Second-start, e.Transfer, active, wantTransfer, e.BytesUp, e.Tail)
	}
	if last := e.Intervals[len(e.Intervals)-1]; last.To != 10*sim.Second || last.State != "active" {
		t.Errorf("the last interval is %+v, want active up to 10s", last)
	}
}

// Past the run's last event a radio's state goes on: a tail runs out its
// phases, then the radio idles up to the window's end.
func TestRadioStateGoesOnPastTheLastEvent(t *testing.T) {
	p := mustProfile(t, "lte-aro")
	var out effects
	var r radio
	r.init(Cellular, p, true, true)
	r.out = &out
	r.now = 0
	r.acquire()             // promotion from idle
	r.now = p.PromotionTime // it ends
	r.handle(msg{kind: radioPromoted})
	r.now = p.PromotionTime + sim.Second
	r.release(0, 0) // one second active, then the tail
	end := r.now + 30*sim.Second
	e := r.finish(r.now+50*sim.Millisecond, end) // the run ended mid-phase
	wantTail := tailEnergy(p, p.TailTime())
	wantIdle := p.IdleWatts * (end - p.PromotionTime - sim.Second - p.TailTime()).Seconds()
	if !near(e.Tail, wantTail) || !near(e.Idle, wantIdle) || e.Window != end {
		t.Errorf("tail %.9f J (want the whole tail, %.9f J), idle %.9f J (want %.9f J), window %v", e.Tail, wantTail, e.Idle, wantIdle, e.Window)
	}
	var states []string
	for _, iv := range r.intervals {
		states = append(states, iv.State+":"+iv.Phase)
	}
	if got := fmt.Sprint(states); got != "[promotion: active: tail:continuous reception tail:short DRX tail:long DRX idle:]" {
		t.Errorf("states %s", got)
	}
}

// The window is checked: not negative, not past the horizon.
func TestEnergyWindowChecked(t *testing.T) {
	for _, w := range []sim.Time{-sim.Second, 25 * sim.Hour} {
		c := base()
		c.EnergyWindow = w
		var fe FieldErrors
		if err := c.Check(); !errors.As(err, &fe) || fe[0].Path != "energy.window" {
			t.Errorf("window %v: %v, want an error at energy.window", w, err)
		}
	}
}
