// Package report turns model.Results into something to read or parse: the
// summary and upload tables people read at a terminal, the JSON runs other
// programs parse (a stable contract: fields are added, never renamed or
// removed), and the trace as JSON lines.
//
// It depends on model only; what it needs to know about a scenario travels
// in the Result.
//
// Scenarios come from strangers, so their free text (titles, abouts,
// names, identifiers) is neutralised for each output's syntax where it
// meets a writer (safe.go): no control character reaches a terminal, the
// SVG, HTML and JUnit stay well-formed XML, and the text cannot add a
// statement to a Mermaid diagram or close a Markdown fence. Each writer
// has a fuzz target that checks this for any text.
package report
