package scenarios

import (
	"slices"

	"bgsim/model"
	"bgsim/sim"
)

// Defaults the scenario language applies where a key is absent. The
// model's own defaults (DefaultParams and friends) come from the rules
// catalog; these are the language's.
const (
	DefaultSeed      = 1
	DefaultHorizon   = sim.Hour
	DefaultMaxEvents = 1_000_000
)

// Limits on a scenario's size, so that no input can make a run huge.
const (
	MaxHorizon       = 365 * 24 * sim.Hour
	MaxEventsCeiling = 100_000_000
	MaxTimelineSteps = 10_000
	MaxVariants      = 100
)

// checkOrder reports timeline steps written out of time order: almost
// always a typo, and ambiguous to read.
func (d *decoder) checkOrder(steps []Step) {
	for i := 1; i < len(steps); i++ {
		if steps[i].At.Set && steps[i-1].At.Set && steps[i].At.Value < steps[i-1].At.Value {
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
		Seed: DefaultSeed, Horizon: durationOr(f.Horizon, DefaultHorizon), MaxEvents: DefaultMaxEvents,
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
	if c.Horizon <= 0 || c.Horizon > MaxHorizon {
		d.add(f.Horizon.Pos, "horizon: must be positive and at most 365d, found %v", c.Horizon)
	}
	if f.MaxEvents.Set {
		if f.MaxEvents.Value < 1 || f.MaxEvents.Value > MaxEventsCeiling {
			d.add(f.MaxEvents.Pos, "max_events: 1 to %d, found %d", MaxEventsCeiling, f.MaxEvents.Value)
		}
		c.MaxEvents = uint64(max(1, f.MaxEvents.Value))
	}
	if len(f.Timeline) > MaxTimelineSteps {
		d.add(f.Pos, "timeline: %d steps; a scenario has at most %d (use app.workload for many items)", len(f.Timeline), MaxTimelineSteps)
	}
	if f.Device.IOS.Set {
		c.IOS = int(f.Device.IOS.Value)
		if c.IOS < 7 || c.IOS > 26 {
			d.add(f.Device.IOS.Pos, "device.ios: bgsim models iOS 7 to 26, found %d", f.Device.IOS.Value)
		}
	}
	d.network(f, &c)
	d.params(f, &c)
	d.app(f, &c)
	d.timeline(f, &c)
	d.checkTasks(f, &c)
	if len(d.list) == 0 {
		// The checks above are meant to catch everything the model
		// rejects; this is the model's own guard.
		if err := c.Check(); err != nil {
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
			if b.v.Value < model.MinBitsPerSecond {
				d.add(b.v.Pos, "%s: at least 1kbps, found %d bit/s", b.key, b.v.Value)
			}
			*b.into = b.v.Value
		}
		mi.RTT = durationOr(n.RTT, mi.RTT)
		if mi.RTT < 0 {
			d.add(n.RTT.Pos, "%s.rtt: must not be negative", path)
		}
		d.radio(n.Radio, path+".radio", &mi.Radio)
	}
	p := f.Power
	if p.Battery.Set {
		if p.Battery.Value < 0 || p.Battery.Value > 100 {
			d.add(p.Battery.Pos, "power.battery: a percentage, 0 to 100, found %d", p.Battery.Value)
		}
		c.Power.BatteryPercent = int(p.Battery.Value)
	}
	c.Power.Charging, c.Power.LowPowerMode = p.Charging.Value, p.LowPowerMode.Value
	s := f.Server
	c.Server.Latency = durationOr(s.Latency, c.Server.Latency)
	if c.Server.Latency < 0 {
		d.add(s.Latency.Pos, "server.latency: must not be negative")
	}
	if s.Status.Set {
		if s.Status.Value < 100 || s.Status.Value > 599 {
			d.add(s.Status.Pos, "server.status: an HTTP status is 100 to 599, found %d", s.Status.Value)
		}
		c.Server.Status = int(s.Status.Value)
	}
	if s.ResponseSize.Set {
		if s.ResponseSize.Value > model.MaxUploadBytes {
			d.add(s.ResponseSize.Pos, "server.response_size: at most 100GB")
		}
		c.Server.ResponseBytes = s.ResponseSize.Value
	}
	c.Server.Resumable = s.Resumable.Value
	c.Server.UnresponsiveUntil = s.UnresponsiveUntil.Value
	if c.Server.UnresponsiveUntil < 0 {
		d.add(s.UnresponsiveUntil.Pos, "server.unresponsive_until: must not be negative")
	}
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
			if f.v.Value < 0 {
				d.add(f.v.Pos, "%s.%s: must not be negative", path, f.key)
			}
			*f.into = f.v.Value
		}
	}
	if r.PromotionTime.Set && r.PromotionTime.Value < 0 {
		d.add(r.PromotionTime.Pos, "%s.promotion_time: must not be negative", path)
	}
	if r.Tail != nil {
		into.Tail = nil
		for i, t := range r.Tail {
			name := t.Name.Value
			if name == "" {
				name = "tail"
			}
			if t.Duration.Set && t.Duration.Value <= 0 {
				d.add(t.Duration.Pos, "%s.tail[%d].duration: must be positive", path, i+1)
			}
			if t.Watts.Value < 0 || t.RepromotionWatts.Value < 0 || t.RepromotionTime.Value < 0 {
				d.add(t.Pos, "%s.tail[%d]: powers and times must not be negative", path, i+1)
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
		if v.d.Value < 0 {
			d.add(v.d.Pos, "%s: must not be negative", v.key)
		}
		*v.into = v.d.Value
	}
	if p.RateLimiter.Factor.Set {
		if p.RateLimiter.Factor.Value < 1 || p.RateLimiter.Factor.Value > 100 {
			d.add(p.RateLimiter.Factor.Pos, "params.rate_limiter.factor: 1 to 100, found %d", p.RateLimiter.Factor.Value)
		}
		c.Params.RateLimiterFactor = p.RateLimiter.Factor.Value
	}
	if p.ForceQuit.Set {
		c.Params.ForceQuit = model.ForceQuitPolicy(p.ForceQuit.Value)
	}
	if v := p.ForceQuitContinueChance; v.Set {
		if v.Value < 0 || v.Value > 1 {
			d.add(v.Pos, "params.force_quit_continue_chance: a probability, 0 to 1, found %v", v.Value)
		}
		c.Params.ForceQuitContinueChance = v.Value
	}
	if p.HandshakeRTTs.Set {
		if p.HandshakeRTTs.Value < 0 || p.HandshakeRTTs.Value > 10 {
			d.add(p.HandshakeRTTs.Pos, "params.handshake_rtts: 0 to 10, found %d", p.HandshakeRTTs.Value)
		}
		c.Params.HandshakeRTTs = int(p.HandshakeRTTs.Value)
	}
	if v := p.DiscretionaryRelaxAfter; v.Set {
		if v.Value < 0 || v.Value > 1 {
			d.add(v.Pos, "params.discretionary_relax_after: a fraction, 0 to 1, found %v", v.Value)
		}
		c.Params.DiscretionaryRelaxAfter = v.Value
	}
	if v := p.CriticalBattery; v.Set {
		if v.Value < 0 || v.Value > 100 {
			d.add(v.Pos, "params.critical_battery: a percentage, 0 to 100, found %d", v.Value)
		}
		c.Params.CriticalBatteryPercent = int(v.Value)
	}
	if v := p.WakeJoules; v.Set {
		if v.Value < 0 {
			d.add(v.Pos, "params.wake_joules: must not be negative")
		}
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
		if ms.RequestTimeout <= 0 {
			d.add(s.RequestTimeout.Pos, "%s.request_timeout: must be positive", path)
		}
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
		if ms.ResourceTimeout <= 0 {
			d.add(s.ResourceTimeout.Pos, "%s.resource_timeout: must be positive", path)
		}
		c.App.Sessions = append(c.App.Sessions, ms)
	}
	for _, u := range a.Uploads {
		path := "app.uploads." + u.Name
		mu := model.Upload{Name: u.Name, Session: u.Session.Value, API: model.UploadFromFile,
			CompletionHandler: u.CompletionHandler.Value, TaskDelegate: u.TaskDelegate.Value,
			RequestClass: u.RequestClass.Value, Bytes: u.Size.Value, DeleteFile: u.DeleteFile.Value, Chain: int(u.Chain.Value),
			BeginAfter: u.BeginAfter.Value, Access: access(u.AccessSpec)}
		if u.BeginAfter.Value < 0 {
			d.add(u.BeginAfter.Pos, "%s.begin_after: must not be negative", path)
		}
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
			d.add(u.Session.Pos, "%s.session: no session named %q%s", path, u.Session.Value, didYouMean(u.Session.Value, names))
		}
		switch {
		case !u.Size.Given && mu.API != model.StreamTask:
			d.add(u.Pos, "%s: missing required key \"size\"", path)
		case u.Size.Set && (u.Size.Value <= 0 || u.Size.Value > model.MaxUploadBytes):
			d.add(u.Size.Pos, "%s.size: between 1B and 100GB, found %d bytes", path, u.Size.Value)
		}
		if u.TaskDelegate.Value && c.IOS < 15 {
			d.add(u.TaskDelegate.Pos, "%s.task_delegate: task.delegate exists from iOS 15; this device runs iOS %d", path, c.IOS)
		}
		if u.Chain.Value < 0 || u.Chain.Value > 1000 {
			d.add(u.Chain.Pos, "%s.chain: 0 to 1000, found %d", path, u.Chain.Value)
		}
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
			d.add(s.Pos, "app.at_launch: no session named %q%s", s.Value, didYouMean(s.Value, names))
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
				didYouMean(r, append([]string{model.RecreateGiven, model.RecreateNone}, names...)))
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
	if w.Items.Set && (w.Items.Value < 1 || w.Items.Value > 100_000) {
		d.add(w.Items.Pos, "%s.items: 1 to 100000, found %d", path, w.Items.Value)
	}
	if w.Size.Set && (w.Size.Value <= 0 || w.Size.Value*max(1, w.Items.Value) > model.MaxUploadBytes) {
		d.add(w.Size.Pos, "%s.size: positive, and at most 100GB for all items together", path)
	}
	if w.Every.Set && w.Every.Value <= 0 {
		d.add(w.Every.Pos, "%s.every: must be positive", path)
	}
	if w.Start.Value < 0 {
		d.add(w.Start.Pos, "%s.start: must not be negative", path)
	}
	if w.Session.Set {
		i := slices.IndexFunc(sessions, func(s SessionSpec) bool { return s.Name == w.Session.Value })
		switch {
		case i < 0:
			d.add(w.Session.Pos, "%s.session: no session named %q%s", path, w.Session.Value, didYouMean(w.Session.Value, names))
		case sessions[i].Kind.Value == string(model.Shared):
			d.add(w.Session.Pos, "%s.session: the workload uploads on a background session; %q is shared", path, w.Session.Value)
		}
	}
	b := w.Batch
	if b.Count.Value < 0 || b.Window.Value < 0 {
		d.add(b.Pos, "%s.batch: count and window must not be negative", path)
	}
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
	for _, s := range f.Timeline {
		path := "timeline"
		if s.At.Set && s.At.Value < 0 {
			d.add(s.At.Pos, "%s: a step cannot happen at a negative time (%v)", path, s.At.Value)
		}
		do := model.ActionKind(s.Do.Value)
		if s.For.Given && do != model.Outage {
			d.add(s.For.Pos, "%s: for: applies only to do: outage", path)
		}
		if do == model.Outage && (!s.For.Set || s.For.Value <= 0) {
			d.add(s.Pos, "%s: do: outage needs for: a positive duration", path)
		}
		if (s.Interface.Given || s.Up.Given || s.Down.Given) && do != model.Bandwidth {
			d.add(s.Pos, "%s: interface, up and down apply only to do: bandwidth", path)
		}
		if do == model.Bandwidth && (!s.Interface.Set || (!s.Up.Set && !s.Down.Set)) {
			d.add(s.Pos, "%s: do: bandwidth needs interface: wifi or cellular, and up:, down: or both", path)
		}
		for _, b := range []Bitrate{s.Up, s.Down} {
			if b.Set && b.Value < model.MinBitsPerSecond {
				d.add(b.Pos, "%s: at least 1kbps, found %d bit/s", path, b.Value)
			}
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
