//go:build linux

package grill_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kitchenbench/kitchenbench/grill"
)

// Serve two grills on loopback, make three calls and read the counters.
func Example() {
	srv, err := grill.ServeInProcess(grill.Options{Grills: 2}, "127.0.0.1:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Stop()

	c, err := grill.Dial(context.Background(), srv.Addr, grill.DialOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	fmt.Println("grills:", c.Info().Grills)
	for range 3 {
		if err := c.Call(time.Millisecond, 512); err != nil {
			fmt.Println(err)
			return
		}
	}
	var refused *grill.ServerError
	if err := c.Call(time.Hour, 512); errors.As(err, &refused) {
		fmt.Println("refused:", refused.Message)
	}
	st := srv.Stats()
	fmt.Println("calls:", st.Calls, "over the cap:", st.OverCap)
	// Output:
	// grills: 2
	// refused: hold 1h0m0s over the cap of 10s
	// calls: 3 over the cap: 1
}
