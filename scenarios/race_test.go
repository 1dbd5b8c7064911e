//go:build race

package scenarios

// raceSlowdown scales the time bounds of the untrusted-input tests under
// the race detector.
const raceSlowdown = 2
