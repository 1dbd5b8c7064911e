package report

import "testing"

func TestNeutralisers(t *testing.T) {
	tests := []struct {
		name                string
		in                  string
		terminal, text, xml string
		mermaid, markdown   string
	}{
		{"plain", "app-purged-mid-upload", "app-purged-mid-upload", "app-purged-mid-upload", "app-purged-mid-upload", "app-purged-mid-upload", "app-purged-mid-upload"},
		{"unicode stays", "→ “quoted” café ✓", "→ “quoted” café ✓", "→ “quoted” café ✓", "→ “quoted” café ✓", "→ “quoted” café ✓", "→ “quoted” café ✓"},
		{"title escape", "T\x1b]0;PWNED\x07\x1b[2J", `T\x1b]0;PWNED\x07\x1b[2J`, `T\x1b]0;PWNED\x07\x1b[2J`, `T\x1b]0;PWNED\x07\x1b[2J`, `T\x1b]0,PWNED\x07\x1b[2J`, `T\\x1b\]0;PWNED\\x07\\x1b\[2J`},
		{"line breaks", "a\r\nb\nc", `a\r\nb\nc`, "a\\r\nb\nc", "a\r\nb\nc", `a\r\nb\nc`, `a\\r\\nb\\nc`},
		{"tab", "a\tb", `a\tb`, `a\tb`, "a\tb", `a\tb`, `a\\tb`},
		{"NUL and DEL", "a\x00b\x7f", `a\x00b\x7f`, `a\x00b\x7f`, `a\x00b\x7f`, `a\x00b\x7f`, `a\\x00b\\x7f`},
		{"C1", "a\u0085b\u009b", `a\u0085b\u009b`, `a\u0085b\u009b`, `a\u0085b\u009b`, `a\u0085b\u009b`, `a\\u0085b\\u009b`},
		{"separators and bidi", "a\u2028b\u202ec\u2066", `a\u2028b\u202ec\u2066`, `a\u2028b\u202ec\u2066`, `a\u2028b\u202ec\u2066`, `a\u2028b\u202ec\u2066`, `a\\u2028b\\u202ec\\u2066`},
		{"XML non-characters", "a\ufffe\uffff", `a\ufffe\uffff`, `a\ufffe\uffff`, `a\ufffe\uffff`, `a\ufffe\uffff`, `a\\ufffe\\uffff`},
		{"invalid UTF-8", "a\xffb\xc3", "a\ufffdb\ufffd", "a\ufffdb\ufffd", "a\ufffdb\ufffd", "a\ufffdb\ufffd", "a\ufffdb\ufffd"},
		{"U+FFFD itself", "a\ufffd", "a\ufffd", "a\ufffd", "a\ufffd", "a\ufffd", "a\ufffd"},
		{"markup", `<b a="1" c='2'>&amp;</b>`, `<b a="1" c='2'>&amp;</b>`, `<b a="1" c='2'>&amp;</b>`, `&lt;b a=&quot;1&quot; c='2'&gt;&amp;amp;&lt;/b&gt;`, `‹b a="1" c='2'›&amp,‹/b›`, `&lt;b a="1" c='2'&gt;&amp;amp;&lt;/b&gt;`},
		{"mermaid syntax", "x; y #59; %% %%%{init}%%% 100%", "x; y #59; %% %%%{init}%%% 100%", "x; y #59; %% %%%{init}%%% 100%", "x; y #59; %% %%%{init}%%% 100%", "x, y no. 59, % %{init}% 100%", `x; y \#59; %% %%%{init}%%% 100%`},
		{"markdown syntax", "**a** _b_ [c](d) `e` | ~f~ !g \\h", "**a** _b_ [c](d) `e` | ~f~ !g \\h", "**a** _b_ [c](d) `e` | ~f~ !g \\h", "**a** _b_ [c](d) `e` | ~f~ !g \\h", "**a** _b_ [c](d) `e` | ~f~ !g \\h", "\\*\\*a\\*\\* \\_b\\_ \\[c\\](d) \\`e\\` \\| \\~f\\~ \\!g \\\\h"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, c := range []struct{ fn, got, want string }{
				{"TerminalSafe", TerminalSafe(tt.in), tt.terminal},
				{"terminalText", terminalText(tt.in), tt.text},
				{"esc", esc(tt.in), tt.xml},
				{"mermaidSafe", mermaidSafe(tt.in), tt.mermaid},
				{"markdownLine", markdownLine(tt.in), tt.markdown},
			} {
				if c.got != c.want {
					t.Errorf("%s(%q) = %q, want %q", c.fn, tt.in, c.got, c.want)
				}
			}
		})
	}
}

func TestCodeFence(t *testing.T) {
	for in, want := range map[string]string{"": "```", "a`b``c": "```", "```": "````", "x ````` y": "``````"} {
		if got := codeFence(in); got != want {
			t.Errorf("codeFence(%q) = %q, want %q", in, got, want)
		}
	}
}
