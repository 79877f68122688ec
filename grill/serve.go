package grill

import (
	"context"
	"fmt"
	"io"
	"net"
	"runtime"
	"time"
)

// ServeUntil serves ln as `kitchen grill-server` does, until ctx ends or
// serving fails, then closes s. It first writes to out the line that
// Start waits for (ListeningPrefix, the address, then s's settings, the
// open-file limit fileLimit and GOMAXPROCS), and last s's counters and
// this process's CPU time. It returns Serve's error, nil after ctx ends.
func (s *Server) ServeUntil(ctx context.Context, ln net.Listener, out io.Writer, fileLimit uint64) error {
	o := s.Options()
	token := "none"
	if o.Token != "" {
		token = "required"
	}
	fmt.Fprintf(out, "%s%s (grills %d, max reply %d B, max hold %v, max conns %d, token %s, open-file limit %d, GOMAXPROCS %d)\n",
		ListeningPrefix, ln.Addr(), o.Grills, o.MaxReply, o.MaxHold, o.MaxConns, token, fileLimit, runtime.GOMAXPROCS(0))
	served := make(chan error, 1)
	go func() { served <- s.Serve(ln) }()
	var err error
	select {
	case <-ctx.Done():
	case err = <-served:
	}
	s.Close()
	user, sys := CPUTime()
	fmt.Fprintln(out, s.Stats())
	fmt.Fprintf(out, "grill: cpu user %v, system %v\n", user.Round(time.Microsecond), sys.Round(time.Microsecond))
	return err
}

// InProcess is a grill service serving in this process on a goroutine of
// its own: for tests, examples and programs that keep the service beside
// their kitchen rather than in a child process (Start).
type InProcess struct {
	*Server
	Addr   string // where it listens, host:port
	served chan error
}

// ServeInProcess starts a service with opt listening on addr (port 0
// picks a free one). Stop ends it.
func ServeInProcess(opt Options, addr string) (*InProcess, error) {
	s, err := NewServer(opt)
	if err != nil {
		return nil, err
	}
	ln, err := s.Listen(addr)
	if err != nil {
		s.Close() // NewServer started the hold loop
		return nil, err
	}
	p := &InProcess{Server: s, Addr: ln.Addr().String(), served: make(chan error, 1)}
	go func() { p.served <- s.Serve(ln) }()
	return p, nil
}

// Stop closes the service, waits for Serve to return and returns Serve's
// error. Call it once.
func (p *InProcess) Stop() error {
	p.Close()
	return <-p.served
}
