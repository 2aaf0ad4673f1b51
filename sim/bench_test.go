package sim_test

import (
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/geosim/geosim/sim"
)

// BenchmarkWorkspaceRun: one flagship run (24 months, 6 actors) on one
// goroutine, including sampling the parameters; reports runs/s and the
// cost per actor-month.
func BenchmarkWorkspaceRun(b *testing.B) {
	m := flagship(b)
	ws := sim.NewWorkspace(m)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ws.Run(1, uint64(i))
	}
	perRun := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(1/perRun, "runs/s")
	b.ReportMetric(perRun*1e9/float64(m.Steps()*len(m.Actors())), "ns/actor-month")
}

// BenchmarkRun: the whole Monte Carlo runner — runs, accumulation and
// runs.csv formatting — with 1 and 2 workers.
func BenchmarkRun(b *testing.B) {
	m := flagship(b)
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			const runs = 20_000
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := sim.Run(context.Background(), m, sim.Config{Runs: runs, Seed: uint64(i), Workers: workers, Rows: io.Discard}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(runs*b.N)/b.Elapsed().Seconds(), "runs/s")
		})
	}
}

// BenchmarkChooseKernel: the choice kernels alone (pure Go and each
// assembly kernel the CPU has) on a month of the flagship's records.
func BenchmarkChooseKernel(b *testing.B) { sim.BenchChooseKernels(b, flagship(b)) }
