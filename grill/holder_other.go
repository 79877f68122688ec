//go:build !linux

package grill

import (
	"errors"
	"time"
)

var errNotLinux = errors.New("grill: the grill service needs Linux (timerfd, epoll, PR_SET_PDEATHSIG); the client works anywhere")

type holder struct{ stats holdStats }

func newHolder(int) (*holder, error) { return nil, errNotLinux }
func (h *holder) start(*hold)        {}
func (h *holder) cancel(*hold)       {}
func (h *holder) close()             {}
func monoNow() int64                 { return time.Now().UnixNano() }
