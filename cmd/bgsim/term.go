package main

import (
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/bgsim/bgsim/report"
)

// termWidth is the width the text reports fit: $COLUMNS when it holds a
// positive number, else the terminal's own width when stdout is one,
// else report.Width (80: a pipe, a file, or a terminal that does not say).
// It looks at the stream main was given, not at the buffered writer
// commands write to.
func termWidth(stdout io.Writer) int {
	if n, err := strconv.Atoi(strings.TrimSpace(os.Getenv("COLUMNS"))); err == nil && n > 0 {
		return n
	}
	if f, ok := stdout.(*os.File); ok && isTerminal(f) {
		if n := ttyColumns(f); n > 0 {
			return n
		}
	}
	return report.Width
}

// hanging lays text out after a prefix of indent columns so that no line
// is wider than width: the first line continues the prefix, the others
// are indented by as much, and words are never broken. Where fewer than
// 24 columns would be left, the text starts on its own line instead,
// indented by 4.
func hanging(text string, indent, width int) string {
	if indent+len(text) <= width {
		return text
	}
	lead := ""
	if width-indent < 24 {
		lead, indent = "\n    ", 4
	}
	var b strings.Builder
	b.WriteString(lead)
	col := indent
	for i, word := range strings.Fields(text) {
		if i > 0 {
			if col+1+len(word) > width {
				b.WriteString("\n" + strings.Repeat(" ", indent))
				col = indent
			} else {
				b.WriteByte(' ')
				col++
			}
		}
		b.WriteString(word)
		col += len(word)
	}
	return b.String()
}
