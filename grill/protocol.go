package grill

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"
)

// Protocol constants; see the package doc.
const (
	Version = 1 // the protocol version this package speaks

	OpHello = 1 // request op: hello, carrying the token
	OpCall  = 2 // request op: hold, then reply
	OpStats = 3 // request op: the server's counters

	StatusOK           = 0
	StatusMalformed    = 1
	StatusVersion      = 2
	StatusOverCap      = 3
	StatusUnauthorized = 4
	StatusBusy         = 5

	MaxToken   = 256 // the longest token a hello may carry
	MaxMessage = 256 // the longest error message a reply carries

	CallFrameLen  = 4 + 14 // bytes on the wire for one call request
	ReplyHeadLen  = 4 + 1  // bytes before a reply's payload
	infoLen       = 24     // payload of a hello's ok reply
	minFrameLimit = 2 + MaxToken
)

// AppendCall appends a call request holding hold and asking for reply
// bytes to b.
func AppendCall(b []byte, hold time.Duration, reply int) []byte {
	b = binary.BigEndian.AppendUint32(b, 14)
	b = append(b, Version, OpCall)
	b = binary.BigEndian.AppendUint64(b, uint64(max(hold, 0)))
	return binary.BigEndian.AppendUint32(b, uint32(reply))
}

// AppendHello appends a hello request carrying token to b.
func AppendHello(b []byte, token string) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(2+len(token)))
	b = append(b, Version, OpHello)
	return append(b, token...)
}

// AppendStats appends a stats request to b.
func AppendStats(b []byte) []byte {
	b = binary.BigEndian.AppendUint32(b, 2)
	return append(b, Version, OpStats)
}

// ParseReplyHeader reads a reply's first ReplyHeadLen bytes: its status
// and the number of payload bytes that follow. It refuses a payload longer
// than limit, so that a client never reads more than it asked for.
func ParseReplyHeader(h []byte, limit int) (status byte, payload int, err error) {
	if len(h) < ReplyHeadLen {
		return 0, 0, fmt.Errorf("grill: reply header of %d bytes, want %d", len(h), ReplyHeadLen)
	}
	l := binary.BigEndian.Uint32(h)
	if l == 0 {
		return 0, 0, errors.New("grill: reply frame of length 0")
	}
	if int64(l)-1 > int64(limit) {
		return 0, 0, fmt.Errorf("grill: reply of %d bytes, more than the %d expected", l-1, limit)
	}
	return h[4], int(l - 1), nil
}

// Info is what a server tells a client in answer to its hello.
type Info struct {
	Grills   int           // calls held at once; the rest wait in FIFO order
	MaxReply int           // largest reply size a call may ask
	MaxHold  time.Duration // longest hold a call may ask
	MaxFrame int           // largest request frame
	MaxConns int           // connections kept at once
}

func (i Info) append(b []byte) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(i.Grills))
	b = binary.BigEndian.AppendUint32(b, uint32(i.MaxReply))
	b = binary.BigEndian.AppendUint64(b, uint64(i.MaxHold))
	b = binary.BigEndian.AppendUint32(b, uint32(i.MaxFrame))
	return binary.BigEndian.AppendUint32(b, uint32(i.MaxConns))
}

func parseInfo(b []byte) (Info, error) {
	if len(b) < infoLen {
		return Info{}, fmt.Errorf("grill: hello reply of %d bytes, want %d", len(b), infoLen)
	}
	return Info{
		Grills:   int(binary.BigEndian.Uint32(b)),
		MaxReply: int(binary.BigEndian.Uint32(b[4:])),
		MaxHold:  time.Duration(binary.BigEndian.Uint64(b[8:])),
		MaxFrame: int(binary.BigEndian.Uint32(b[16:])),
		MaxConns: int(binary.BigEndian.Uint32(b[20:])),
	}, nil
}

// ServerError is an error reply from the server: the status and its
// message. The server closes the connection after sending one. The
// client's errors wrap it with the server's address.
type ServerError struct {
	Status  byte
	Message string
}

func (e *ServerError) Error() string {
	return fmt.Sprintf("server refused (%s): %s", statusName(e.Status), e.Message)
}

func statusName(s byte) string {
	switch s {
	case StatusOK:
		return "ok"
	case StatusMalformed:
		return "malformed"
	case StatusVersion:
		return "unknown version"
	case StatusOverCap:
		return "over a cap"
	case StatusUnauthorized:
		return "unauthorized"
	case StatusBusy:
		return "busy"
	}
	return fmt.Sprintf("status %d", s)
}

// appendError appends an error reply with status and message (cut to
// MaxMessage bytes) to b.
func appendError(b []byte, status byte, msg string) []byte {
	if len(msg) > MaxMessage {
		msg = msg[:MaxMessage]
	}
	b = binary.BigEndian.AppendUint32(b, uint32(1+len(msg)))
	b = append(b, status)
	return append(b, msg...)
}
