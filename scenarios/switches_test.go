package scenarios

import (
	"strings"
	"testing"

	"github.com/bgsim/bgsim/model"
)

// The keys of R-BG-APP-REFRESH, force_quit: vanish and wake_cpu_watts
// reach the Config, and their defaults are the sourced ones.
func TestSwitchKeysDecode(t *testing.T) {
	const doc = `name: t
title: T
device: {background_app_refresh: off}
params: {force_quit: vanish, refresh_off: cancel, wake_cpu_watts: 1.5}
app:
  sessions:
    up: {identifier: com.x, delegate: D}
  uploads:
    photo: {session: up, size: 5MB}
timeline:
  - {at: 0s, do: launch}
  - {at: 1s, do: upload, upload: photo}
`
	sc, err := Load("t.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	c := sc.Variants[0].Config
	if !c.BackgroundAppRefreshOff || c.Params.ForceQuit != model.ForceQuitVanish ||
		c.Params.RefreshOff != model.RefreshOffCancel || c.Params.WakeCPUWatts != 1.5 {
		t.Errorf("decoded BAR off %v, force_quit %q, refresh_off %q, wake_cpu_watts %g",
			c.BackgroundAppRefreshOff, c.Params.ForceQuit, c.Params.RefreshOff, c.Params.WakeCPUWatts)
	}
	def, err := Load("t.yaml", []byte(strings.Replace(strings.Replace(doc, "device: {background_app_refresh: off}\n", "", 1),
		"params: {force_quit: vanish, refresh_off: cancel, wake_cpu_watts: 1.5}\n", "", 1)))
	if err != nil {
		t.Fatal(err)
	}
	c = def.Variants[0].Config
	if c.BackgroundAppRefreshOff || c.Params.ForceQuit != model.ForceQuitCancel ||
		c.Params.RefreshOff != model.RefreshOffNone || c.Params.WakeCPUWatts != model.DefaultWakeCPUWatts {
		t.Errorf("defaults: BAR off %v, force_quit %q, refresh_off %q, wake_cpu_watts %g",
			c.BackgroundAppRefreshOff, c.Params.ForceQuit, c.Params.RefreshOff, c.Params.WakeCPUWatts)
	}
	for _, bad := range []string{"background_app_refresh: maybe", "force_quit: vanishes", "refresh_off: fail"} {
		d := doc
		switch {
		case strings.HasPrefix(bad, "background"):
			d = strings.Replace(d, "background_app_refresh: off", bad, 1)
		case strings.HasPrefix(bad, "force"):
			d = strings.Replace(d, "force_quit: vanish", bad, 1)
		default:
			d = strings.Replace(d, "refresh_off: cancel", bad, 1)
		}
		if _, err := Load("t.yaml", []byte(d)); err == nil || !strings.Contains(err.Error(), "one of") {
			t.Errorf("%s: err %v, want a refusal listing the values", bad, err)
		}
	}
}
