package main

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"runtime/debug"
	"sync"

	"github.com/bgsim/bgsim/model"
	"github.com/bgsim/bgsim/scenarios"
)

// modelFingerprint identifies this build's physics, for shard files: a
// hash of what the model does with a fixed set of reference
// configurations. The model has no version number, and a build's VCS
// revision says nothing of a build from a modified tree (or one built
// without VCS information), and differs between builds whose physics do
// not; what the model computes does not lie. The reference set is every
// variant of every embedded scenario as bgsim run runs it, and the first
// draw of each as a sweep makes it (every variant and grid point, with the
// sweep's draws, outages and seed), and what is hashed is each run's trace
// fingerprint and sweep record (fates, times, energy) or its error. A change
// in physics those runs do not reach goes unseen; the embedded scenarios
// cover every rule of the catalog. Computed once per process, on first use
// (docs/sweeps.md gives its cost).
var modelFingerprint = sync.OnceValue(func() string { return fingerprintOf(referenceConfigs()) })

// referenceConfigs lists the configurations the model fingerprint runs.
func referenceConfigs() []model.Config {
	var out []model.Config
	for _, name := range scenarios.Names() {
		sc, err := scenarios.LoadEmbedded(name)
		if err != nil {
			panic("bgsim: an embedded scenario does not load: " + err.Error())
		}
		for _, v := range sc.Variants {
			out = append(out, v.Config)
		}
		sw, err := sc.Plan(1, nil)
		if err != nil {
			panic("bgsim: an embedded scenario has no sweep plan: " + err.Error())
		}
		for i := range sw.Jobs() {
			c, _ := sw.Config(i)
			out = append(out, c)
		}
	}
	return out
}

// fingerprintOf runs each configuration (with its trace's fingerprint,
// without keeping the trace) and hashes what came out.
func fingerprintOf(cfgs []model.Config) string {
	h := sha256.New()
	var runner model.Runner
	for _, c := range cfgs {
		c.KeepTrace, c.NoTrace = false, false
		r, err := runner.Run(c)
		if err != nil {
			h.Write([]byte("error: " + err.Error() + "\n"))
			continue
		}
		h.Write(binary.BigEndian.AppendUint64(nil, uint64(r.Fingerprint)))
		rec, _ := json.Marshal(model.Record(r))
		h.Write(append(rec, '\n'))
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// buildVersion is this bgsim's version as bgsim version prints it.
func buildVersion() string { return versionLine(debug.ReadBuildInfo()) }
