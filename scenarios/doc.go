// Package scenarios is bgsim's scenario language: YAML files that describe
// the device, the app's code as data and a timeline of what the user and
// the system do, turned into one model.Config per variant.
//
// Load and LoadFile decode strictly: every unknown key, wrong type, bad
// unit or missing field is reported with its file:line:col, all of them at
// once, with the nearest valid key for a misspelling. Variants overlay the
// base scenario; an expect: block (Check) states what a run must show, so
// that scenarios serve as a regression suite; a sweep: block (Plan) varies
// parameters over many runs with common random numbers: the plan says
// which runs a sweep makes, in which order (Sweep.Job), with which
// configuration (Sweep.Config). Running many scenarios, suites and sweeps,
// is package run.
//
// The canonical scenarios (*.yaml in this folder) are embedded in the
// binary: Names, Source, LoadEmbedded and Resolve find them by name.
// Schema returns the JSON Schema of the language, built from the same
// struct tags the decoder reads.
package scenarios
