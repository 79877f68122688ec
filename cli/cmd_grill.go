package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/kitchenbench/kitchenbench/grill"
	"github.com/kitchenbench/kitchenbench/internal/command"
)

func cmdGrillServer(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	fs := newFlags("grill-server", stderr)
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
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	if o.Token == "" {
		o.Token = os.Getenv(grill.TokenEnv)
	}
	if o.Grills < 1 {
		return command.Usage("--grills %d out of range [1, %d]", o.Grills, grill.LimitGrills) // 0 would take the default
	} else if err := o.Validate(); err != nil {
		return command.Usage("%v", err)
	}
	fds, err := grill.RaiseFileLimit()
	if err != nil {
		fmt.Fprintln(stderr, "kitchen:", err)
	}
	srv, err := grill.NewServer(o)
	if err != nil {
		return err // o is valid: the hold loop could not start
	}
	ln, err := srv.Listen(*listen)
	if err != nil {
		srv.Close()
		return command.Usage("%v", err)
	}
	return srv.ServeUntil(ctx, ln, stdout, fds)
}
