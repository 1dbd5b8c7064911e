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
