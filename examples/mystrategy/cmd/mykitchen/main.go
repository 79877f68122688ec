// Command mykitchen is the whole kitchen CLI with one more strategy,
// mystrategy.Semaphore, registered as "semaphore": every subcommand (run,
// compare, report, advise, check --against ...) knows it.
//
//	go run ./examples/mystrategy/cmd/mykitchen run --menus banquet --strategies semaphore,pool --cores 1,2
package main

import (
	"context"
	"os"

	"github.com/kitchenbench/kitchenbench/cli"
	"github.com/kitchenbench/kitchenbench/examples/mystrategy"
	"github.com/kitchenbench/kitchenbench/strategies"
)

func init() {
	strategies.Register("semaphore", func() strategies.Strategy { return mystrategy.Semaphore{} })
}

func main() {
	os.Exit(cli.Main(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}
