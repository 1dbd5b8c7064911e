package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/bgsim/bgsim/scenarios"
)

func init() {
	commands = append(commands, &command{
		name:    "completion",
		args:    "bash|zsh|fish",
		summary: "print a shell completion script: commands, flags and embedded scenario names",
		detail: `Completes commands, each command's flags, the embedded scenario names
(for run, sweep, show, test and expect) and file names. Load it with:

  bash   source <(bgsim completion bash)      # or save it in
                                              # /etc/bash_completion.d/bgsim
  zsh    source <(bgsim completion zsh)       # uses zsh's bashcompinit
  fish   bgsim completion fish > ~/.config/fish/completions/bgsim.fish`,
		run: runCompletion,
	})
}

func runCompletion(std *stdio, _ any, args []string) int {
	if len(args) != 1 {
		fmt.Fprintln(std.err, "bgsim completion: name one shell: bash, zsh or fish")
		return exitUsage
	}
	switch args[0] {
	case "bash":
		writeBashCompletion(std.out, false)
	case "zsh":
		writeBashCompletion(std.out, true)
	case "fish":
		writeFishCompletion(std.out)
	default:
		fmt.Fprintf(std.err, "bgsim completion: unknown shell %q: want bash, zsh or fish\n", args[0])
		return exitUsage
	}
	return exitOK
}

// completionCommand is what a completion script knows of one command.
type completionCommand struct {
	name, summary string
	flags         []completionFlag
	scenarios     bool     // takes an embedded scenario name
	subcommands   []string // words that hand over the rest (sweep merge)
}

type completionFlag struct {
	name, usage string
	value       bool // takes a value
}

// completionCommands lists every command, in the order of bgsim help, with
// its flags as its FlagSet declares them.
func completionCommands() []completionCommand {
	var out []completionCommand
	for _, c := range commands {
		if strings.HasSuffix(c.summary, "(tests only)") {
			continue
		}
		cc := completionCommand{name: c.name, summary: c.summary, scenarios: strings.Contains(c.args, "NAME"), subcommands: c.subcommands}
		fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
		if c.flags != nil {
			c.flags(fs)
		}
		fs.VisitAll(func(f *flag.Flag) {
			bf, isBool := f.Value.(interface{ IsBoolFlag() bool })
			cc.flags = append(cc.flags, completionFlag{name: f.Name, usage: f.Usage, value: !isBool || !bf.IsBoolFlag()})
		})
		out = append(out, cc)
	}
	return out
}

// shellWords keeps only names a shell word list can hold as they are.
func shellWords(names []string) string {
	var ok []string
	for _, n := range names {
		if n != "" && strings.Trim(n, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") == "" {
			ok = append(ok, n)
		}
	}
	return strings.Join(ok, " ")
}

func writeBashCompletion(w io.Writer, zsh bool) {
	cmds := completionCommands()
	var names []string
	for _, c := range cmds {
		names = append(names, c.name)
	}
	if zsh {
		fmt.Fprint(w, "#compdef bgsim\n# zsh completion for bgsim, through zsh's bash completion layer.\nautoload -U +X bashcompinit && bashcompinit\n")
	} else {
		fmt.Fprint(w, "# bash completion for bgsim (bgsim completion bash)\n")
	}
	fmt.Fprintf(w, `_bgsim() {
    local cur prev cmd flags valued words
    cur="${COMP_WORDS[COMP_CWORD]}"
    prev="${COMP_WORDS[COMP_CWORD-1]}"
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=( $(compgen -W "%s --help --version" -- "$cur") )
        return 0
    fi
    cmd="${COMP_WORDS[1]}"
    words=""
    case "$cmd" in
`, shellWords(names))
	scen := shellWords(scenarios.Names())
	for _, c := range cmds {
		var flags, valued []string
		for _, f := range c.flags {
			flags = append(flags, "--"+f.name)
			if f.value {
				valued = append(valued, "--"+f.name)
			}
		}
		fmt.Fprintf(w, "        %s)\n            flags=%q\n            valued=%q\n", c.name, strings.Join(append(flags, "-h"), " "), " "+strings.Join(valued, " ")+" ")
		switch {
		case c.scenarios:
			fmt.Fprintf(w, "            words=%q\n", strings.TrimSpace(shellWords(c.subcommands)+" "+scen))
		case c.name == "help":
			fmt.Fprintf(w, "            words=%q\n", shellWords(names))
		case c.name == "completion":
			fmt.Fprint(w, "            words=\"bash zsh fish\"\n")
		}
		fmt.Fprint(w, "            ;;\n")
	}
	fmt.Fprint(w, `        *) return 0 ;;
    esac
    if [[ "$valued" == *" $prev "* ]]; then
        COMPREPLY=( $(compgen -f -- "$cur") )
        return 0
    fi
    if [[ "$cur" == -* ]]; then
        COMPREPLY=( $(compgen -W "$flags" -- "$cur") )
        return 0
    fi
    COMPREPLY=( $(compgen -W "$words" -- "$cur") $(compgen -f -- "$cur") )
    return 0
}
complete -o filenames -F _bgsim bgsim
`)
}

func writeFishCompletion(w io.Writer) {
	cmds := completionCommands()
	fmt.Fprint(w, "# fish completion for bgsim (bgsim completion fish)\ncomplete -c bgsim -f\n")
	for _, c := range cmds {
		fmt.Fprintf(w, "complete -c bgsim -n __fish_use_subcommand -a %s -d %s\n", c.name, fishQuote(c.summary))
	}
	scen := shellWords(scenarios.Names())
	for _, c := range cmds {
		cond := fishQuote("__fish_seen_subcommand_from " + c.name)
		for _, f := range c.flags {
			req := ""
			if f.value {
				req = " -r -F"
			}
			fmt.Fprintf(w, "complete -c bgsim -n %s -l %s%s -d %s\n", cond, f.name, req, fishQuote(firstLine(f.usage)))
		}
		switch {
		case c.scenarios:
			fmt.Fprintf(w, "complete -c bgsim -n %s -F -a %s\n", cond, fishQuote(strings.TrimSpace(shellWords(c.subcommands)+" "+scen)))
		case c.name == "validate":
			fmt.Fprintf(w, "complete -c bgsim -n %s -F\n", cond)
		case c.name == "completion":
			fmt.Fprintf(w, "complete -c bgsim -n %s -a 'bash zsh fish'\n", cond)
		}
	}
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// fishQuote writes s as one single-quoted fish word.
func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}
