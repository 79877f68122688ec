// Command kitchen runs the kitchenbench matrix and keeps, compares and
// gates its result tables: `kitchen help` lists its subcommands. It is
// package cli's Main; see that package to build it with strategies of
// your own.
package main

import (
	"context"
	"os"

	"github.com/kitchenbench/kitchenbench/cli"
)

func main() {
	os.Exit(cli.Main(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}
