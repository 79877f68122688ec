package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kitchenbench/kitchenbench/abtest"
	"github.com/kitchenbench/kitchenbench/results"
)

const againstHelp = `Usage: kitchen check --against REF [flags]

Builds the kitchen command of git REF (in a temporary git worktree, removed
on every exit) and of the working tree, then runs the two binaries
alternately on this machine, in ABBA order (old-new, new-old, ...), each
run 'kitchen run --count N' over the chosen cells (N is --samples; the
run's figure for a cell is the median of its N samples). Each round gives one
ratio new/old of dishes/s per cell: what drifts between rounds (the
machine, its neighbours) cancels within them, which a baseline from
another job cannot.

A cell regresses when its mean log ratio is significantly below the
threshold (one-sided t test, α = 0.05, Holm across cells); it passes when
significantly above it; otherwise it is inconclusive. Each cell shows the
smallest regression the rounds detect with 80% power. Exits 0 when every
cell passes, 1 on a regression (naming the cells), 2 when a cell is
inconclusive or a build or run fails.

Raw dishes/s are compared, not shares of the model bound: a slower work
unit is a regression too.

Example:

	kitchen check --against origin/main --menus banquet --strategies sync,pool --cores 1,2 --count 8
	kitchen check --against HEAD~1 --format markdown >> "$GITHUB_STEP_SUMMARY"
`

// againstOptions are kitchen check --against's flags, parsed and checked.
type againstOptions struct {
	ref        string
	pkg        string // the main package to build at both commits
	menus      string // comma-separated, passed to both binaries
	strategies string
	cores      string
	rounds     int
	samples    int // per cell in each run; the run's median is its figure
	duration   time.Duration
	gate       abtest.Options
	format     string
}

// wantsAgainst reports whether args hold --against, so that cmdCheck can
// hand them to cmdCheckAgainst.
func wantsAgainst(args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		name := strings.TrimLeft(a, "-")
		if strings.HasPrefix(a, "-") && (name == "against" || strings.HasPrefix(name, "against=")) {
			return true
		}
	}
	return false
}

func cmdCheckAgainst(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	fs := newFlags("check --against", againstHelp, stderr)
	o := &againstOptions{gate: abtest.DefaultOptions}
	fs.StringVar(&o.ref, "against", "", "git `REF` to compare the working tree with: a commit, branch or tag")
	fs.StringVar(&o.pkg, "pkg", "./cmd/kitchen", "the main `package` to build at both commits, relative to the repository's root")
	fs.StringVar(&o.menus, "menus", "banquet,steak-and-salad", "comma-separated built-in `menus`")
	fs.StringVar(&o.strategies, "strategies", "sync,pool", "comma-separated `strategies` (both binaries must know them)")
	fs.StringVar(&o.cores, "cores", "1", "comma-separated core `counts` (GOMAXPROCS)")
	fs.IntVar(&o.rounds, "count", 8, "A/B rounds, `N` >= 3 (each runs both binaries once)")
	fs.IntVar(&o.samples, "samples", 3, "samples per cell in each run, `N`; the run's figure is their median")
	fs.DurationVar(&o.duration, "duration", 100*time.Millisecond, "length of each sample")
	threshold := fs.String("threshold", "5%", "smallest regression that fails, as a `percentage`")
	fs.StringVar(&o.format, "format", "text", "output `format`: text, markdown, csv or json")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("check --against takes no arguments, got %q", fs.Args())
	}
	if o.ref == "" {
		return usageError("--against needs a git REF")
	}
	if err := checkFormat(o.format); err != nil {
		return err
	}
	if o.rounds < 3 || o.rounds > 1000 {
		return usageError("--count %d out of range [3, 1000]", o.rounds)
	}
	if o.samples < 1 || o.samples > 100 {
		return usageError("--samples %d out of range [1, 100]", o.samples)
	}
	if o.duration < time.Millisecond || o.duration > time.Hour {
		return usageError("--duration %v out of range [1ms, 1h]", o.duration)
	}
	if _, err := pickMenus(o.menus); err != nil {
		return err
	}
	if _, err := parseInts("--cores", o.cores, 1, 4096); err != nil {
		return err
	}
	th, err := parsePercent(*threshold)
	if err != nil {
		return err
	}
	if th <= 0 || th >= 1 {
		return usageError("--threshold %q: want a percentage in (0%%, 100%%)", *threshold)
	}
	o.gate.Threshold = th
	return checkAgainst(ctx, stdout, stderr, o)
}

// againstUnusable marks a comparison that could not be made: exit status 2.
func againstUnusable(format string, args ...any) error {
	return &exitError{code: 2, err: fmt.Errorf(format, args...)}
}

func checkAgainst(ctx context.Context, stdout, stderr io.Writer, o *againstOptions) (err error) {
	root, err := runGit(ctx, "", "rev-parse", "--show-toplevel")
	if err != nil {
		return againstUnusable("check --against needs a git repository: %w", err)
	}
	commit, err := runGit(ctx, root, "rev-parse", "--verify", "--quiet", o.ref+"^{commit}")
	if err != nil {
		return againstUnusable("--against %q: not a commit in %s", o.ref, root)
	}
	tmp, err := os.MkdirTemp("", "kitchen-against-")
	if err != nil {
		return againstUnusable("check --against: %w", err)
	}
	defer os.RemoveAll(tmp)
	oldBin, newBin := filepath.Join(tmp, "kitchen-old"), filepath.Join(tmp, "kitchen-new")

	fmt.Fprintf(stderr, "kitchen: building %s at %s (%.12s) and in the working tree\n", o.pkg, o.ref, commit)
	wt := filepath.Join(tmp, "ref")
	if _, err := runGit(ctx, root, "worktree", "add", "--detach", "--quiet", wt, commit); err != nil {
		return againstUnusable("check --against: %w", err)
	}
	defer func() {
		// Even after an interrupt: a fresh context, so the worktree goes.
		if _, rmErr := runGit(context.WithoutCancel(ctx), root, "worktree", "remove", "--force", wt); rmErr != nil {
			err = errors.Join(err, fmt.Errorf("check --against: removing the worktree: %w", rmErr))
		}
	}()
	if err := goBuildAt(ctx, wt, o.pkg, oldBin); err != nil {
		return againstUnusable("building %s at %s: %w", o.pkg, o.ref, err)
	}
	if err := goBuildAt(ctx, root, o.pkg, newBin); err != nil {
		return againstUnusable("building %s in the working tree: %w", o.pkg, err)
	}

	rounds := make([]abtest.Round, 0, o.rounds)
	for r := range o.rounds {
		// ABBA: old first in even rounds, new first in odd ones, so a
		// trend within a round favours neither side over a pair of rounds.
		order := []string{oldBin, newBin}
		if r%2 == 1 {
			order = []string{newBin, oldBin}
		}
		got := map[string]map[results.Cell]float64{}
		for _, bin := range order {
			out := filepath.Join(tmp, fmt.Sprintf("round%d-%s.json", r, filepath.Base(bin)))
			cells, err := runOnce(ctx, bin, o, out)
			if err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				return againstUnusable("round %d: %w", r+1, err)
			}
			got[bin] = cells
		}
		rounds = append(rounds, abtest.Round{Old: got[oldBin], New: got[newBin]})
		fmt.Fprintf(stderr, "kitchen: round %d/%d%s\n", r+1, o.rounds, roundText(rounds[r]))
	}

	v := abtest.Gate(rounds, o.gate)
	if len(v.Cells) == 0 {
		return againstUnusable("check --against: no cell was measured by both binaries")
	}
	if err := abtest.Render(stdout, o.format, v); err != nil {
		return err
	}
	if regs := v.Regressions(); len(regs) > 0 {
		return fmt.Errorf("%d regression(s) beyond %g%% against %s: %s", len(regs), 100*o.gate.Threshold, o.ref, cellList(regs))
	}
	if inc := v.Inconclusive(); len(inc) > 0 {
		return againstUnusable("%d cell(s) inconclusive (neither a regression nor a pass at α = %g): %s; more rounds (--count) or a quieter machine",
			len(inc), o.gate.Alpha, cellList(inc))
	}
	return nil
}

func cellList(cs []abtest.Cell) string {
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = fmt.Sprintf("%s (%+.1f%%)", abCellName(c.Cell), 100*c.Change)
	}
	return strings.Join(s, ", ")
}

// roundText is one round's ratios, for the progress line.
func roundText(r abtest.Round) string {
	cells := make([]results.Cell, 0, len(r.Old))
	for c := range r.Old {
		cells = append(cells, c)
	}
	slices.SortFunc(cells, func(a, b results.Cell) int { return strings.Compare(abCellName(a), abCellName(b)) })
	var b strings.Builder
	for _, c := range cells {
		if n, ok := r.New[c]; ok && r.Old[c] > 0 {
			fmt.Fprintf(&b, "  %s new/old %.3f", abCellName(c), n/r.Old[c])
		}
	}
	return b.String()
}

// runOnce runs bin over the chosen cells, o.samples samples each, and
// returns each cell's median dishes/s: a median of a few short samples
// shrugs off a neighbour's burst that one long sample would average in. Its flags are those every kitchen since the
// result-file format (schema 1) understands.
func runOnce(ctx context.Context, bin string, o *againstOptions, out string) (map[results.Cell]float64, error) {
	cmd := exec.CommandContext(ctx, bin, "run", "--menus", o.menus, "--strategies", o.strategies,
		"--cores", o.cores, "--count", strconv.Itoa(o.samples), "--duration", o.duration.String(), "--out", out, "--format", "csv")
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s run: %w: %s", filepath.Base(bin), err, tailLines(errb.String(), 5))
	}
	f, err := results.Read(out)
	if err != nil {
		return nil, err
	}
	byCell := map[results.Cell][]float64{}
	for _, s := range f.Samples {
		if s.Served > 0 {
			byCell[s.Cell()] = append(byCell[s.Cell()], s.DishesPerSec)
		}
	}
	cells := make(map[results.Cell]float64, len(byCell))
	for c, v := range byCell {
		slices.Sort(v)
		cells[c] = v[len(v)/2]
	}
	return cells, nil
}

func abCellName(c results.Cell) string {
	return c.Menu + "/" + c.Strategy + "/" + strconv.Itoa(c.Cores)
}

// runGit runs git in dir ("" for the current directory) and returns its
// trimmed output.
func runGit(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, tailLines(errb.String(), 3))
	}
	return strings.TrimSpace(out.String()), nil
}

// goBuildAt builds pkg in dir into bin.
func goBuildAt(ctx context.Context, dir, pkg, bin string) error {
	gobin, err := exec.LookPath("go")
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, gobin, "build", "-o", bin, pkg)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %w: %s", err, tailLines(string(out), 10))
	}
	return nil
}

func tailLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
