package main

import (
	"testing"

	"github.com/bgsim/bgsim/sim"
)

// The fingerprint changes with the physics: one parameter of one
// reference configuration, changed as a different build's default would
// be, gives another fingerprint; the same configurations give the same.
func TestModelFingerprintSeesPhysics(t *testing.T) {
	cfgs := referenceConfigs()
	if len(cfgs) < 20 {
		t.Fatalf("only %d reference configurations", len(cfgs))
	}
	a := fingerprintOf(cfgs)
	if a != modelFingerprint() || a != fingerprintOf(referenceConfigs()) {
		t.Fatal("the fingerprint is not deterministic")
	}
	cfgs[0].Params.LaunchLatency += sim.Millisecond
	if fingerprintOf(cfgs) == a {
		t.Error("a 1 ms longer launch latency left the model's fingerprint unchanged")
	}
}

// BenchmarkModelFingerprint is the cost a shard's writer and a merge pay
// once per process.
func BenchmarkModelFingerprint(b *testing.B) {
	for b.Loop() {
		fingerprintOf(referenceConfigs())
	}
}
