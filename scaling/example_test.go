package scaling_test

import (
	"fmt"

	"github.com/kitchenbench/kitchenbench/scaling"
)

func Example() {
	// Throughput at 1, 2 and 4 cores, as measured on a small machine.
	points := []scaling.Point{{N: 1, X: 1000}, {N: 2, X: 1834.86}, {N: 4, X: 2877.70}}
	m, err := scaling.Fit(points)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("σ=%.3f κ=%.4f\n", m.Sigma, m.Kappa)
	if n, ok := m.PeakN(); ok {
		fmt.Printf("peak at %d cores: %.0f dishes/s (predicted)\n", n, m.Predict(float64(n)))
	}
	for _, p := range m.Predictions([]int{4, 8, 16}) {
		if !p.Measured {
			fmt.Printf("%d cores: %.0f dishes/s (predicted)\n", p.N, p.X)
		}
	}

	_, err = scaling.Fit(points[:2])
	fmt.Println(err)
	// Output:
	// σ=0.050 κ=0.0200
	// peak at 6 cores: 3243 dishes/s (predicted)
	// 8 cores: 3239 dishes/s (predicted)
	// 16 cores: 2443 dishes/s (predicted)
	// scaling: need at least 3 core counts, have 2
}
