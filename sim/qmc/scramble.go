package qmc

// tailBits is the number of random digits appended after the 32
// scrambled ones: 32 + 20 = 52 digits make a float64 in (0, 1) exactly.
const tailBits = 20

// golden is 2^64 divided by the golden ratio, the SplitMix64 increment.
const golden = 0x9e3779b97f4a7c15

// mix is the SplitMix64 finaliser (Steele, Lea & Flood 2014): a
// bijection of 64-bit words whose outputs pass BigCrush when fed
// consecutive multiples of golden.
func mix(z uint64) uint64 {
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// owen applies Owen's nested uniform scramble with key to the 32 digits
// x of one coordinate and returns 52 digits: the 32 scrambled ones then
// tailBits random ones.
//
// Digit k (k = 0 the most significant) is flipped by a random bit that
// depends on the key and on the node of the binary tree of intervals the
// point has reached, identified by 1 followed by its first k digits;
// the tail digits depend on the full 32-digit path. Distinct nodes get
// distinct hash inputs key + node·golden, i.e. distinct terms of a
// SplitMix64 stream.
func owen(x uint32, key uint64) uint64 {
	var flips uint32
	for k := 0; k < Bits; k++ {
		node := uint64(1)<<k | uint64(x)>>(Bits-k)
		flips |= uint32(mix(key+node*golden)>>63) << (Bits - 1 - k)
	}
	tail := mix(key+(uint64(1)<<Bits|uint64(x))*golden) >> (64 - tailBits)
	return uint64(x^flips)<<tailBits | tail
}
