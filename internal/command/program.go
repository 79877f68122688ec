package command

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Command is one subcommand of a Program: its name, the line the usage
// gives it, and the function that runs it with the arguments after its
// name. Its -h prints its help (NewFlags, Parse) and returns flag.ErrHelp.
type Command struct {
	Name, Summary string
	Run           func(ctx context.Context, stdout, stderr io.Writer, args []string) error
}

// Program is a command made of subcommands, such as `kitchen run`: Run
// runs the one named, and a help subcommand of its own lists them all.
type Program struct {
	Name     string    // the program's name: "kitchen"
	Intro    string    // the usage's first line: what the program does
	Commands []Command // in the order the usage lists them
}

// Usage is the program's usage: its intro, then every subcommand with its
// summary, help last.
func (p *Program) Usage() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\nUsage:\n\n\t%s <command> [flags] [arguments]\n\nCommands:\n\n", p.Intro, p.Name)
	help := Command{Name: "help", Summary: "show this help; help <command> shows the command's"}
	all := append(slices.Clone(p.Commands), help)
	width := 10
	for _, c := range all {
		width = max(width, len(c.Name)+2)
	}
	for _, c := range all {
		fmt.Fprintf(&b, "\t%-*s%s\n", width, c.Name, c.Summary)
	}
	fmt.Fprintf(&b, "\nRun '%s <command> -h' for a command's flags and an example.\n", p.Name)
	return b.String()
}

// Run runs the subcommand args[0] names with the rest of args. `help`
// (or -h, --help) prints the usage to stdout, and `help NAME` prints
// NAME's help (as `NAME -h` does, but to stdout). No arguments, or an
// unknown name, print the usage to stderr and return a usage error (exit
// 2): a program that does anything takes a command, as go and git do.
func (p *Program) Run(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, p.Usage())
		return Usage("no command given")
	}
	name, rest, out := args[0], args[1:], stderr
	if isHelp(name) {
		if len(rest) == 0 || isHelp(rest[0]) {
			_, err := io.WriteString(stdout, p.Usage())
			return err
		}
		name, rest, out = rest[0], []string{"-h"}, stdout
	}
	for _, c := range p.Commands {
		if c.Name == name {
			return c.Run(ctx, stdout, out, rest)
		}
	}
	fmt.Fprint(stderr, p.Usage())
	return Usage("unknown command %q", name)
}

func isHelp(arg string) bool {
	return arg == "help" || arg == "-h" || arg == "-help" || arg == "--help"
}
