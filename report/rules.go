package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/bgsim/bgsim/model"
)

// RulesMarkdown writes the rule catalog as a Markdown page: every rule
// with its explanation, sources, confidence, parameters and, where it
// keeps uploads from the app, what the app's code can do.
func RulesMarkdown(w io.Writer) error {
	var b strings.Builder
	b.WriteString("# The iOS rules bgsim applies\n\n")
	b.WriteString("Generated from bgsim's rule catalog (`model/rules.go`); `bgsim rules R-ID` prints the same.\n")
	b.WriteString("Confidence: DOC Apple's documentation, ENG an Apple engineer, RE decompiled CFNetwork,\n")
	b.WriteString("OBS developers' reports, UNC uncertain. For each modelled rule, \"Fixed in bgsim\" is what\n")
	b.WriteString("bgsim applies the same way in every scenario (its readings where the sources are unsure\n")
	b.WriteString("included), and \"Parameters\" are the scenario keys that change how the rule plays out\n")
	b.WriteString("(`params.*` are the ones that stand in for what Apple leaves open). Rules marked\n")
	b.WriteString("documentation only are not modelled yet. A rule's iOS versions say where its API or\n")
	b.WriteString("behaviour begins and what happens before: iOS's earlier behaviour, or a setting bgsim refuses.\n\n")
	b.WriteString("| rule | title | confidence | status |\n|---|---|---|---|\n")
	for _, r := range model.Catalog {
		fmt.Fprintf(&b, "| [%s](#%s) | %s | %s | %s |\n", r.ID, strings.ToLower(string(r.ID)), r.Title, confidenceTags(r), status(r))
	}
	for _, r := range model.Catalog {
		fmt.Fprintf(&b, "\n## %s\n\n**%s.** %s\n\n", r.ID, r.Title, r.Explanation)
		fmt.Fprintf(&b, "Confidence: %s. Status: %s.\n", confidenceTags(r), status(r))
		if r.Fixed != "" {
			fmt.Fprintf(&b, "\nFixed in bgsim: %s\n", r.Fixed)
		}
		if len(r.Params) > 0 {
			b.WriteString("\nParameters:\n")
			for _, p := range r.Params {
				fmt.Fprintf(&b, "- `%s`: %s\n", p.Key, p.What)
			}
		} else if r.Modelled {
			b.WriteString("\nParameters: none.\n")
		}
		if vs := r.Versions(); len(vs) > 0 {
			b.WriteString("\niOS versions:\n")
			for _, v := range vs {
				fmt.Fprintf(&b, "- %s\n", v)
			}
		}
		if r.Fix != "" {
			fmt.Fprintf(&b, "\nWhat the app's code can do: %s.\n", r.Fix)
		}
		if len(r.Sources) > 0 {
			b.WriteString("\nSources:\n")
			for _, s := range r.Sources {
				fmt.Fprintf(&b, "- %s\n", model.Sources[s])
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// RuleList writes one line per rule of the catalog: id, whether bgsim
// models it, confidence and title.
func RuleList(w io.Writer) error { return RuleLines(w, model.Catalog) }

// RuleLines writes one line per rule, as RuleList does.
func RuleLines(w io.Writer, rules []model.Rule) error {
	var b strings.Builder
	for _, r := range rules {
		mark := "doc"
		if r.Modelled {
			mark = "modelled"
		}
		fmt.Fprintf(&b, "%-36s %-8s %-11s %s\n", TerminalSafe(string(r.ID)), mark, confidenceTags(r), TerminalSafe(r.Title))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Rule writes one rule for a terminal: its explanation wrapped at 80
// columns, confidence, status, parameters, its iOS versions (each
// wrapped at 80 columns), the fix and the sources (a URL on a line of
// its own, whole). The
// catalog is bgsim's own text, made TerminalSafe all the same.
func Rule(w io.Writer, r model.Rule) error {
	var b strings.Builder
	st := "documentation only: bgsim does not model it yet"
	if r.Modelled {
		st = "modelled"
	}
	fmt.Fprintf(&b, "%s\n\n%s\n\nConfidence: %s\nStatus: %s\n", hang(TerminalSafe(string(r.ID)+" — "+r.Title), 80, "  "),
		hang(TerminalSafe(r.Explanation), 80, ""), confidenceTags(r), st)
	if r.Fixed != "" {
		fmt.Fprintf(&b, "\nFixed in bgsim:\n%s\n", hang(TerminalSafe(r.Fixed), 80, ""))
	}
	if len(r.Params) > 0 {
		b.WriteString("Parameters:\n")
		for _, p := range r.Params {
			fmt.Fprintf(&b, "  %s\n", hang(TerminalSafe(p.Key+": "+p.What), 78, "    "))
		}
	} else if r.Modelled {
		b.WriteString("Parameters: none\n")
	}
	if vs := r.Versions(); len(vs) > 0 {
		b.WriteString("iOS versions:\n")
		for _, v := range vs {
			fmt.Fprintf(&b, "  %s\n", hang(TerminalSafe(v.String()), 78, "  "))
		}
	}
	if r.Fix != "" {
		fmt.Fprintf(&b, "\nWhat the app's code can do:\n%s\n\n", hang(TerminalSafe(r.Fix), 80, ""))
	}
	if len(r.Sources) > 0 {
		b.WriteString("Sources:\n")
		for _, s := range r.Sources {
			// A URL goes on a line of its own, whole, so that it can be
			// copied; the words before it wrap.
			text, url, _ := strings.Cut(model.Sources[s], " — http")
			fmt.Fprintf(&b, "  %s\n", hang(TerminalSafe("["+s+"] "+text), 78, "    "))
			if url != "" {
				fmt.Fprintf(&b, "    %s\n", TerminalSafe("http"+url))
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func confidenceTags(r model.Rule) string {
	var tags []string
	for _, c := range r.Confidence {
		tags = append(tags, string(c))
	}
	return strings.Join(tags, "+")
}

func status(r model.Rule) string {
	if r.Modelled {
		return "modelled"
	}
	return "documentation only"
}

// RulesJSON writes the rules as {"rules": [...]}, each with its id,
// title, explanation, confidence tags, whether bgsim models it, its
// parameters (params: one line; parameters: key and what), what bgsim
// fixes (fixed), the fix, its sources (key, text) and, for a rule with
// iOS version gates, its versions (since, what, before, kind). A stable
// contract: fields are added, never removed.
func RulesJSON(w io.Writer, rules []model.Rule) error {
	type source struct {
		Key  string `json:"key"`
		Text string `json:"text"`
	}
	type param struct {
		Key  string `json:"key"`
		What string `json:"what"`
	}
	// version is one iOS version gate of the rule: from since, what
	// begins; before, what iOS did or what bgsim does (kind: refused or
	// behaviour).
	type version struct {
		Since  int    `json:"since"`
		What   string `json:"what"`
		Before string `json:"before"`
		Kind   string `json:"kind"`
	}
	type rule struct {
		ID          string    `json:"id"`
		Title       string    `json:"title"`
		Explanation string    `json:"explanation"`
		Confidence  []string  `json:"confidence"`
		Modelled    bool      `json:"modelled"`
		Params      string    `json:"params,omitempty"` // ParamText, kept for readers of the old field
		Parameters  []param   `json:"parameters,omitempty"`
		Fixed       string    `json:"fixed,omitempty"`
		Fix         string    `json:"fix,omitempty"`
		Sources     []source  `json:"sources"`
		Versions    []version `json:"versions,omitempty"`
	}
	doc := struct {
		Rules []rule `json:"rules"`
	}{Rules: []rule{}}
	for _, r := range rules {
		jr := rule{ID: string(r.ID), Title: r.Title, Explanation: r.Explanation, Confidence: []string{}, Modelled: r.Modelled,
			Params: r.ParamText(), Fixed: r.Fixed, Fix: r.Fix, Sources: []source{}}
		for _, p := range r.Params {
			jr.Parameters = append(jr.Parameters, param{p.Key, p.What})
		}
		for _, c := range r.Confidence {
			jr.Confidence = append(jr.Confidence, string(c))
		}
		for _, k := range r.Sources {
			jr.Sources = append(jr.Sources, source{k, model.Sources[k]})
		}
		for _, v := range r.Versions() {
			jr.Versions = append(jr.Versions, version{v.Since, v.What, v.Before, string(v.Kind)})
		}
		doc.Rules = append(doc.Rules, jr)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}
