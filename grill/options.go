package grill

import (
	"errors"
	"fmt"
	"time"
)

// Options configure a Server. The zero value is usable: every zero field
// takes its default below.
type Options struct {
	Grills int // calls held at once, the rest wait in FIFO order; default 1

	// Token is the shared secret a client's hello must carry. When it is
	// set, every connection must say it; a server listening beyond
	// loopback refuses to start without one.
	Token string
	// RequireToken demands the token even on loopback (it must be set).
	RequireToken bool

	MaxFrame     int           // largest request frame, bytes after the length; default 1024, at least 258
	MaxReply     int           // largest reply a call may ask; default 64 KiB, at most 64 MiB
	MaxHold      time.Duration // longest hold a call may ask; default 10s, at most 1h
	MaxConns     int           // connections kept at once; default 4096
	ReadTimeout  time.Duration // the longest wait for a whole request frame; default 60s
	WriteTimeout time.Duration // the longest wait for a client to take a reply; default 10s
}

// Limits on Options.
const (
	DefaultMaxFrame = 1024
	DefaultMaxReply = 64 << 10
	DefaultMaxHold  = 10 * time.Second
	DefaultMaxConns = 4096
	LimitMaxReply   = 64 << 20
	LimitMaxHold    = time.Hour
	LimitMaxFrame   = 1 << 20
	LimitMaxConns   = 1 << 20
	LimitGrills     = 1 << 20
)

// withDefaults returns o with each zero field at its default.
func (o Options) withDefaults() Options {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	defD := func(v *time.Duration, d time.Duration) {
		if *v == 0 {
			*v = d
		}
	}
	def(&o.Grills, 1)
	def(&o.MaxFrame, DefaultMaxFrame)
	def(&o.MaxReply, DefaultMaxReply)
	def(&o.MaxConns, DefaultMaxConns)
	defD(&o.MaxHold, DefaultMaxHold)
	defD(&o.ReadTimeout, 60*time.Second)
	defD(&o.WriteTimeout, 10*time.Second)
	return o
}

// Validate reports the first field of o out of its range once the zero
// fields take their defaults: what NewServer would refuse (NewServer
// reports them all). The error starts with
// the flag of `kitchen grill-server` that sets the field ("--max-hold -1s
// out of range [0s, 1h0m0s]"), as the Validate methods of packages bench
// and advise do; NewServer's errors name the Options field instead
// ("grill: Options.MaxHold -1s out of range [0s, 1h0m0s]").
func (o Options) Validate() error {
	err := o.withDefaults().check(func(field string) string { return optionFlags[field] }, "")
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()[0] // the first, on one line, as the command's other errors are
	}
	return err
}

// optionFlags names the flag of `kitchen grill-server` that sets each
// field of Options.
var optionFlags = map[string]string{
	"Grills": "--grills", "Token": "--token", "RequireToken": "--require-token",
	"MaxFrame": "--max-frame", "MaxReply": "--max-reply", "MaxHold": "--max-hold", "MaxConns": "--max-conns",
	"ReadTimeout": "--read-timeout", "WriteTimeout": "--write-timeout",
}

// check reports every field of o out of its range, each error starting
// with prefix and the field's name as name gives it. Durations read as
// time.Duration prints them, never as nanoseconds.
func (o Options) check(name func(field string) string, prefix string) error {
	var errs []error
	bad := func(field, problem string) {
		errs = append(errs, errors.New(prefix+name(field)+" "+problem))
	}
	check := func(field string, v, lo, hi int) {
		if v < lo || v > hi {
			bad(field, fmt.Sprintf("%d out of range [%d, %d]", v, lo, hi))
		}
	}
	checkD := func(field string, v, lo, hi time.Duration) {
		if v < lo || v > hi {
			bad(field, fmt.Sprintf("%v out of range [%v, %v]", v, lo, hi))
		}
	}
	check("Grills", o.Grills, 1, LimitGrills)
	check("MaxFrame", o.MaxFrame, minFrameLimit, LimitMaxFrame)
	check("MaxReply", o.MaxReply, 0, LimitMaxReply)
	check("MaxConns", o.MaxConns, 1, LimitMaxConns)
	checkD("MaxHold", o.MaxHold, 0, LimitMaxHold)
	checkD("ReadTimeout", o.ReadTimeout, 1, time.Hour)
	checkD("WriteTimeout", o.WriteTimeout, 1, time.Hour)
	if len(o.Token) > MaxToken {
		bad("Token", fmt.Sprintf("of %d bytes, at most %d", len(o.Token), MaxToken))
	}
	if o.RequireToken && o.Token == "" {
		bad("RequireToken", "without "+name("Token"))
	}
	return errors.Join(errs...)
}
