package abc

import "testing"

// Keys of nearby counters are all distinct, and each depends on the seed.
func TestStreamKeysDistinct(t *testing.T) {
	seen := map[uint64]bool{}
	for _, seed := range []uint64{0, 1, 2} {
		for gen := range 4 {
			for i := range int64(5000) {
				for _, purpose := range []uint64{purposePropose, purposeSimulate} {
					k := StreamKey(seed, gen, i, purpose)
					if seen[k] {
						t.Fatalf("key collision at seed %d generation %d index %d", seed, gen, i)
					}
					seen[k] = true
				}
			}
		}
	}
	a := newStreamRand().at(StreamKey(1, 2, 3, purposePropose)).Uint64()
	b := newStreamRand().at(StreamKey(1, 2, 3, purposePropose)).Uint64()
	s := newStreamRand()
	s.at(99).Uint64()
	c := s.at(StreamKey(1, 2, 3, purposePropose)).Uint64()
	if a != b || a != c {
		t.Error("a reseeded generator does not restart its stream")
	}
}
