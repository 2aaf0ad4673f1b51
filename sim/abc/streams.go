package abc

import (
	"math/rand/v2"

	"github.com/geosim/geosim/sim/dist"
)

// Purposes separate the random streams that share a (seed, generation,
// index) counter: the proposal (parent choice and perturbation), the
// simulation, systematic resampling, and the harness's truth and data.
const (
	purposePropose  = 0x70726f70 // "prop"
	purposeSimulate = 0x73696d75 // "simu"
	purposeResample = 0x72657361 // "resa"
	purposeTruth    = 0x74727574 // "trut"
	purposeData     = 0x64617461 // "data"
	purposeCalib    = 0x63616c69 // "cali"
)

// splitmix64 is the output function of Steele, Lea & Flood's SplitMix64
// generator: a bijective mixer of 64-bit words (the same mixer package
// sim derives its counter-based uniforms with).
func splitmix64(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// StreamKey is the 64-bit key of the random stream that (seed,
// generation, index, purpose) selects. It depends on nothing else — not
// on the worker that evaluates the proposal, nor on when — which is what
// makes a calibration independent of the number of workers.
func StreamKey(seed uint64, generation int, index int64, purpose uint64) uint64 {
	return splitmix64(splitmix64(splitmix64(splitmix64(seed)^uint64(generation))^uint64(index)) ^ purpose)
}

// streamRand is a reusable generator reseeded in place for each stream
// (a fresh PCG per proposal would cost an allocation).
type streamRand struct {
	pcg *rand.PCG
	rng *rand.Rand
}

func newStreamRand() *streamRand {
	p := rand.NewPCG(0, 0)
	return &streamRand{pcg: p, rng: rand.New(p)}
}

// at reseeds the generator to the stream of key and returns it.
func (s *streamRand) at(key uint64) *rand.Rand {
	s.pcg.Seed(key, 0x6765_6f73_696d) // "geosim"
	return s.rng
}

// unit draws a uniform strictly inside (0, 1).
func unit(rng *rand.Rand) float64 { return dist.Unit(rng.Uint64()) }
