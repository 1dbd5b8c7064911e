package scenarios

import (
	"errors"
	"fmt"
	"slices"

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
	maxHorizon       = 365 * 24 * sim.Hour
	MaxEventsCeiling = 100_000_000
	MaxTimelineSteps = 10_000
	MaxVariants      = 100
)

// checkOrder reports timeline steps written out of time order: almost
// always a typo, and ambiguous to read.
func (d *decoder) checkOrder(steps []Step) {
	for i := 1; i < len(steps); i++ {
		// A negative time has its own error; "out of order" would only
		// hide it.
		if steps[i].At.Set && steps[i-1].At.Set && steps[i].At.Value >= 0 && steps[i].At.Value < steps[i-1].At.Value {
			d.add(steps[i].At.Pos, "timeline: this step at %v comes before the step above it at %v; list the steps in time order",
				steps[i].At.Value, steps[i-1].At.Value)
		}
	}
}

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

// config checks f beyond its shape and turns it into a model.Config,
// applying the defaults. Problems go to d with their positions.
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
	d.inRange(f.Horizon.Pos, true, float64(c.Horizon), "horizon")
	if w := f.Energy.Window; w.Set {
		d.inRange(w.Pos, true, float64(w.Value), "energy.window")
		if w.Value > c.Horizon {
			d.add(w.Pos, "energy.window: %v is past the horizon, %v; a run's radios are not known after it (make the horizon longer)", w.Value, c.Horizon)
		}
		c.EnergyWindow = w.Value
	}
	if f.MaxEvents.Set {
		d.inRange(f.MaxEvents.Pos, true, float64(f.MaxEvents.Value), "max_events")
		c.MaxEvents = uint64(max(1, f.MaxEvents.Value))
	}
	if len(f.Timeline) > MaxTimelineSteps {
		d.add(f.Pos, "timeline: %d steps; a scenario has at most %d (use app.workload for many items)", len(f.Timeline), MaxTimelineSteps)
	}
	if f.Device.IOS.Set {
		c.IOS = int(f.Device.IOS.Value)
		d.inRange(f.Device.IOS.Pos, true, float64(f.Device.IOS.Value), "device.ios")
	}
	d.network(f, &c)
	d.params(f, &c)
	d.app(f, &c)
	d.timeline(f, &c)
	d.checkTasks(f, &c)
	if len(d.list) == 0 {
		// The checks above are meant to catch everything the model
		// rejects; this is the model's own guard.
		// Each problem lands where its field is written.
		var fields model.FieldErrors
		if err := c.Check(); errors.As(err, &fields) {
			for _, e := range fields {
				d.add(fieldPos(f, e.Path), "%s", e.Msg)
			}
		} else if err != nil {
			d.add(f.Pos, "%v", err)
		}
	}
	return c
}

func (d *decoder) network(f *File, c *model.Config) {
	c.Power = model.DefaultPower()
	for i, n := range []InterfaceSpec{f.Network.WiFi, f.Network.Cellular} {
		path := "network." + model.InterfaceName(i)
		mi := &c.Network.Interfaces[i]
		mi.Available = boolOr(n.Available, true)
		mi.Expensive = boolOr(n.Expensive, mi.Expensive)
		mi.Constrained = n.LowDataMode.Value
		for _, b := range []struct {
			v    Bitrate
			key  string
			into *int64
		}{{n.Up, path + ".up", &mi.UpBitsPerSecond}, {n.Down, path + ".down", &mi.DownBitsPerSecond}} {
			if !b.v.Set {
				continue
			}
			d.inRange(b.v.Pos, true, float64(b.v.Value), b.key)
			*b.into = b.v.Value
		}
		mi.RTT = durationOr(n.RTT, mi.RTT)
		d.inRange(n.RTT.Pos, n.RTT.Set, float64(mi.RTT), path+".rtt")
		d.radio(n.Radio, path+".radio", &mi.Radio)
	}
	p := f.Power
	if p.Battery.Set {
		d.inRange(p.Battery.Pos, true, float64(p.Battery.Value), "power.battery")
		c.Power.BatteryPercent = int(p.Battery.Value)
	}
	c.Power.Charging, c.Power.LowPowerMode = p.Charging.Value, p.LowPowerMode.Value
	s := f.Server
	c.Server.Latency = durationOr(s.Latency, c.Server.Latency)
	d.inRange(s.Latency.Pos, s.Latency.Set, float64(c.Server.Latency), "server.latency")
	if s.Status.Set {
		d.inRange(s.Status.Pos, true, float64(s.Status.Value), "server.status")
		c.Server.Status = int(s.Status.Value)
	}
	if s.ResponseSize.Set {
		d.inRange(s.ResponseSize.Pos, true, float64(s.ResponseSize.Value), "server.response_size")
		c.Server.ResponseBytes = s.ResponseSize.Value
	}
	c.Server.Resumable = s.Resumable.Value
	c.Server.UnresponsiveUntil = s.UnresponsiveUntil.Value
	d.inRange(s.UnresponsiveUntil.Pos, s.UnresponsiveUntil.Set, float64(c.Server.UnresponsiveUntil), "server.unresponsive_until")
}

// radio picks the profile named in r (or keeps the interface's default)
// and applies r's overrides.
func (d *decoder) radio(r RadioSpec, path string, into *model.RadioProfile) {
	if r.Profile.Set {
		if p, ok := model.LookupProfile(r.Profile.Value); ok {
			*into = p
		}
	}
	if r.PromotionTime.Set {
		into.PromotionTime = r.PromotionTime.Value
		d.inRange(r.PromotionTime.Pos, true, float64(r.PromotionTime.Value), path+".promotion_time")
	}
	for _, f := range []struct {
		v    Float
		key  string
		into *float64
	}{
		{r.PromotionWatts, "promotion_watts", &into.PromotionWatts}, {r.BetaWatts, "beta_watts", &into.BetaWatts},
		{r.AlphaUp, "alpha_up", &into.AlphaUp}, {r.AlphaDown, "alpha_down", &into.AlphaDown}, {r.IdleWatts, "idle_watts", &into.IdleWatts},
	} {
		if f.v.Set {
			d.inRange(f.v.Pos, true, f.v.Value, path+"."+f.key)
			*f.into = f.v.Value
		}
	}
	if r.Tail != nil {
		into.Tail = nil
		d.inRange(r.Pos, true, float64(len(r.Tail)), path+".tail")
		for i, t := range r.Tail {
			name := t.Name.Value
			if name == "" {
				name = "tail"
			}
			tp := fmt.Sprintf("%s.tail[%d]", path, i)
			d.inRange(t.Duration.Pos, t.Duration.Set, float64(t.Duration.Value), tp+".duration")
			d.inRange(t.Watts.Pos, t.Watts.Set, t.Watts.Value, tp+".watts")
			d.inRange(t.RepromotionTime.Pos, t.RepromotionTime.Set, float64(t.RepromotionTime.Value), tp+".repromotion_time")
			d.inRange(t.RepromotionWatts.Pos, t.RepromotionWatts.Set, t.RepromotionWatts.Value, tp+".repromotion_watts")
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
		key  string
		into *sim.Time
	}{
		{p.XPCLatency, "params.xpc_latency", &c.Params.XPCLatency},
		{p.LaunchLatency, "params.launch_latency", &c.Params.LaunchLatency},
		{p.BackgroundGrace, "params.background_grace", &c.Params.BackgroundGrace},
		{p.RelaunchAllowance, "params.relaunch_allowance", &c.Params.RelaunchAllowance},
		{p.RateLimiter.First, "params.rate_limiter.first", &c.Params.RateLimiterFirst},
		{p.RateLimiter.Cap, "params.rate_limiter.cap", &c.Params.RateLimiterCap},
	} {
		if !v.d.Set {
			continue
		}
		d.inRange(v.d.Pos, true, float64(v.d.Value), v.key)
		*v.into = v.d.Value
	}
	if p.RateLimiter.Factor.Set {
		d.inRange(p.RateLimiter.Factor.Pos, true, float64(p.RateLimiter.Factor.Value), "params.rate_limiter.factor")
		c.Params.RateLimiterFactor = p.RateLimiter.Factor.Value
	}
	if p.ForceQuit.Set {
		c.Params.ForceQuit = model.ForceQuitPolicy(p.ForceQuit.Value)
	}
	if v := p.ForceQuitContinueChance; v.Set {
		d.inRange(v.Pos, true, v.Value, "params.force_quit_continue_chance")
		c.Params.ForceQuitContinueChance = v.Value
	}
	if p.HandshakeRTTs.Set {
		d.inRange(p.HandshakeRTTs.Pos, true, float64(p.HandshakeRTTs.Value), "params.handshake_rtts")
		c.Params.HandshakeRTTs = int(p.HandshakeRTTs.Value)
	}
	if v := p.DiscretionaryRelaxAfter; v.Set {
		d.inRange(v.Pos, true, v.Value, "params.discretionary_relax_after")
		c.Params.DiscretionaryRelaxAfter = v.Value
	}
	if v := p.CriticalBattery; v.Set {
		d.inRange(v.Pos, true, float64(v.Value), "params.critical_battery")
		c.Params.CriticalBatteryPercent = int(v.Value)
	}
	if v := p.WakeJoules; v.Set {
		d.inRange(v.Pos, true, v.Value, "params.wake_joules")
		c.Params.WakeJoules = v.Value
	}
}

func (d *decoder) app(f *File, c *model.Config) {
	a := f.App
	if len(a.Sessions) == 0 && f.App.Pos.Line > 0 {
		d.add(a.Pos, "app.sessions: at least one session is needed")
	}
	var names []string
	for _, s := range a.Sessions {
		names = append(names, s.Name)
		path := "app.sessions." + s.Name
		ms := model.Session{Name: s.Name, Kind: model.Background, SendsLaunchEvents: boolOr(s.SendsLaunchEvents, true),
			Discretionary: s.Discretionary.Value, ResourceTimeout: durationOr(s.ResourceTimeout, model.DefaultResourceTimeout),
			RequestTimeout: durationOr(s.RequestTimeout, model.DefaultRequestTimeout), Access: access(s.AccessSpec)}
		d.inRange(s.RequestTimeout.Pos, s.RequestTimeout.Set, float64(ms.RequestTimeout), path+".request_timeout")
		if s.Kind.Set {
			ms.Kind = model.SessionKind(s.Kind.Value)
		}
		if ms.Kind == model.Background {
			if !s.Identifier.Set || s.Identifier.Value == "" {
				d.add(s.Pos, "%s: a background session needs an identifier", path)
			}
			if !s.Delegate.Set {
				d.add(s.Pos, "%s: say which delegate the session is created with (delegate: SomeDelegate), or delegate: none", path)
			}
		} else {
			if s.Identifier.Set {
				d.add(s.Identifier.Pos, "%s: a shared session has no identifier", path)
			}
			if s.SendsLaunchEvents.Set || s.Discretionary.Set {
				d.add(s.Pos, "%s: sends_launch_events and discretionary apply only to background sessions", path)
			}
		}
		ms.Identifier = s.Identifier.Value
		if s.Delegate.Value != "none" {
			ms.Delegate = s.Delegate.Value
		}
		d.inRange(s.ResourceTimeout.Pos, s.ResourceTimeout.Set, float64(ms.ResourceTimeout), path+".resource_timeout")
		c.App.Sessions = append(c.App.Sessions, ms)
	}
	for _, u := range a.Uploads {
		path := "app.uploads." + u.Name
		mu := model.Upload{Name: u.Name, Session: u.Session.Value, API: model.UploadFromFile,
			CompletionHandler: u.CompletionHandler.Value, TaskDelegate: u.TaskDelegate.Value,
			RequestClass: u.RequestClass.Value, Bytes: u.Size.Value, DeleteFile: u.DeleteFile.Value, Chain: int(u.Chain.Value),
			BeginAfter: u.BeginAfter.Value, Access: access(u.AccessSpec)}
		d.inRange(u.BeginAfter.Pos, u.BeginAfter.Set, float64(u.BeginAfter.Value), path+".begin_after")
		if u.Name == "workload" {
			d.add(u.NamePos, "%s: the name workload is the workload's own; choose another", path)
		}
		if u.API.Set {
			mu.API = model.TaskAPI(u.API.Value)
		}
		var spec *SessionSpec
		for i := range a.Sessions {
			if a.Sessions[i].Name == u.Session.Value {
				spec = &a.Sessions[i]
			}
		}
		if u.Session.Set && spec == nil {
			d.add(u.Session.Pos, "%s.session: no session named %q%s", path, u.Session.Value, sessionChoices(u.Session.Value, names))
		}
		switch {
		case !u.Size.Given && mu.API != model.StreamTask:
			d.add(u.Pos, "%s: missing required key \"size\"", path)
		case u.Size.Set:
			d.inRange(u.Size.Pos, true, float64(u.Size.Value), path+".size")
		}
		if u.TaskDelegate.Value && c.IOS < 15 {
			d.add(u.TaskDelegate.Pos, "%s.task_delegate: task.delegate exists from iOS 15; this device runs iOS %d", path, c.IOS)
		}
		d.inRange(u.Chain.Pos, u.Chain.Set, float64(u.Chain.Value), path+".chain")
		if spec != nil && spec.Kind.Value == string(model.Shared) {
			if mu.API == model.StreamTask {
				d.add(u.API.Pos, "%s.api: bgsim models stream tasks only on background sessions", path)
			}
			if !u.CompletionHandler.Value && (!spec.Delegate.Set || spec.Delegate.Value == "none") {
				d.add(u.Pos, "%s: on a shared session the code needs completion_handler: true or a session delegate to see the response", path)
			}
		}
		c.App.Uploads = append(c.App.Uploads, mu)
	}
	for _, s := range a.AtLaunch {
		if !slices.Contains(names, s.Value) {
			d.add(s.Pos, "app.at_launch: no session named %q%s", s.Value, sessionChoices(s.Value, names))
		}
		c.App.AtLaunch = append(c.App.AtLaunch, s.Value)
	}
	d.workload(a.Workload, names, a.Sessions, c)
	he := a.HandleEvents
	c.App.HandleEvents = model.HandleEvents{Recreate: model.RecreateGiven,
		StoreCompletionHandler: boolOr(he.StoreCompletionHandler, true), CallCompletionHandler: boolOr(he.CallCompletionHandler, true)}
	if he.Recreate.Set {
		r := he.Recreate.Value
		if r != model.RecreateGiven && r != model.RecreateNone && !slices.Contains(names, r) {
			d.add(he.Recreate.Pos, "app.handle_events.recreate: %q is not given, none or a session name%s", r,
				sessionChoices(r, names, model.RecreateGiven, model.RecreateNone))
		}
		c.App.HandleEvents.Recreate = r
	}
}

func (d *decoder) workload(w *WorkloadSpec, names []string, sessions []SessionSpec, c *model.Config) {
	if w == nil {
		return
	}
	const path = "app.workload"
	mw := &model.Workload{Items: int(w.Items.Value), Bytes: w.Size.Value, Start: w.Start.Value, Every: w.Every.Value,
		Random: w.Random.Value, Session: w.Session.Value, Strategy: model.Strategy(w.Strategy.Value),
		BatchCount: int(w.Batch.Count.Value), BatchWindow: w.Batch.Window.Value, OnForeground: w.Batch.OnForeground.Value}
	c.App.Workload = mw
	items := d.inRange(w.Items.Pos, w.Items.Set, float64(w.Items.Value), path+".items")
	if d.inRange(w.Size.Pos, w.Size.Set, float64(w.Size.Value), path+".size") && items &&
		w.Size.Value*max(1, w.Items.Value) > model.MaxUploadBytes {
		d.add(w.Size.Pos, "%s.size: at most 100GB for all items together, found %d items of %s", path, w.Items.Value, unitSize.text(float64(w.Size.Value)))
	}
	d.inRange(w.Every.Pos, w.Every.Set, float64(w.Every.Value), path+".every")
	d.inRange(w.Start.Pos, w.Start.Set, float64(w.Start.Value), path+".start")
	if w.Session.Set {
		i := slices.IndexFunc(sessions, func(s SessionSpec) bool { return s.Name == w.Session.Value })
		switch {
		case i < 0:
			d.add(w.Session.Pos, "%s.session: no session named %q%s", path, w.Session.Value, sessionChoices(w.Session.Value, names))
		case sessions[i].Kind.Value == string(model.Shared):
			d.add(w.Session.Pos, "%s.session: the workload uploads on a background session; %q is shared", path, w.Session.Value)
		}
	}
	b := w.Batch
	d.inRange(b.Count.Pos, b.Count.Set, float64(b.Count.Value), path+".batch.count")
	d.inRange(b.Window.Pos, b.Window.Set, float64(b.Window.Value), path+".batch.window")
	switch mw.Strategy {
	case model.Individual:
		if b.Count.Set || b.Window.Set || b.OnForeground.Set {
			d.add(b.Pos, "%s.batch: applies to batched and discretionary strategies, not individual", path)
		}
	case model.Batched, model.Discretionary:
		if b.Count.Value <= 0 && b.Window.Value <= 0 && !b.OnForeground.Value {
			d.add(w.Strategy.Pos, "%s: a %s strategy needs batch.count, batch.window or batch.on_foreground", path, mw.Strategy)
		}
	}
}

func (d *decoder) timeline(f *File, c *model.Config) {
	var uploads []string
	for _, u := range f.App.Uploads {
		uploads = append(uploads, u.Name)
	}
	var last sim.Time
	launched := false
	for i, s := range f.Timeline {
		path := "timeline"
		at := fmt.Sprintf("timeline[%d]", i)
		if s.At.Set && s.At.Value < 0 {
			d.add(s.At.Pos, "%s: a step cannot happen at a negative time (%v)", path, s.At.Value)
		}
		do := model.ActionKind(s.Do.Value)
		if s.For.Given && do != model.Outage {
			d.add(s.For.Pos, "%s: for: applies only to do: outage", path)
		}
		if do == model.Outage && (!s.For.Set || s.For.Value <= 0) {
			d.add(s.Pos, "%s: do: outage needs for: a positive duration", path)
		} else if do == model.Outage {
			d.inRange(s.For.Pos, true, float64(s.For.Value), at+".for")
		}
		if (s.Interface.Given || s.Up.Given || s.Down.Given) && do != model.Bandwidth {
			d.add(s.Pos, "%s: interface, up and down apply only to do: bandwidth", path)
		}
		if do == model.Bandwidth && (!s.Interface.Set || (!s.Up.Set && !s.Down.Set)) {
			d.add(s.Pos, "%s: do: bandwidth needs interface: wifi or cellular, and up:, down: or both", path)
		}
		d.inRange(s.Up.Pos, s.Up.Set, float64(s.Up.Value), at+".up")
		d.inRange(s.Down.Pos, s.Down.Set, float64(s.Down.Value), at+".down")
		switch do {
		case model.Launch, model.Return:
			launched = true
		case model.Leave, model.ForceQuit, model.Purge, model.WiFiOff, model.WiFiOn, model.CellularOff, model.CellularOn,
			model.Outage, model.Bandwidth, model.PlugIn, model.Unplug, model.LowPowerOn, model.LowPowerOff:
		default:
			// A misspelt action is reported already; guessing what it
			// was would only add errors that follow from it.
			launched = true
		case model.StartUpload:
			if !launched {
				d.add(s.Pos, "%s: an upload at %v, before the app was ever launched: its code cannot run yet (add a launch step first)", path, s.At.Value)
			}
		}
		if s.Do.Value == string(model.StartUpload) {
			switch {
			case !s.Upload.Set:
				d.add(s.Pos, "%s: do: upload needs upload: NAME, one of the uploads under app.uploads", path)
			case !slices.Contains(uploads, s.Upload.Value):
				d.add(s.Upload.Pos, "%s: no upload named %q%s", path, s.Upload.Value, didYouMean(s.Upload.Value, uploads))
			}
		} else if s.Upload.Set {
			d.add(s.Upload.Pos, "%s: upload: applies only to do: upload", path)
		}
		if s.At.Value > last {
			last = s.At.Value
		}
		iface := model.WiFi
		if s.Interface.Value == "cellular" {
			iface = model.Cellular
		}
		c.Timeline = append(c.Timeline, model.Action{At: s.At.Value, Do: do, Upload: s.Upload.Value,
			For: s.For.Value, Interface: iface, Up: s.Up.Value, Down: s.Down.Value})
	}
	if c.Horizon > 0 && last > c.Horizon {
		if f.Horizon.Set {
			d.add(f.Horizon.Pos, "horizon: the run ends at %v, before the timeline's last step at %v", c.Horizon, last)
		} else {
			d.add(f.Pos, "the run ends at the default horizon of %v, before the timeline's last step at %v; set horizon:", c.Horizon, last)
		}
	}
}
