// Package report turns model.Results into something to read or parse: the
// summary and upload tables people read at a terminal, the JSON runs other
// programs parse (a stable contract: fields are added, never renamed or
// removed), and the trace as JSON lines.
//
// It depends on model only; what it needs to know about a scenario travels
// in the Result.
package report
