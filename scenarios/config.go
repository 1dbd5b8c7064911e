package scenarios

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/bgsim/bgsim/model"
	"github.com/bgsim/bgsim/sim"
)

// Defaults the scenario language applies where a key is absent. The
// model's own defaults (DefaultParams and friends) come from the rules
// catalog; these are the language's.
const (
	defaultSeed      = 1
	DefaultHorizon   = sim.Hour
	DefaultMaxEvents = 1_000_000
)

// Limits on a scenario's size, so that no input can make a run huge.
const (
	MaxEventsCeiling = model.MaxEventsCeiling
	MaxTimelineSteps = 10_000
	MaxVariants      = 100
	// MaxUpdates bounds the do: update_app steps: each installs a whole
	// copy of the app's code, checked as a whole, so without a bound a
	// file of half a megabyte (800 sessions, 8000 updates) took 50 s and
	// 1.4 GB to load.
	MaxUpdates = 32
)

func durationOr(d Duration, def sim.Time) sim.Time {
	if d.Set {
		return d.Value
	}
	return def
}

func boolOr(b Bool, def bool) bool {
	if b.Set {
		return b.Value
	}
	return def
}

// config turns f into a model.Config, applying the defaults, and runs
// Config.Check on it. Problems go to d with their positions: the few
// only the file can show (keys written or left out) from here, the
// rest from Check at the field each names.
func (d *decoder) config(f *File, variant string) model.Config {
	c := model.Config{
		Scenario: f.Name.Value, Variant: variant, Title: f.Title.Value, About: f.About.Value,
		Seed: defaultSeed, Horizon: durationOr(f.Horizon, DefaultHorizon), MaxEvents: DefaultMaxEvents,
		IOS: model.DefaultIOS, Params: model.DefaultParams(), Network: model.DefaultNetwork(), Server: model.DefaultServer(),
	}
	if f.Name.Set && !nameRe.MatchString(f.Name.Value) {
		d.add(f.Name.Pos, "name: %q is not a valid name: use lower-case words joined by hyphens, like app-purged-mid-upload", f.Name.Value)
	}
	if f.Seed.Set {
		if f.Seed.Value < 0 {
			d.add(f.Seed.Pos, "seed: must not be negative")
		}
		c.Seed = uint64(f.Seed.Value)
	}
	if f.MaxEvents.Set {
		// A Config cannot hold a negative budget: it is refused here.
		if d.inRange(f.MaxEvents.Pos, f.MaxEvents.Value < 0, float64(f.MaxEvents.Value), "max_events") {
			c.MaxEvents = uint64(f.MaxEvents.Value)
		}
	}
	if w := f.Energy.Window; w.Set {
		// A Config reads a zero window as the horizon; written out, it
		// is out of range.
		if d.inRange(w.Pos, w.Value == 0, 0, "energy.window") {
			c.EnergyWindow = w.Value
		}
	}
	if len(f.Timeline) > MaxTimelineSteps {
		d.add(f.Pos, "timeline: %d steps; a scenario has at most %d (use app.workload for many items)", len(f.Timeline), MaxTimelineSteps)
	}
	if f.Device.IOS.Set {
		c.IOS = int(f.Device.IOS.Value)
	}
	if b := f.Device.BackgroundAppRefresh; b.Set {
		c.BackgroundAppRefreshOff = b.Value == "off"
	}
	d.network(f, &c)
	d.params(f, &c)
	d.app(f, &c)
	d.hooks(&f.App, &c)
	d.timeline(f, &c)
	d.updates(f, &c)
	d.checkTasks(f, &c)
	// The model's checks, run also when the loader found other problems:
	// each lands where its field is written, unless it follows from a
	// field the decoder found wrong. A timeline step's index is left out
	// of what makes two errors the same, since a variant's added steps
	// shift the base's.
	var fields model.FieldErrors
	if err := c.Check(); errors.As(err, &fields) {
		for _, e := range fields {
			if e.Path != "" && d.reported(e.Path) {
				continue
			}
			d.addKeyed(fieldPos(f, e.Path), stepIndexRe.ReplaceAllString(e.Error(), "timeline[]"), e.Error())
		}
	} else if err != nil {
		d.add(f.Pos, "%v", err)
	}
	return c
}

var stepIndexRe = regexp.MustCompile(`^timeline\[[0-9]+\]`)

func (d *decoder) network(f *File, c *model.Config) {
	c.Power = model.DefaultPower()
	for i, n := range []InterfaceSpec{f.Network.WiFi, f.Network.Cellular} {
		mi := &c.Network.Interfaces[i]
		mi.Available = boolOr(n.Available, true)
		mi.Expensive = boolOr(n.Expensive, mi.Expensive)
		mi.Constrained = n.LowDataMode.Value
		if n.Up.Set {
			mi.UpBitsPerSecond = n.Up.Value
		}
		if n.Down.Set {
			mi.DownBitsPerSecond = n.Down.Value
		}
		mi.RTT = durationOr(n.RTT, mi.RTT)
		d.radio(n.Radio, &mi.Radio)
	}
	p := f.Power
	if p.Battery.Set {
		c.Power.BatteryPercent = int(p.Battery.Value)
	}
	c.Power.Charging, c.Power.LowPowerMode = p.Charging.Value, p.LowPowerMode.Value
	s := f.Server
	c.Server.Latency = durationOr(s.Latency, c.Server.Latency)
	if s.Status.Set {
		c.Server.Status = int(s.Status.Value)
	}
	if s.ResponseSize.Set {
		c.Server.ResponseBytes = s.ResponseSize.Value
	}
	c.Server.Resumable = s.Resumable.Value
	c.Server.UnresponsiveUntil = s.UnresponsiveUntil.Value
	c.Server.AuthChallenge = s.AuthChallenge.Value
	if r := s.Redirect; r.Status.Set {
		c.Server.Redirect = model.Redirect{Status: int(r.Status.Value), Times: 1, Latency: durationOr(r.Latency, c.Server.Latency)}
		if r.Times.Set {
			c.Server.Redirect.Times = int(r.Times.Value)
		}
	} else if !r.Status.Given && (r.Times.Given || r.Latency.Given) {
		d.add(r.Pos, "server.redirect: times and latency need status: 301, 302, 303, 307 or 308")
	}
}

// radio picks the profile named in r (or keeps the interface's default)
// and applies r's overrides.
func (d *decoder) radio(r RadioSpec, into *model.RadioProfile) {
	if r.Profile.Set {
		if p, ok := model.LookupProfile(r.Profile.Value); ok {
			*into = p
		}
	}
	if r.PromotionTime.Set {
		into.PromotionTime = r.PromotionTime.Value
	}
	for _, f := range []struct {
		v    Float
		into *float64
	}{
		{r.PromotionWatts, &into.PromotionWatts}, {r.BetaWatts, &into.BetaWatts},
		{r.AlphaUp, &into.AlphaUp}, {r.AlphaDown, &into.AlphaDown}, {r.IdleWatts, &into.IdleWatts},
	} {
		if f.v.Set {
			*f.into = f.v.Value
		}
	}
	if r.Tail != nil {
		into.Tail = nil
		for _, t := range r.Tail {
			name := t.Name.Value
			if name == "" {
				name = "tail"
			}
			into.Tail = append(into.Tail, model.TailPhase{Name: name, Duration: t.Duration.Value, Watts: t.Watts.Value,
				RepromotionTime: t.RepromotionTime.Value, RepromotionWatts: t.RepromotionWatts.Value})
		}
	}
}

// access turns the three allows_* keys into a model.Access.
func access(a AccessSpec) model.Access {
	permit := func(b Bool) model.Permit {
		switch {
		case !b.Set:
			return model.Inherit
		case b.Value:
			return model.Allowed
		}
		return model.Denied
	}
	return model.Access{Cellular: permit(a.AllowsCellular), Expensive: permit(a.AllowsExpensive), Constrained: permit(a.AllowsConstrained)}
}

func (d *decoder) params(f *File, c *model.Config) {
	p := f.Params
	for _, v := range []struct {
		d    Duration
		into *sim.Time
	}{
		{p.XPCLatency, &c.Params.XPCLatency}, {p.LaunchLatency, &c.Params.LaunchLatency},
		{p.BackgroundGrace, &c.Params.BackgroundGrace}, {p.RelaunchAllowance, &c.Params.RelaunchAllowance},
		{p.RateLimiter.First, &c.Params.RateLimiterFirst}, {p.RateLimiter.Cap, &c.Params.RateLimiterCap},
		{p.ResumableWait, &c.Params.ResumableWait},
	} {
		if v.d.Set {
			*v.into = v.d.Value
		}
	}
	if p.RateLimiter.Factor.Set {
		c.Params.RateLimiterFactor = p.RateLimiter.Factor.Value
	}
	if v := p.RateLimiter.ResetAfter; v.Set {
		c.Params.RateLimiterResetAfter = v.Value
	}
	if v := p.DataTaskDisconnect; v.Set {
		c.Params.DataTaskDisconnect = model.DataTaskDisconnectPolicy(v.Value)
	}
	if v := p.InProcessCutCode; v.Set {
		c.Params.InProcessCutCode = int(v.Value)
	}
	if v := p.DiscretionaryRequires; v.Set {
		c.Params.DiscretionaryRequires = model.DiscretionaryRequirement(v.Value)
	}
	if p.ForceQuit.Set {
		c.Params.ForceQuit = model.ForceQuitPolicy(p.ForceQuit.Value)
	}
	if v := p.ForceQuitContinueChance; v.Set {
		c.Params.ForceQuitContinueChance = v.Value
	}
	if p.HandshakeRTTs.Set {
		c.Params.HandshakeRTTs = int(p.HandshakeRTTs.Value)
	}
	if p.MaxRedirects.Set {
		c.Params.MaxRedirects = int(p.MaxRedirects.Value)
	}
	if v := p.DiscretionaryRelaxAfter; v.Set {
		c.Params.DiscretionaryRelaxAfter = v.Value
	}
	if v := p.CriticalBattery; v.Set {
		c.Params.CriticalBatteryPercent = int(v.Value)
	}
	if v := p.WakeJoules; v.Set {
		c.Params.WakeJoules = v.Value
	}
	if v := p.WakeCPUWatts; v.Set {
		c.Params.WakeCPUWatts = v.Value
	}
	if p.RewakeUnfinished.Set {
		c.Params.RewakeUnfinished = p.RewakeUnfinished.Value
	}
	if p.RefreshOff.Set {
		c.Params.RefreshOff = model.RefreshOffEffect(p.RefreshOff.Value)
	}
}

// app builds the app's code. The references between its parts, and the
// settings that contradict each other or the iOS version, are
// Config.Check's to find; what is checked here is only what a Config
// cannot tell (a key written or left out).
func (d *decoder) app(f *File, c *model.Config) {
	a := f.App
	if len(a.Sessions) == 0 && f.App.Pos.Line > 0 {
		d.add(a.Pos, "app.sessions: at least one session is needed")
	}
	for _, s := range a.Sessions {
		path := "app.sessions." + s.Name
		ms := model.Session{Name: s.Name, Kind: model.Background, SendsLaunchEvents: boolOr(s.SendsLaunchEvents, true),
			Discretionary: s.Discretionary.Value, ResourceTimeout: durationOr(s.ResourceTimeout, model.DefaultResourceTimeout),
			RequestTimeout: durationOr(s.RequestTimeout, model.DefaultRequestTimeout), Access: access(s.AccessSpec)}
		// A Config reads a zero timeout as the default; written out, it
		// is refused.
		d.inRange(s.RequestTimeout.Pos, s.RequestTimeout.Set && s.RequestTimeout.Value == 0, 0, path+".request_timeout")
		d.inRange(s.ResourceTimeout.Pos, s.ResourceTimeout.Set && s.ResourceTimeout.Value == 0, 0, path+".resource_timeout")
		if s.Kind.Set {
			ms.Kind = model.SessionKind(s.Kind.Value)
		}
		if ms.Kind == model.Background {
			if !s.Delegate.Set {
				d.add(s.Pos, "%s: say which delegate the session is created with (delegate: SomeDelegate), or delegate: none", path)
			}
		} else if s.SendsLaunchEvents.Set || s.Discretionary.Set {
			d.add(s.Pos, "%s: sends_launch_events and discretionary apply only to background sessions", path)
		}
		ms.Identifier = s.Identifier.Value
		ms.Auth = model.AuthNone
		if s.Auth.Set {
			ms.Auth = model.AuthAnswer(s.Auth.Value)
		}
		if s.Delegate.Value != "none" {
			ms.Delegate = s.Delegate.Value
		}
		c.App.Sessions = append(c.App.Sessions, ms)
	}
	for _, u := range a.Uploads {
		path := "app.uploads." + u.Name
		mu := model.Upload{Name: u.Name, Session: u.Session.Value, API: model.UploadFromFile,
			CompletionHandler: u.CompletionHandler.Value, TaskDelegate: u.TaskDelegate.Value,
			RequestClass: u.RequestClass.Value, Bytes: u.Size.Value, DeleteFile: u.DeleteFile.Value, Chain: int(u.Chain.Value),
			BeginAfter: u.BeginAfter.Value, Access: access(u.AccessSpec), OnFailure: model.OnFailure(u.OnFailure.Value)}
		if u.API.Set {
			mu.API = model.TaskAPI(u.API.Value)
		}
		if !u.Size.Given && mu.API != model.StreamTask {
			d.addAt(path+".size", u.Pos, "%s: missing required key \"size\"", path)
		}
		c.App.Uploads = append(c.App.Uploads, mu)
	}
	for _, s := range a.AtLaunch {
		c.App.AtLaunch = append(c.App.AtLaunch, s.Value)
	}
	for _, s := range a.AtUserLaunch {
		c.App.AtUserLaunch = append(c.App.AtUserLaunch, s.Value)
	}
	for _, s := range a.AtBgLaunch {
		c.App.AtBackgroundLaunch = append(c.App.AtBackgroundLaunch, s.Value)
	}
	d.workload(a.Workload, c)
	he := a.HandleEvents
	c.App.HandleEvents = model.HandleEvents{Recreate: model.RecreateGiven,
		StoreCompletionHandler: boolOr(he.StoreCompletionHandler, true), CallCompletionHandler: boolOr(he.CallCompletionHandler, true)}
	if he.Recreate.Set {
		c.App.HandleEvents.Recreate = he.Recreate.Value
	}
	d.extensions(a, c)
}

func (d *decoder) workload(w *WorkloadSpec, c *model.Config) {
	if w == nil {
		return
	}
	c.App.Workload = &model.Workload{Items: int(w.Items.Value), Bytes: w.Size.Value, Start: w.Start.Value, Every: w.Every.Value,
		Random: w.Random.Value, Session: w.Session.Value, Strategy: model.Strategy(w.Strategy.Value),
		BatchCount: int(w.Batch.Count.Value), BatchWindow: w.Batch.Window.Value, OnForeground: w.Batch.OnForeground.Value}
	if b := w.Batch; c.App.Workload.Strategy == model.Individual && (b.Count.Set || b.Window.Set || b.OnForeground.Set) {
		d.add(b.Pos, "app.workload.batch: applies to batched and discretionary strategies, not individual")
	}
}

// timeline builds the timeline. Times out of range or out of order,
// unknown uploads and interfaces are Config.Check's to find; what is
// checked here is which keys a step writes, and that the app's code has
// been launched before it starts an upload.
func (d *decoder) timeline(f *File, c *model.Config) {
	var last sim.Time
	launched := false
	for i, s := range f.Timeline {
		const path = "timeline"
		at := fmt.Sprintf("timeline[%d]", i)
		do := model.ActionKind(s.Do.Value)
		switch {
		case s.When != nil && s.At.Given:
			d.add(s.When.Pos, "%s: a step happens at: a time or when: a condition holds, not both", path)
		case s.When == nil && !s.At.Given:
			d.addAt(at+".at", s.Pos, "%s: a step needs at: a time, or when: a condition", path)
		}
		if s.After.Given && s.When == nil {
			d.addAt(at+".after", s.After.Pos, "%s: after: applies only to a step with when:", path)
		}
		if s.For.Given && do != model.Outage {
			d.add(s.For.Pos, "%s: for: applies only to do: outage", path)
		}
		if do == model.Outage && !s.For.Given {
			d.addAt(at+".for", s.Pos, "%s: do: outage needs for: a positive duration", path)
		}
		if (s.Interface.Given || s.Up.Given || s.Down.Given) && do != model.Bandwidth {
			d.add(s.Pos, "%s: interface, up and down apply only to do: bandwidth", path)
		}
		if do == model.Bandwidth && (!s.Interface.Set || (!s.Up.Set && !s.Down.Set)) {
			d.add(s.Pos, "%s: do: bandwidth needs interface: wifi or cellular, and up:, down: or both", path)
		}
		switch do {
		case model.Launch, model.Return:
			launched = true
		case model.Leave, model.ForceQuit, model.Purge, model.WiFiOff, model.WiFiOn, model.CellularOff, model.CellularOn,
			model.Outage, model.Bandwidth, model.PlugIn, model.Unplug, model.LowPowerOn, model.LowPowerOff:
		default:
			// A misspelt action is reported already; guessing what it
			// was would only add errors that follow from it.
			launched = true
		case model.UpdateApp: // scenarios/update.go
		case model.Invalidate, model.CreateSession:
			if !s.Session.Set {
				d.addAt(at+".session", s.Pos, "%s: do: %s needs session: NAME, one of the sessions under app.sessions", path, do)
			}
		case model.Cancel, model.Resume:
			if !s.Upload.Set {
				d.addAt(at+".upload", s.Pos, "%s: do: %s needs upload: NAME, one of the uploads under app.uploads", path, do)
			}
		case model.StartUpload:
			if !launched && s.When == nil {
				d.add(s.Pos, "%s: an upload at %v, before the app was ever launched: its code cannot run yet (add a launch step first)", path, s.At.Value)
			}
			if !s.Upload.Set {
				d.addAt(at+".upload", s.Pos, "%s: do: upload needs upload: NAME, one of the uploads under app.uploads", path)
			}
		}
		if s.Upload.Set && do != model.StartUpload && do != model.Cancel && do != model.Resume {
			d.add(s.Upload.Pos, "%s: upload: applies only to do: upload, cancel and resume", path)
		}
		if s.ResumeData.Given && do != model.Cancel {
			d.add(s.ResumeData.Pos, "%s: resume_data: applies only to do: cancel", path)
		}
		if s.Session.Given && do != model.Invalidate && do != model.CreateSession {
			d.add(s.Session.Pos, "%s: session: applies only to do: invalidate and create_session", path)
		}
		if s.CancelTasks.Given && do != model.Invalidate {
			d.add(s.CancelTasks.Pos, "%s: cancel_tasks: applies only to do: invalidate", path)
		}
		if s.At.Value > last && s.When == nil {
			last = s.At.Value
		}
		var when model.Trigger
		if w := s.When; w != nil {
			when = model.Trigger{Upload: w.Upload.Value, Sent: int(min(w.Sent.Value, 1000)), State: w.State.Value,
				Fate: model.Fate(w.Fate.Value), BackgroundLaunches: int(min(w.BackgroundLaunches.Value, model.MaxEventsCeiling+1))}
			if !when.Set() {
				d.addAt(at+".when", w.Pos, "%s: when: needs a condition: sent, state or fate (with upload:), or background_launches", path)
			}
		}
		iface := model.WiFi
		if s.Interface.Value == "cellular" {
			iface = model.Cellular
		}
		c.Timeline = append(c.Timeline, model.Action{At: s.At.Value, When: when, After: s.After.Value, Do: do, Upload: s.Upload.Value,
			For: s.For.Value, Interface: iface, Up: s.Up.Value, Down: s.Down.Value, ResumeData: s.ResumeData.Value,
			Session: s.Session.Value, CancelTasks: s.CancelTasks.Value, Extension: s.Extension.Value})
	}
	if c.Horizon > 0 && last > c.Horizon {
		if f.Horizon.Set {
			d.add(f.Horizon.Pos, "horizon: the run ends at %v, before the timeline's last step at %v", c.Horizon, last)
		} else {
			d.add(f.Pos, "the run ends at the default horizon of %v, before the timeline's last step at %v; set horizon:", c.Horizon, last)
		}
	}
}
