package bench

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"syscall"
	"time"

	"github.com/kitchenbench/kitchenbench/grill"
	"github.com/kitchenbench/kitchenbench/kitchen"
)

// IOOptions say where a run's call and read steps go. The zero value
// starts a grill service child per menu with call steps and writes a
// 256 MiB pantry in the system's temporary directory, read through the
// page cache.
type IOOptions struct {
	// Grill is HOST:PORT of a grill service to use for every menu instead
	// of starting children: a service on another machine, for a real
	// network. It must have as many grills as each menu (Info().Grills).
	Grill      string
	GrillToken string // the token Grill requires, if any

	// GrillExe is the kitchen binary to start children from; default
	// os.Executable(). A test binary serves as one when its TestMain calls
	// GrillChildMain first.
	GrillExe   string
	GrillProcs int      // each child's GOMAXPROCS; default 2 (grill.Start's)
	GrillArgs  []string // more grill-server flags for children, e.g. "--max-conns", "20000"

	// CallTimeout is how long past its hold a call may take before its
	// order fails; 0 means kitchen.DefaultCallTimeout.
	CallTimeout time.Duration

	PantrySize   int64  // bytes; 0 means kitchen.DefaultPantrySize
	PantryDir    string // where the pantry's temporary directory goes; default os.TempDir()
	PantryDirect bool   // read with O_DIRECT instead of through the page cache

	// Stderr receives the children's standard error; nil keeps only its
	// end, shown in errors.
	Stderr io.Writer
}

// Rig is the real I/O of a run: the grill services its menus call and the
// pantry they read, with the loopback round trip and the read time
// measured once at start, as the work unit is. Make it with StartIO, give
// it to every kitchen with Equip, and Close it on every exit path (a
// child also stops when StartIO's context ends, and the kernel kills it
// if this process dies).
type Rig struct {
	// CallRTT is the median round trip of a call holding nothing and
	// answering nothing; 0 when no menu has call steps.
	CallRTT time.Duration
	// ReadNsPerKiB is the median time of a pantry read per KiB; 0 when no
	// menu has read steps.
	ReadNsPerKiB float64
	// FileLimit is the soft limit on open files after raising it to the
	// hard limit (grill.RaiseFileLimit); 0 if it could not be read.
	FileLimit uint64

	opt    IOOptions
	grills map[string]*rigGrill // by menu name
	shared *rigGrill            // opt.Grill, when given
	pantry *kitchen.Pantry
}

// rigGrill is one grill service and a control connection to it.
type rigGrill struct {
	child *grill.Child // nil for a service named with IOOptions.Grill
	ep    kitchen.GrillEndpoint
	ctl   *grill.Conn // asks Stats
}

// StartIO starts what menus need: a grill service per menu with call
// steps (or checks the one named in opt.Grill), a pantry if any menu has
// read steps, and measures their costs. It returns a Rig with nothing in
// it for menus without I/O.
func StartIO(ctx context.Context, menus []*kitchen.Menu, opt IOOptions) (r *Rig, err error) {
	r = &Rig{opt: opt, grills: map[string]*rigGrill{}}
	defer func() {
		if err != nil {
			r.Close()
			r = nil
		}
	}()
	var calls, reads []*kitchen.Menu
	for _, m := range menus {
		if m.HasKind(kitchen.Call) {
			calls = append(calls, m)
		}
		if m.HasKind(kitchen.Read) {
			reads = append(reads, m)
		}
	}
	if len(calls) == 0 && len(reads) == 0 {
		return r, nil
	}
	if r.FileLimit, err = grill.RaiseFileLimit(); err != nil {
		r.FileLimit, err = 0, nil // a low limit shows later as failed dials, with their cause
	}
	for _, m := range calls {
		if _, ok := r.grills[m.Name]; ok {
			continue
		}
		g, err := r.startGrill(ctx, m)
		if err != nil {
			return nil, err
		}
		r.grills[m.Name] = g
	}
	if len(calls) > 0 {
		for _, g := range r.grills {
			if r.CallRTT, err = measureRTT(g.ctl); err != nil {
				return nil, fmt.Errorf("bench: measuring the round trip to %s: %w", g.ep.Addr, err)
			}
			break
		}
	}
	if len(reads) > 0 {
		var maxRead int64
		for _, m := range reads {
			maxRead = max(maxRead, m.MaxRead())
		}
		r.pantry, err = kitchen.CreatePantry(kitchen.PantryOptions{Dir: opt.PantryDir, Size: opt.PantrySize, Direct: opt.PantryDirect, Seed: reads[0].Seed})
		if err != nil {
			return nil, err
		}
		for _, m := range reads {
			if err := r.pantry.CheckMenu(m); err != nil {
				return nil, err
			}
		}
		if r.ReadNsPerKiB, err = measureReads(r.pantry, maxRead); err != nil {
			return nil, fmt.Errorf("bench: measuring pantry reads: %w", err)
		}
	}
	return r, nil
}

// startGrill starts (or, with opt.Grill, checks) the grill service of m.
func (r *Rig) startGrill(ctx context.Context, m *kitchen.Menu) (*rigGrill, error) {
	if r.opt.Grill != "" {
		if r.shared == nil {
			g := &rigGrill{ep: kitchen.GrillEndpoint{Addr: r.opt.Grill, Token: r.opt.GrillToken, Timeout: r.opt.CallTimeout}}
			var err error
			if g.ctl, err = grill.Dial(ctx, g.ep.Addr, grill.DialOptions{Token: g.ep.Token}); err != nil {
				return nil, fmt.Errorf("bench: --grill %s: %w", r.opt.Grill, err)
			}
			r.shared = g
		}
		info := r.shared.ctl.Info()
		switch {
		case info.Grills != m.Grills:
			return nil, fmt.Errorf("bench: --grill %s has %d grills but menu %q has %d: start it with --grills %d", r.opt.Grill, info.Grills, m.Name, m.Grills, m.Grills)
		case info.MaxReply < m.MaxReply():
			return nil, fmt.Errorf("bench: --grill %s answers at most %d bytes but menu %q asks %d: start it with --max-reply %d", r.opt.Grill, info.MaxReply, m.Name, m.MaxReply(), m.MaxReply())
		case info.MaxConns < m.Customers+8:
			return nil, fmt.Errorf("bench: --grill %s keeps at most %d connections but menu %q has %d customers: start it with --max-conns %d", r.opt.Grill, info.MaxConns, m.Name, m.Customers, 2*m.Customers+64)
		}
		return r.shared, nil
	}
	var maxHold time.Duration
	for _, d := range m.Dishes {
		for _, s := range d.Steps {
			if s.Kind == kitchen.Call {
				maxHold = max(maxHold, s.Wait)
			}
		}
	}
	args := []string{
		"--max-conns", strconv.Itoa(max(grill.DefaultMaxConns, 2*m.Customers+64)),
		"--max-reply", strconv.Itoa(max(grill.DefaultMaxReply, m.MaxReply())),
		"--max-hold", max(grill.DefaultMaxHold, maxHold).String(),
	}
	child, err := grill.Start(ctx, grill.ChildOptions{
		Exe: r.opt.GrillExe, Grills: m.Grills, Procs: r.opt.GrillProcs,
		Args: append(args, r.opt.GrillArgs...), Stderr: r.opt.Stderr,
	})
	if err != nil {
		return nil, fmt.Errorf("bench: grill service for menu %q: %w", m.Name, err)
	}
	addCompanion(child.Pid())
	g := &rigGrill{child: child, ep: kitchen.GrillEndpoint{Addr: child.Addr(), Timeout: r.opt.CallTimeout}}
	if g.ctl, err = grill.Dial(ctx, g.ep.Addr, grill.DialOptions{}); err != nil {
		child.Stop()
		removeCompanion(child.Pid())
		return nil, fmt.Errorf("bench: grill service for menu %q: %w", m.Name, err)
	}
	return g, nil
}

// Equip gives k the grill service and the pantry its menu needs.
func (r *Rig) Equip(k *kitchen.Kitchen) error {
	m := k.Menu
	if m.HasKind(kitchen.Call) {
		g, ok := r.grills[m.Name]
		if !ok {
			return fmt.Errorf("bench: menu %q has call steps but no grill service was started for it", m.Name)
		}
		ep := g.ep
		k.Grill = &ep
	}
	if m.HasKind(kitchen.Read) {
		if r.pantry == nil {
			return fmt.Errorf("bench: menu %q has read steps but no pantry was made", m.Name)
		}
		if err := r.pantry.CheckMenu(m); err != nil {
			return err
		}
		p := *r.pantry // the same file, offsets from this menu's seed; only r.pantry is closed
		p.Seed = m.Seed
		k.Pantry = &p
	}
	return nil
}

// GrillCPU returns the CPU time the grill service of menu has used so
// far, as it reports it; false when the menu has no service.
func (r *Rig) GrillCPU(menu string) (time.Duration, bool) {
	g, ok := r.grills[menu]
	if !ok || g.ctl == nil {
		return 0, false
	}
	st, err := g.ctl.Stats()
	if err != nil {
		return 0, false
	}
	return st.CPU, true
}

// Pantry returns the pantry, nil when no menu reads.
func (r *Rig) Pantry() *kitchen.Pantry { return r.pantry }

// Services describes the grill services, one line each, for logs.
func (r *Rig) Services() []string {
	var out []string
	for name, g := range r.grills {
		if g.child != nil {
			out = append(out, fmt.Sprintf("menu %s: grill service pid %d on %s", name, g.child.Pid(), g.ep.Addr))
		} else {
			out = append(out, fmt.Sprintf("menu %s: grill service at %s", name, g.ep.Addr))
		}
	}
	slices.Sort(out)
	return out
}

// Close stops the children and removes the pantry. It may be called more
// than once.
func (r *Rig) Close() error {
	if r == nil {
		return nil
	}
	var errs []error
	seen := map[*rigGrill]bool{}
	for _, g := range r.grills {
		if seen[g] {
			continue
		}
		seen[g] = true
		if g.ctl != nil {
			g.ctl.Close()
		}
		if g.child != nil {
			errs = append(errs, g.child.Stop())
			removeCompanion(g.child.Pid())
		}
	}
	if r.shared != nil && !seen[r.shared] && r.shared.ctl != nil {
		r.shared.ctl.Close()
	}
	r.grills, r.shared = map[string]*rigGrill{}, nil
	if r.pantry != nil {
		errs = append(errs, r.pantry.Close())
		r.pantry = nil
	}
	return errors.Join(errs...)
}

// measureRTT returns the median of 201 timed round trips of empty calls,
// after 50 untimed ones.
func measureRTT(c *grill.Conn) (time.Duration, error) {
	ts := make([]time.Duration, 0, 201)
	for i := 0; i < 251; i++ {
		t0 := time.Now()
		if err := c.Call(0, 0); err != nil {
			return 0, err
		}
		if i >= 50 {
			ts = append(ts, time.Since(t0))
		}
	}
	slices.Sort(ts)
	return ts[len(ts)/2], nil
}

// measureReads returns the median time per KiB of 101 reads of n bytes at
// the pantry's offsets, after 20 untimed ones.
func measureReads(p *kitchen.Pantry, n int64) (float64, error) {
	buf := p.Buffer(n)
	ts := make([]float64, 0, 101)
	for i := 0; i < 121; i++ {
		off := p.Offset(int64(i), 0, n)
		t0 := time.Now()
		if _, err := p.File.ReadAt(buf, off); err != nil && !errors.Is(err, io.EOF) {
			return 0, err
		}
		if i >= 20 {
			ts = append(ts, float64(time.Since(t0)))
		}
	}
	slices.Sort(ts)
	return ts[len(ts)/2] / (float64(p.ReadLen(n)) / 1024), nil
}

// GrillChildMain makes a test binary serve as a grill service child: when
// this process was started as one (its first argument is "grill-server",
// as grill.Start runs its Exe), it serves until SIGTERM or SIGINT and exits;
// otherwise it returns at once. Call it first in TestMain of a package
// whose tests or benchmarks run menus with call steps through a Rig with
// the default GrillExe (the test binary itself). `kitchen run` needs none
// of this: its children are `kitchen grill-server`.
func GrillChildMain() {
	if len(os.Args) < 2 || os.Args[1] != "grill-server" {
		return
	}
	os.Exit(serveGrillChild(os.Args[2:]))
}

func serveGrillChild(args []string) int {
	fs := flag.NewFlagSet("grill-server", flag.ContinueOnError)
	listen := fs.String("listen", "127.0.0.1:0", "")
	var o grill.Options
	fs.IntVar(&o.Grills, "grills", 1, "")
	fs.IntVar(&o.MaxReply, "max-reply", 0, "")
	fs.DurationVar(&o.MaxHold, "max-hold", 0, "")
	fs.IntVar(&o.MaxConns, "max-conns", 0, "")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	o.Token = os.Getenv(grill.TokenEnv)
	grill.RaiseFileLimit()
	srv, err := grill.NewServer(o)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	ln, err := srv.Listen(*listen)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	fmt.Printf("%s%s\n", grill.ListeningPrefix, ln.Addr())
	go srv.Serve(ln)
	<-sigs
	srv.Close()
	fmt.Println(srv.Stats())
	return 0
}
