//go:build !race

package scenarios

// raceSlowdown scales the time bounds of the untrusted-input tests; 1
// without the race detector.
const raceSlowdown = 1
