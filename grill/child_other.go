//go:build !linux

package grill

import "syscall"

func childSupported() error { return errNotLinux }

func childSysProcAttr() *syscall.SysProcAttr { return nil }
