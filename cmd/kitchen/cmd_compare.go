package main

import (
	"context"
	"io"
)

func cmdCompare(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	return usageError("compare: not yet")
}

func cmdCheck(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	return usageError("check: not yet")
}
