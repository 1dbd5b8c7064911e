package report

import (
	"io"
	"strings"
	"unicode/utf8"
)

// boxTable writes a table with the same box-drawing frame as the
// summary's, fitted to width columns: when the cells' natural widths do
// not fit, the widest column narrows first, one column at a time, and its
// cells wrap at word boundaries (a word wider than its column is cut at
// a hyphen or a camel-case boundary if one fits: cutAt).
// Cells must be TerminalSafe already.
func boxTable(w io.Writer, header []string, rows [][]string, width int) error {
	n := len(header)
	widths := make([]int, n)
	for _, row := range append([][]string{header}, rows...) {
		for i, c := range row {
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	total := func() int {
		t := 3*n + 1
		for _, x := range widths {
			t += x
		}
		return t
	}
	// First narrow columns no further than their longest word, so that
	// cells wrap between words; then no further than their longest piece
	// of a word, so that identifiers break at hyphens and camel-case
	// boundaries (cutAt); then, if that is not enough, further.
	words, pieces := make([]int, n), make([]int, n)
	for _, row := range append([][]string{header}, rows...) {
		for i, c := range row {
			for _, wd := range strings.Fields(c) {
				words[i] = max(words[i], utf8.RuneCountInString(wd))
				pieces[i] = max(pieces[i], longestPiece(wd))
			}
		}
	}
	const narrowest = 6
	for _, floor := range []func(int) int{
		func(i int) int { return max(words[i], narrowest) },
		func(i int) int { return max(pieces[i], narrowest) },
		func(int) int { return narrowest },
	} {
		for total() > width {
			widest := -1
			for i, x := range widths {
				if x > floor(i) && (widest < 0 || x > widths[widest]) {
					widest = i
				}
			}
			if widest < 0 {
				break // as narrow as this floor allows
			}
			widths[widest]--
		}
	}
	var b strings.Builder
	rule := func(l, m, r string) {
		b.WriteString(l)
		for i, x := range widths {
			if i > 0 {
				b.WriteString(m)
			}
			b.WriteString(strings.Repeat("─", x+2))
		}
		b.WriteString(r + "\n")
	}
	line := func(row []string) {
		cells := make([][]string, n)
		height := 1
		for i, c := range row {
			cells[i] = strings.Split(hangCell(c, widths[i]), "\n")
			height = max(height, len(cells[i]))
		}
		for k := range height {
			b.WriteString("│")
			for i := range cells {
				s := ""
				if k < len(cells[i]) {
					s = cells[i][k]
				}
				b.WriteString(" " + s + strings.Repeat(" ", widths[i]-utf8.RuneCountInString(s)) + " │")
			}
			b.WriteString("\n")
		}
	}
	rule("┌", "┬", "┐")
	line(header)
	rule("├", "┼", "┤")
	for _, row := range rows {
		line(row)
	}
	rule("└", "┴", "┘")
	_, err := io.WriteString(w, b.String())
	return err
}
