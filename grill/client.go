package grill

import (
	"context"
	"fmt"
	"io"
	"net"
	"time"
)

// DialOptions configure Dial; the zero value is usable.
type DialOptions struct {
	Token   string        // sent in the hello; needed when the server requires one
	Timeout time.Duration // for the connection and the hello; default 10s
}

// Conn is a blocking client connection: one call at a time, as the
// protocol wants. A Conn is not safe for concurrent use; give each worker
// its own.
type Conn struct {
	c    net.Conn
	addr string
	info Info
	req  [CallFrameLen]byte
	head [ReplyHeadLen]byte
}

// Dial connects to the grill service at addr and says hello, with the
// token if any; the server's answer is in Info.
func Dial(ctx context.Context, addr string, opt DialOptions) (*Conn, error) {
	if opt.Timeout == 0 {
		opt.Timeout = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, opt.Timeout)
	defer cancel()
	var d net.Dialer
	nc, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("grill: dial %s: %w", addr, err)
	}
	c := &Conn{c: nc, addr: addr}
	if dl, ok := ctx.Deadline(); ok {
		nc.SetDeadline(dl)
	}
	if _, err := nc.Write(AppendHello(nil, opt.Token)); err != nil {
		nc.Close()
		return nil, fmt.Errorf("grill: hello to %s: %w", addr, err)
	}
	p, err := c.readReply(infoLen)
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("grill: hello to %s: %w", addr, err)
	}
	if c.info, err = parseInfo(p); err != nil {
		nc.Close()
		return nil, fmt.Errorf("grill: hello to %s: %w", addr, err)
	}
	nc.SetDeadline(time.Time{})
	return c, nil
}

// Info is what the server said in answer to the hello.
func (c *Conn) Info() Info { return c.info }

// Call asks the server to hold for hold, then reads its reply of reply
// bytes and discards it. After an error the connection is unusable.
func (c *Conn) Call(hold time.Duration, reply int) error {
	if hold < 0 || reply < 0 {
		return fmt.Errorf("grill: call to %s: negative hold %v or reply %d", c.addr, hold, reply)
	}
	if _, err := c.c.Write(AppendCall(c.req[:0], hold, reply)); err != nil {
		return fmt.Errorf("grill: call to %s: %w", c.addr, err)
	}
	status, n, err := c.readHead(reply)
	if err == nil && status == StatusOK && n != reply {
		err = fmt.Errorf("grill: reply of %d bytes, asked %d", n, reply)
	}
	if err == nil && status != StatusOK {
		err = c.serverError(status, n)
	}
	if err == nil {
		_, err = io.CopyN(io.Discard, c.c, int64(n))
	}
	if err != nil {
		return fmt.Errorf("grill: call to %s: %w", c.addr, err)
	}
	return nil
}

// Stats asks the server for its counters.
func (c *Conn) Stats() (Stats, error) {
	if _, err := c.c.Write(AppendStats(c.req[:0])); err != nil {
		return Stats{}, fmt.Errorf("grill: stats from %s: %w", c.addr, err)
	}
	p, err := c.readReply(64 << 10)
	if err != nil {
		return Stats{}, fmt.Errorf("grill: stats from %s: %w", c.addr, err)
	}
	return parseStats(p)
}

// SetDeadline sets the deadline of the calls to come; see net.Conn.
func (c *Conn) SetDeadline(t time.Time) error { return c.c.SetDeadline(t) }

// Close closes the connection.
func (c *Conn) Close() error { return c.c.Close() }

// readHead reads a reply header whose ok payload is at most limit bytes.
func (c *Conn) readHead(limit int) (status byte, n int, err error) {
	if _, err := io.ReadFull(c.c, c.head[:]); err != nil {
		return 0, 0, err
	}
	return ParseReplyHeader(c.head[:], max(limit, MaxMessage))
}

// readReply reads a whole ok reply of at most limit bytes.
func (c *Conn) readReply(limit int) ([]byte, error) {
	status, n, err := c.readHead(limit)
	if err != nil {
		return nil, err
	}
	if status != StatusOK {
		return nil, c.serverError(status, n)
	}
	p := make([]byte, n)
	_, err = io.ReadFull(c.c, p)
	return p, err
}

func (c *Conn) serverError(status byte, n int) error {
	msg := make([]byte, min(n, MaxMessage))
	io.ReadFull(c.c, msg)
	return &ServerError{Status: status, Message: string(msg)}
}
