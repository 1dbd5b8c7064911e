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
	if c.Horizon <= 0 {
		d.add(f.Horizon.Pos, "horizon: must be positive, found %v", c.Horizon)
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
	n := f.Network
	for _, b := range []struct {
		v    Bitrate
		key  string
		into *int64
	}{{n.Up, "network.up", &c.Network.UpBitsPerSecond}, {n.Down, "network.down", &c.Network.DownBitsPerSecond}} {
		if !b.v.Set {
			continue
		}
		if b.v.Value < model.MinBitsPerSecond {
			d.add(b.v.Pos, "%s: at least 1kbps, found %d bit/s", b.key, b.v.Value)
		}
		*b.into = b.v.Value
	}
	c.Network.RTT = durationOr(n.RTT, c.Network.RTT)
	if c.Network.RTT < 0 {
		d.add(n.RTT.Pos, "network.rtt: must not be negative")
	}
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
	if p.HandshakeRTTs.Set {
		if p.HandshakeRTTs.Value < 0 || p.HandshakeRTTs.Value > 10 {
			d.add(p.HandshakeRTTs.Pos, "params.handshake_rtts: 0 to 10, found %d", p.HandshakeRTTs.Value)
		}
		c.Params.HandshakeRTTs = int(p.HandshakeRTTs.Value)
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
			Discretionary: s.Discretionary.Value, ResourceTimeout: durationOr(s.ResourceTimeout, model.DefaultResourceTimeout)}
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
			RequestClass: u.RequestClass.Value, Bytes: u.Size.Value, DeleteFile: u.DeleteFile.Value, Chain: int(u.Chain.Value)}
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

func (d *decoder) timeline(f *File, c *model.Config) {
	var uploads []string
	for _, u := range f.App.Uploads {
		uploads = append(uploads, u.Name)
	}
	var last sim.Time
	for _, s := range f.Timeline {
		path := "timeline"
		if s.At.Set && s.At.Value < 0 {
			d.add(s.At.Pos, "%s: a step cannot happen at a negative time (%v)", path, s.At.Value)
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
		c.Timeline = append(c.Timeline, model.Action{At: s.At.Value, Do: model.ActionKind(s.Do.Value), Upload: s.Upload.Value})
	}
	if c.Horizon > 0 && last > c.Horizon {
		if f.Horizon.Set {
			d.add(f.Horizon.Pos, "horizon: the run ends at %v, before the timeline's last step at %v", c.Horizon, last)
		} else {
			d.add(f.Pos, "the run ends at the default horizon of %v, before the timeline's last step at %v; set horizon:", c.Horizon, last)
		}
	}
}
