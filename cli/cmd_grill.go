package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"time"

	"github.com/kitchenbench/kitchenbench/grill"
)

const grillHelp = `Usage: kitchen grill-server [flags]

Serves the grill service: each call is held for the time it asks, on at
most --grills calls at once (the rest wait in FIFO order), then answered
with the number of bytes it asks. The protocol is documented in package
grill (go doc github.com/kitchenbench/kitchenbench/grill) and docs/grill.md.

It binds the loopback address unless told otherwise, and refuses to listen
beyond loopback without a shared token (--token, or the environment
variable KITCHEN_GRILL_TOKEN); clients without the token are refused. It
caps the frame size, the reply size, the hold time and the connections it
keeps, and closes connections that send garbage, stay silent or read too
slowly, counting each by kind. It prints its address, serves until SIGINT
or SIGTERM, then prints its counters and its CPU time.

Example:

	kitchen grill-server --grills 4
	KITCHEN_GRILL_TOKEN=s3cret kitchen grill-server --listen 0.0.0.0:7878 --grills 8 --max-conns 20000
`

func cmdGrillServer(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	fs := newFlags("grill-server", grillHelp, stderr)
	listen := fs.String("listen", "127.0.0.1:0", "`address` to listen on; beyond loopback needs a token")
	var o grill.Options
	fs.IntVar(&o.Grills, "grills", 1, "calls held at once, `N` >= 1")
	fs.StringVar(&o.Token, "token", "", "shared `secret` a client must send (default $"+grill.TokenEnv+")")
	fs.BoolVar(&o.RequireToken, "require-token", false, "require the token even on loopback")
	fs.IntVar(&o.MaxReply, "max-reply", grill.DefaultMaxReply, "the largest reply a call may ask, in `bytes`")
	fs.DurationVar(&o.MaxHold, "max-hold", grill.DefaultMaxHold, "longest hold a call may ask")
	fs.IntVar(&o.MaxConns, "max-conns", grill.DefaultMaxConns, "connections kept at once; more are refused")
	fs.IntVar(&o.MaxFrame, "max-frame", grill.DefaultMaxFrame, "the largest request frame, in `bytes`")
	fs.DurationVar(&o.ReadTimeout, "read-timeout", 60*time.Second, "longest wait for a whole request; silent clients are closed")
	fs.DurationVar(&o.WriteTimeout, "write-timeout", 10*time.Second, "longest wait for a client to take a reply")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("grill-server takes no arguments, got %q", fs.Args())
	}
	if o.Token == "" {
		o.Token = os.Getenv(grill.TokenEnv)
	}
	if o.Grills < 1 {
		return usageError("--grills %d: want at least 1", o.Grills)
	}
	fds, err := grill.RaiseFileLimit()
	if err != nil {
		fmt.Fprintln(stderr, "kitchen:", err)
	}
	srv, err := grill.NewServer(o)
	if err != nil {
		return usageError("%v", err)
	}
	ln, err := srv.Listen(*listen)
	if err != nil {
		srv.Close()
		return usageError("%v", err)
	}
	o = srv.Options()
	token := "none"
	if o.Token != "" {
		token = "required"
	}
	fmt.Fprintf(stdout, "%s%s (grills %d, max reply %d B, max hold %v, max conns %d, token %s, open-file limit %d, GOMAXPROCS %d)\n",
		grill.ListeningPrefix, ln.Addr(), o.Grills, o.MaxReply, o.MaxHold, o.MaxConns, token, fds, runtime.GOMAXPROCS(0))
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
	case err = <-served:
	}
	srv.Close()
	st := srv.Stats()
	user, sys := grill.CPUTime()
	fmt.Fprintln(stdout, st)
	fmt.Fprintf(stdout, "grill: cpu user %v, system %v\n", user.Round(time.Microsecond), sys.Round(time.Microsecond))
	return err
}
