package main

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/httpserver-go/httpserver/internal/pystr"
)

// option describes one command-line option the way argparse's
// add_argument does.
type option struct {
	flags   []string // "-b", "--bind": short first, as added
	metavar []string // one name per value; nil for a flag without values
	help    string
	set     func(c *config, values []string) error
}

// nargs is how many values the option takes.
func (o *option) nargs() int { return len(o.metavar) }

// name is how argparse names the option in errors: "-b/--bind".
func (o *option) name() string { return strings.Join(o.flags, "/") }

// usageError is an argparse-style error: the usage line, then
// "<prog>: error: <msg>", exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// helpRequested is returned by parse when -h/--help was given.
type helpRequested struct{}

func (helpRequested) Error() string { return "help requested" }

// parser parses arguments as Python 3.15's argparse parses those of
// python -m http.server: options in any order with the optional port
// among them, --opt=value and -oVALUE forms, unambiguous prefixes of long
// options, combined short flags, "--" ending the options, and the same
// error messages.
type parser struct {
	prog    string
	options []*option
}

var negativeNumber = regexp.MustCompile(`^-\d+$|^-\d*\.\d+$`)

// argKind classifies one argument as argparse's _parse_optional does.
type argKind struct {
	opt      *option // nil for a positional or an unknown option
	flag     string  // the option string matched
	explicit *string // value attached with = or glued to a short option
	unknown  bool    // looks like an option but matches none
}

func (p *parser) classify(arg string) (argKind, error) {
	if arg == "" || arg[0] != '-' || arg == "-" {
		return argKind{}, nil
	}
	if o := p.exact(arg); o != nil {
		return argKind{opt: o, flag: arg}, nil
	}
	if name, value, ok := strings.Cut(arg, "="); ok {
		if o := p.exact(name); o != nil {
			return argKind{opt: o, flag: name, explicit: &value}, nil
		}
	}
	type match struct {
		o        *option
		flag     string
		explicit *string
	}
	var matches []match
	if strings.HasPrefix(arg, "--") {
		prefix, value, hasValue := strings.Cut(arg, "=")
		for _, o := range p.options {
			for _, f := range o.flags {
				if strings.HasPrefix(f, "--") && strings.HasPrefix(f, prefix) {
					m := match{o, f, nil}
					if hasValue {
						v := value
						m.explicit = &v
					}
					matches = append(matches, m)
				}
			}
		}
	} else {
		short, rest := arg[:2], arg[2:]
		for _, o := range p.options {
			for _, f := range o.flags {
				if f == short {
					r := rest
					matches = append(matches, match{o, f, &r})
				} else if strings.HasPrefix(f, arg) {
					matches = append(matches, match{o, f, nil})
				}
			}
		}
	}
	switch {
	case len(matches) > 1:
		flags := make([]string, len(matches))
		for i, m := range matches {
			flags[i] = m.flag
		}
		prefix, _, _ := strings.Cut(arg, "=")
		return argKind{}, &usageError{fmt.Sprintf("ambiguous option: %s could match %s", prefix, strings.Join(flags, ", "))}
	case len(matches) == 1:
		m := matches[0]
		return argKind{opt: m.o, flag: m.flag, explicit: m.explicit}, nil
	}
	if negativeNumber.MatchString(arg) || strings.Contains(arg, " ") {
		return argKind{}, nil
	}
	return argKind{unknown: true}, nil
}

func (p *parser) exact(flag string) *option {
	for _, o := range p.options {
		for _, f := range o.flags {
			if f == flag {
				return o
			}
		}
	}
	return nil
}

// parse fills c from args. It returns helpRequested for -h, a
// *usageError for anything argparse would reject.
func (p *parser) parse(args []string, c *config) error {
	kinds := make([]argKind, len(args))
	isOpt := make([]bool, len(args))
	var positional []bool // after "--", everything is positional
	rest := -1
	for i, a := range args {
		if rest < 0 && a == "--" {
			rest = i
			break
		}
		k, err := p.classify(a)
		if err != nil {
			return err
		}
		kinds[i] = k
		isOpt[i] = k.opt != nil || k.unknown
	}
	if rest >= 0 {
		// "--" itself is dropped; what follows can only be positional.
		tail := args[rest+1:]
		args = append(args[:rest:rest], tail...)
		kinds = append(kinds[:rest:rest], make([]argKind, len(tail))...)
		isOpt = append(isOpt[:rest:rest], make([]bool, len(tail))...)
	}
	_ = positional

	var extras []string
	portDone := false
	for i := 0; i < len(args); {
		if !isOpt[i] {
			// A run of positionals: the port takes the first, if it is
			// still free; the rest are extra.
			j := i
			for j < len(args) && !isOpt[j] {
				j++
			}
			if !portDone {
				portDone = true
				if err := c.setPort(args[i]); err != nil {
					return err
				}
				i++
			}
			extras = append(extras, args[i:j]...)
			i = j
			continue
		}
		k := kinds[i]
		if k.unknown {
			extras = append(extras, args[i])
			i++
			continue
		}
		next, err := p.consumeOptional(args, isOpt, i, k, c)
		if err != nil {
			return err
		}
		i = next
	}
	if len(extras) > 0 {
		return &usageError{"unrecognized arguments: " + strings.Join(extras, " ")}
	}
	return nil
}

// consumeOptional takes the option at args[i] and its values, runs its
// action (and those of short flags combined with it), and returns the
// index after what it used.
func (p *parser) consumeOptional(args []string, isOpt []bool, i int, k argKind, c *config) (int, error) {
	type action struct {
		o      *option
		values []string
	}
	var actions []action
	o, flag, explicit := k.opt, k.flag, k.explicit
	next := i + 1
	for {
		if explicit == nil {
			n := o.nargs()
			avail := 0
			for j := i + 1; j < len(args) && !isOpt[j] && avail < n; j++ {
				avail++
			}
			if avail < n {
				return 0, &usageError{fmt.Sprintf("argument %s: %s", o.name(), expected(n))}
			}
			actions = append(actions, action{o, args[i+1 : i+1+n]})
			next = i + 1 + n
			break
		}
		switch o.nargs() {
		case 0:
			if flag[1] != '-' && *explicit != "" {
				// -hb: -h, then -b with what follows.
				actions = append(actions, action{o, nil})
				nextFlag := "-" + (*explicit)[:1]
				nextOpt := p.exact(nextFlag)
				if nextOpt == nil {
					return 0, &usageError{fmt.Sprintf("argument %s: ignored explicit argument %s", o.name(), pystr.ReprUTF8(*explicit))}
				}
				var tail *string
				if t := (*explicit)[1:]; t != "" {
					tail = &t
				}
				o, flag, explicit = nextOpt, nextFlag, tail
				continue
			}
			return 0, &usageError{fmt.Sprintf("argument %s: ignored explicit argument %s", o.name(), pystr.ReprUTF8(*explicit))}
		case 1:
			actions = append(actions, action{o, []string{*explicit}})
		default:
			return 0, &usageError{fmt.Sprintf("argument %s: %s", o.name(), expected(o.nargs()))}
		}
		break
	}
	for _, a := range actions {
		if err := a.o.set(c, a.values); err != nil {
			return 0, err
		}
	}
	return next, nil
}

func expected(n int) string {
	if n == 1 {
		return "expected one argument"
	}
	return fmt.Sprintf("expected %d arguments", n)
}

// usage returns argparse's usage text, wrapped for width columns.
func (p *parser) usage(width int) string {
	textWidth := width - 2
	var parts []string
	for _, o := range p.options {
		if o.flags[0] == "-h" {
			parts = append(parts, "[-h]")
			continue
		}
		parts = append(parts, "["+strings.Join(append([]string{o.flags[0]}, o.metavar...), " ")+"]")
	}
	positional := []string{"[port]"}
	const prefix = "usage: "
	all := p.prog + " " + strings.Join(append(append([]string{}, parts...), positional...), " ")
	if len(prefix)+len(all) <= textWidth {
		return prefix + all + "\n"
	}
	indent := strings.Repeat(" ", len(prefix)+len(p.prog)+1)
	var lines []string
	if float64(len(prefix)+len(p.prog)) <= 0.75*float64(textWidth) {
		lines = wrapParts(append([]string{p.prog}, parts...), indent, prefix, textWidth)
		lines = append(lines, wrapParts(positional, indent, "", textWidth)...)
	} else {
		indent = strings.Repeat(" ", len(prefix))
		lines = []string{p.prog}
		lines = append(lines, wrapParts(parts, indent, "", textWidth)...)
		lines = append(lines, wrapParts(positional, indent, "", textWidth)...)
	}
	return prefix + strings.Join(lines, "\n") + "\n"
}

// wrapParts fills lines with parts as argparse's usage formatter does:
// greedily, each line indented by indent; the first line after prefix
// when prefix is set.
func wrapParts(parts []string, indent, prefix string, width int) []string {
	var lines []string
	var line []string
	lineLen := len(indent) - 1
	if prefix != "" {
		lineLen = len(prefix) - 1
	}
	for _, part := range parts {
		if lineLen+1+len(part) > width && len(line) > 0 {
			lines = append(lines, indent+strings.Join(line, " "))
			line = nil
			lineLen = len(indent) - 1
		}
		line = append(line, part)
		lineLen += len(part) + 1
	}
	if len(line) > 0 {
		lines = append(lines, indent+strings.Join(line, " "))
	}
	if prefix != "" && len(lines) > 0 {
		lines[0] = lines[0][len(indent):]
	}
	return lines
}

// help returns the full -h text: usage, then the positional and the
// option sections laid out as argparse's HelpFormatter does (3.13 and
// later: the metavar shown once, "-b, --bind ADDRESS").
func (p *parser) help(width int) string {
	textWidth := width - 2
	type entry struct{ invocation, help string }
	positional := []entry{{"port", "bind to this port (default: 8000)"}}
	var opts []entry
	for _, o := range p.options {
		inv := strings.Join(o.flags, ", ")
		if len(o.metavar) > 0 {
			inv += " " + strings.Join(o.metavar, " ")
		}
		opts = append(opts, entry{inv, o.help})
	}
	maxLen := 0
	for _, e := range append(append([]entry{}, positional...), opts...) {
		maxLen = max(maxLen, len(e.invocation)+2)
	}
	maxHelpPosition := min(24, max(textWidth-20, 4))
	helpPosition := min(maxLen+2, maxHelpPosition)
	helpWidth := max(textWidth-helpPosition, 11)
	actionWidth := helpPosition - 2 - 2

	var b strings.Builder
	b.WriteString(p.usage(width))
	section := func(title string, entries []entry) {
		b.WriteString("\n" + title + ":\n")
		for _, e := range entries {
			lines := wrapText(e.help, helpWidth)
			if len(e.invocation) <= actionWidth {
				fmt.Fprintf(&b, "  %-*s  %s\n", actionWidth, e.invocation, lines[0])
			} else {
				fmt.Fprintf(&b, "  %s\n%*s%s\n", e.invocation, helpPosition, "", lines[0])
			}
			for _, l := range lines[1:] {
				fmt.Fprintf(&b, "%*s%s\n", helpPosition, "", l)
			}
		}
	}
	section("positional arguments", positional)
	section("options", opts)
	return b.String()
}

// wrapText wraps words greedily to width, as textwrap.wrap.
func wrapText(text string, width int) []string {
	var lines []string
	var line string
	for _, w := range strings.Fields(text) {
		if line != "" && len(line)+1+len(w) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	return append(lines, line)
}

// terminalWidth is the width argparse formats for: $COLUMNS when set,
// otherwise 80 (Python asks the terminal; we do not).
func terminalWidth() int {
	if n, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && n > 0 {
		return n
	}
	return 80
}
