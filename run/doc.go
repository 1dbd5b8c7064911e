// Package run runs many scenarios: suites (Find, Suite) and sweeps (Sweep,
// Shard).
//
// The scenario language, and a sweep's plan (which runs it makes, with
// which configurations), are package scenarios; this package only runs
// them. Suites and sweeps share one worker pool, which spreads work over a
// bounded number of goroutines and hands the results back in index order
// whatever the workers, so that what is built from them (a suite's cases,
// a sweep's report or shard) never depends on how the work was spread.
package run
