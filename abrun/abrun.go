// Package abrun measures a change A/B on one machine: it builds the
// kitchen command at a git commit (in a temporary worktree) and in the
// working tree, then runs the two binaries alternately in ABBA order,
// one 'kitchen run' each per round, and returns each round's dishes/s per
// cell. What drifts between rounds (the machine, its neighbours) cancels
// within them, which a baseline from another job cannot.
//
// Package abtest judges the rounds (abtest.Gate) and renders the verdict;
// Check runs and judges in one call, and Options.Validate checks the
// options' ranges, for package cli's `kitchen check --against`.
package abrun

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

// Options say what to build and measure. Menus, Strategies and Cores
// are comma-separated lists passed to both binaries as they are.
type Options struct {
	Ref        string // git ref of the old side: a commit, branch or tag
	Pkg        string // the main package to build at both commits, relative to the repository's root
	Menus      string
	Strategies string
	Cores      string
	Rounds     int           // A/B rounds; each runs both binaries once
	Samples    int           // samples per cell in each run; the run's figure is their median
	Duration   time.Duration // length of each sample
	// Log receives a line per build and per round; nil discards them.
	Log io.Writer
}

// Run builds both sides and measures o.Rounds rounds, old first in even
// rounds and new first in odd ones, so that a trend within a round
// favours neither side over a pair of rounds. The temporary worktree is
// removed on every exit, an interrupted one included. An error means no
// comparison could be made; after the context ends it is ctx.Err().
func Run(ctx context.Context, o Options) (rounds []abtest.Round, err error) {
	log := o.Log
	if log == nil {
		log = io.Discard
	}
	root, err := runGit(ctx, "", "rev-parse", "--show-toplevel")
	if err != nil {
		return nil, fmt.Errorf("check --against needs a git repository: %w", err)
	}
	commit, err := runGit(ctx, root, "rev-parse", "--verify", "--quiet", o.Ref+"^{commit}")
	if err != nil {
		return nil, fmt.Errorf("--against %q: not a commit in %s", o.Ref, root)
	}
	tmp, err := os.MkdirTemp("", "kitchen-against-")
	if err != nil {
		return nil, fmt.Errorf("check --against: %w", err)
	}
	defer os.RemoveAll(tmp)
	oldBin, newBin := filepath.Join(tmp, "kitchen-old"), filepath.Join(tmp, "kitchen-new")

	fmt.Fprintf(log, "kitchen: building %s at %s (%.12s) and in the working tree\n", o.Pkg, o.Ref, commit)
	wt := filepath.Join(tmp, "ref")
	if _, err := runGit(ctx, root, "worktree", "add", "--detach", "--quiet", wt, commit); err != nil {
		return nil, fmt.Errorf("check --against: %w", err)
	}
	defer func() {
		// Even after an interrupt: a fresh context, so the worktree goes.
		if _, rmErr := runGit(context.WithoutCancel(ctx), root, "worktree", "remove", "--force", wt); rmErr != nil {
			err = errors.Join(err, fmt.Errorf("check --against: removing the worktree: %w", rmErr))
		}
	}()
	if err := goBuildAt(ctx, wt, o.Pkg, oldBin); err != nil {
		return nil, fmt.Errorf("building %s at %s: %w", o.Pkg, o.Ref, err)
	}
	if err := goBuildAt(ctx, root, o.Pkg, newBin); err != nil {
		return nil, fmt.Errorf("building %s in the working tree: %w", o.Pkg, err)
	}

	rounds = make([]abtest.Round, 0, o.Rounds)
	for r := range o.Rounds {
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
					return nil, ctx.Err()
				}
				return nil, fmt.Errorf("round %d: %w", r+1, err)
			}
			got[bin] = cells
		}
		rounds = append(rounds, abtest.Round{Old: got[oldBin], New: got[newBin]})
		fmt.Fprintf(log, "kitchen: round %d/%d%s\n", r+1, o.Rounds, roundText(rounds[r]))
	}
	return rounds, nil
}

// roundText is one round's ratios, for the progress line.
func roundText(r abtest.Round) string {
	cells := make([]results.Cell, 0, len(r.Old))
	for c := range r.Old {
		cells = append(cells, c)
	}
	slices.SortFunc(cells, func(a, b results.Cell) int { return strings.Compare(CellName(a), CellName(b)) })
	var b strings.Builder
	for _, c := range cells {
		if n, ok := r.New[c]; ok && r.Old[c] > 0 {
			fmt.Fprintf(&b, "  %s new/old %.3f", CellName(c), n/r.Old[c])
		}
	}
	return b.String()
}

// runOnce runs bin over the chosen cells, o.Samples samples each, and
// returns each cell's median dishes/s: a median of a few short samples
// shrugs off a neighbour's burst that one long sample would average in.
// Its flags are those every kitchen since the result-file format (schema
// 1) understands.
func runOnce(ctx context.Context, bin string, o Options, out string) (map[results.Cell]float64, error) {
	cmd := exec.CommandContext(ctx, bin, "run", "--menus", o.Menus, "--strategies", o.Strategies,
		"--cores", o.Cores, "--count", strconv.Itoa(o.Samples), "--duration", o.Duration.String(), "--out", out, "--format", "csv")
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

// CellName names a cell as menu/strategy/cores.
func CellName(c results.Cell) string {
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
