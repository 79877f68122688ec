package results_test

import (
	"fmt"
	"time"

	"github.com/kitchenbench/kitchenbench/results"
)

func ExampleHistogram() {
	// One histogram per cook, merged at the end.
	cooks := []*results.Histogram{results.NewHistogram(), results.NewHistogram()}
	for i := int64(1); i <= 1000; i++ {
		cooks[i%2].Record(i * int64(time.Microsecond))
	}
	var all results.Histogram
	for _, h := range cooks {
		all.Merge(h)
	}
	l := all.Latency()
	fmt.Println(all.Count(), results.FormatNs(l.P50), results.FormatNs(l.P99), results.FormatNs(l.Max))
	// Output: 1000 500µs 990µs 1.00ms
}
