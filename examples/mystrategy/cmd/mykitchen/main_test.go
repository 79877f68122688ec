package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/kitchenbench/kitchenbench/cli"
)

// TestRunKnowsSemaphore: the CLI lists the registered strategy and runs it.
func TestRunKnowsSemaphore(t *testing.T) {
	var out, errb bytes.Buffer
	code := cli.Main(context.Background(), []string{"run", "--menus", "banquet", "--strategies", "semaphore,pool",
		"--cores", "1", "--count", "1", "--duration", "20ms", "--out", "-", "--format", "csv"}, &out, &errb)
	if code != 0 {
		t.Fatalf("mykitchen run = %d; want 0\n%s", code, errb.String())
	}
	if !strings.Contains(out.String(), "semaphore") || !strings.Contains(out.String(), "pool") {
		t.Errorf("run's table names no semaphore or pool row:\n%s", out.String())
	}
	out.Reset()
	errb.Reset()
	if code := cli.Main(context.Background(), []string{"run", "-h"}, &out, &errb); code != 0 {
		t.Fatalf("mykitchen run -h = %d; want 0", code)
	}
	if !strings.Contains(errb.String(), "semaphore") {
		t.Errorf("run -h does not list semaphore among the strategies:\n%s", errb.String())
	}
}
