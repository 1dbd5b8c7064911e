package report

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Scenario files come from strangers, and their free text (titles,
// abouts, identifiers, delegate and upload names) reaches every report.
// Each output syntax gets one neutraliser here, applied where a field
// meets a writer; JSON needs none, encoding/json escapes everything.
//
// The common rule: a character a terminal, an XML parser or a Markdown or
// Mermaid renderer would act on instead of showing is written as a
// visible Go-style escape, so that the reader sees what the scenario
// holds (a tab or a carriage return in an identifier is the kind of
// mistake bgsim exists to show): \t, \n, \r, \x1b, \u0085. These are
// the C0 controls (tab and newline included: a tab breaks the columns,
// which count one rune as one column), DEL, the C1 controls, the line
// and paragraph separators, the bidirectional controls that reorder what
// a terminal shows, and U+FFFE and U+FFFF, which XML forbids. Invalid
// UTF-8 becomes U+FFFD. A backslash is left alone: the escapes are for
// reading, and the JSON output has the exact text.

// unsafeRune reports whether r must not reach an output as itself.
func unsafeRune(r rune) bool {
	switch {
	case r < 0x20, r >= 0x7f && r <= 0x9f:
		return true
	case r == 0x2028, r == 0x2029: // line and paragraph separators
		return true
	case r == 0x200e, r == 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069: // bidi controls
		return true
	case r == 0xfffe, r == 0xffff:
		return true
	}
	return false
}

// visible is r as an escape: \t, \n and \r by name, \xHH below 0x80,
// \uHHHH above.
func visible(r rune) string {
	switch r {
	case '\t':
		return `\t`
	case '\n':
		return `\n`
	case '\r':
		return `\r`
	}
	if r < 0x80 {
		return fmt.Sprintf(`\x%02x`, r)
	}
	return fmt.Sprintf(`\u%04x`, r)
}

// neutral copies s, passing each rune through put, with unsafe runes
// (except those keep allows) as visible escapes and invalid UTF-8 as
// U+FFFD. put writes a safe rune; it may escape it for its syntax.
func neutral(s string, keep func(rune) bool, put func(*strings.Builder, rune)) string {
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			put(&b, utf8.RuneError)
		case unsafeRune(r) && (keep == nil || !keep(r)):
			b.WriteString(visible(r))
		default:
			put(&b, r)
		}
	}
	return b.String()
}

func plain(b *strings.Builder, r rune) { b.WriteRune(r) }

// clean reports whether s is valid UTF-8 without an unsafe rune, so that
// the neutralisers can return it as it is (every embedded scenario).
func clean(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unsafeRune(r) {
			return false
		}
	}
	return true
}

// TerminalSafe returns s fit to print as part of one line on a terminal:
// every control character (newline and tab too) and every character that
// reorders the text shown as a visible escape ("\x1b", "\r"), invalid
// UTF-8 as U+FFFD. Text that is already safe comes back unchanged.
func TerminalSafe(s string) string {
	if clean(s) {
		return s
	}
	return neutral(s, nil, plain)
}

// terminalText is TerminalSafe for text that may run over lines (an
// about): newlines stay.
func terminalText(s string) string {
	if clean(s) {
		return s
	}
	return neutral(s, func(r rune) bool { return r == '\n' }, plain)
}

// esc makes s fit for XML and HTML text and double-quoted attribute
// values: & < > and " as references, the characters XML 1.0 forbids
// (and the other unsafe ones) as visible escapes. Tab, newline and
// carriage return are allowed in XML and stay. The apostrophe stays too:
// bgsim never quotes an attribute with it.
func esc(s string) string {
	return neutral(s, func(r rune) bool { return r == '\t' || r == '\n' || r == '\r' }, func(b *strings.Builder, r rune) {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		default:
			b.WriteRune(r)
		}
	})
}

// mermaidSafe keeps a phrase inside the text of one Mermaid statement (a
// message or a note): no line break (Mermaid reads \r as one, Markdown
// too), no ";" (ends the statement) or "#" (starts an entity such as
// #59;), never "%%" (starts a comment or an %%{init}%% directive, which
// can change the renderer's security level), no < or > (HTML such as
// <br> or worse, in renderers that allow it). Arrows and keywords are
// syntax only before the text's colon, which bgsim writes itself.
func mermaidSafe(s string) string {
	return neutral(s, nil, func(b *strings.Builder, r rune) {
		switch r {
		case ';':
			b.WriteString(",")
		case '#':
			b.WriteString("no. ")
		case '%':
			if !strings.HasSuffix(b.String(), "%") {
				b.WriteByte('%')
			}
		case '<':
			b.WriteString("‹")
		case '>':
			b.WriteString("›")
		default:
			b.WriteRune(r)
		}
	})
}

// markdownLine makes s fit for one line of Markdown text (a heading):
// no line break, no raw HTML or entity (< > & as references), and the
// other characters Markdown gives a meaning to inside a line
// backslash-escaped, so that the line reads as the text it holds.
func markdownLine(s string) string {
	return neutral(TerminalSafe(s), nil, func(b *strings.Builder, r rune) {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '\\', '`', '*', '_', '[', ']', '#', '!', '|', '~':
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	})
}

// codeFence returns a fence of backticks that nothing in content can
// close: longer than its longest run of backticks, and at least three.
func codeFence(content string) string {
	longest, run := 0, 0
	for i := 0; i < len(content); i++ {
		if content[i] == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return strings.Repeat("`", max(3, longest+1))
}
