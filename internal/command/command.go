// Package command is the plumbing of a command-line program with
// subcommands, apart from what any one subcommand does: the dispatch to a
// subcommand, the usage and the help (Program), flag sets whose flags may
// come anywhere on the line and whose errors are one line (Parse), errors
// that carry their exit status (Usage, Input, ExitError), the status a
// finished command exits with (Status), and a context that a first SIGINT
// or SIGTERM ends (WithSignals).
//
// Package cli builds the kitchen command on it; each of cli's subcommands
// is left with its own flags, the library call and the rendering.
package command

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ExitError carries an exit status other than 1.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string { return e.Err.Error() }
func (e *ExitError) Unwrap() error { return e.Err }

// Usage is an error for bad flags or arguments: exit status 2.
func Usage(format string, args ...any) error {
	return &ExitError{Code: 2, Err: fmt.Errorf(format, args...)}
}

// Input marks err, about an unusable input file, with exit status 2.
func Input(err error) error { return &ExitError{Code: 2, Err: err} }

// FlagError is a usage error (exit 2) for err, met reading the flag
// named: "--cores: …".
func FlagError(flag string, err error) error { return Usage("%s: %v", flag, err) }

// SignalError is the cancellation cause of a context WithSignals ended.
type SignalError struct{ Signal os.Signal }

func (e *SignalError) Error() string { return "interrupted by " + e.Signal.String() }

// WithSignals returns a copy of ctx that the first SIGINT or SIGTERM
// cancels, with a *SignalError as its cause; after that first signal the
// process takes signals the usual way again, so a second one kills it.
// Call stop when the command is done.
func WithSignals(ctx context.Context) (_ context.Context, stop func()) {
	ctx, cancel := context.WithCancelCause(ctx)
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		select {
		case s := <-sigs:
			cancel(&SignalError{s})
			signal.Stop(sigs)
		case <-ctx.Done():
		}
	}()
	return ctx, func() { signal.Stop(sigs); cancel(nil) }
}

// Status prints err (if any) to stderr after prog and returns the exit
// status: 0 for success or -h, 1 for failure, an *ExitError's Code, and
// 130 or 143 when ctx was ended by SIGINT or SIGTERM (WithSignals).
func Status(ctx context.Context, stderr io.Writer, prog string, err error) int {
	var sig *SignalError
	if errors.As(context.Cause(ctx), &sig) {
		if err != nil && !errors.Is(err, context.Canceled) {
			fmt.Fprintf(stderr, "%s: %v\n", prog, err)
		}
		fmt.Fprintf(stderr, "%s: %v\n", prog, sig)
		if sig.Signal == syscall.SIGTERM {
			return 143
		}
		return 130
	}
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return 0
	}
	fmt.Fprintf(stderr, "%s: %v\n", prog, err)
	var ee *ExitError
	if errors.As(err, &ee) {
		return ee.Code
	}
	return 1
}

// NewFlags returns a flag set named name whose -h prints help, then the
// flags, to stderr. Parse it with Parse, which prints nothing else.
func NewFlags(name, help string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, help)
		fmt.Fprintln(stderr, "\nFlags:")
		fs.PrintDefaults()
	}
	return fs
}

// Parse parses args, returning flag.ErrHelp after printing fs's help for
// -h (or -help, --help) where fs defines no such flag. Flags may come
// anywhere on the line, before, between or after the arguments (people
// type them last: `kitchen compare a.json b.json --format markdown`); a
// lone "--" ends the flags, so an argument that starts with "-" can
// follow it. fs.Args() then holds the arguments in the order given.
//
// A bad flag is a usage error (exit 2) of one line that names the flag
// and says what it wants: `--count "abc": want a whole number`, `--count
// needs a value: a whole number`, `unknown flag --nosuch; run 'kitchen
// run -h' for its flags`; nothing is printed.
//
// Note: Parse reads the flags itself, setting each with fs.Set, rather
// than calling fs.Parse on them: fs.Parse prints its error and the whole
// help on a bad flag, and its error says neither the flag's name nor what
// is wrong in a form a program can read.
func Parse(fs *flag.FlagSet, args []string) error {
	var positional []string
	for len(args) > 0 {
		arg := args[0]
		args = args[1:]
		if arg == "--" {
			positional = append(positional, args...)
			break
		}
		if len(arg) < 2 || arg[0] != '-' {
			positional = append(positional, arg)
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimPrefix(arg[1:], "-"), "=")
		f := fs.Lookup(name)
		switch {
		case f == nil && (name == "h" || name == "help"):
			return fs.Parse([]string{"-h"}) // prints fs's help; flag.ErrHelp
		case f == nil:
			flagName, _, _ := strings.Cut(arg, "=")
			return Usage("unknown flag %s; run '%s -h' for its flags", flagName, commandName(fs))
		case !hasValue && isBool(f):
			value = "true"
		case !hasValue && len(args) == 0:
			want := kind(f)
			if want == "" {
				want, _ = flag.UnquoteUsage(f) // the value's name in its usage: FILE
			}
			return Usage("--%s needs a value: %s", name, want)
		case !hasValue:
			value, args = args[0], args[1:]
		}
		if err := fs.Set(name, value); err != nil {
			if want := kind(f); want != "" {
				return Usage("--%s %q: want %s", name, value, want)
			}
			return Usage("--%s %q: %w", name, value, err)
		}
	}
	// Leave the arguments where fs.Args() finds them.
	return fs.Parse(append([]string{"--"}, positional...))
}

// isBool reports whether f is a boolean flag, which needs no value (the
// flag package's own test).
func isBool(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// kind names the kind of value the flag f wants, for the flag package's
// own kinds ("a whole number"); "" for others.
func kind(f *flag.Flag) string {
	var v any
	if g, ok := f.Value.(flag.Getter); ok {
		v = g.Get()
	}
	switch v.(type) {
	case int, int64:
		return "a whole number"
	case uint, uint64:
		return "a whole number, 0 or more"
	case float64:
		return "a number"
	case bool:
		return "true or false"
	case time.Duration:
		return "a duration such as 50ms or 2s"
	}
	return ""
}

// commandName is how to call fs's command for its help: its name, with a
// placeholder after a closing flag word ("kitchen check --against REF"
// for "kitchen check --against", whose flags are not check's).
func commandName(fs *flag.FlagSet) string {
	name := fs.Name()
	if words := strings.Fields(name); len(words) > 0 && strings.HasPrefix(words[len(words)-1], "--") {
		name += " REF"
	}
	return name
}

// ParsePercent reads the value of the flag named, a percentage such as
// "5%" or "5", as a fraction (0.05); a usage error unless it is in
// [0%, 1000%]. It reads what results.FormatPercent writes.
func ParsePercent(flag, s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(s), "%"), 64)
	if err != nil || !(v >= 0 && v <= 1000) {
		return 0, Usage("%s %q: want a percentage in [0%%, 1000%%] such as 5%%", flag, s)
	}
	return v / 100, nil
}

// Strings is a flag.Value for a flag that may be given more than once:
// each use adds its value.
type Strings []string

var _ flag.Value = (*Strings)(nil)

func (s *Strings) String() string { return strings.Join(*s, ",") }

// Set adds v.
func (s *Strings) Set(v string) error {
	*s = append(*s, v)
	return nil
}
