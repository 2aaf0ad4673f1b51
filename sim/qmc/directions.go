package qmc

import (
	_ "embed"
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// MaxDim is the largest dimension the embedded direction numbers allow.
const MaxDim = 1024

// Bits is the number of binary digits the sequence generates per
// coordinate; a sequence holds at most 2^Bits points.
const Bits = 32

// joeKuo is the first 1,024 lines of Joe & Kuo's new-joe-kuo-6.21201:
// a header, then for dimensions 2 to 1024 "d s a m_1 … m_s", where s is
// the degree of the primitive polynomial, a encodes its inner
// coefficients and m_k are the odd initial direction numbers, m_k < 2^k.
//
//go:embed new-joe-kuo-6.21201.first1024
var joeKuo string

// polynomial is one dimension's entry of the table.
type polynomial struct {
	degree int      // s
	coeffs uint32   // a: coefficients of x^{s-1} … x^1, most significant first
	m      []uint32 // initial direction numbers m_1 … m_s
}

var (
	tableOnce sync.Once
	table     []polynomial // index j-2 for dimension j
	tableErr  error
)

// parseTable reads the embedded table once; an error means the embedded
// file is corrupt, a build problem rather than a user's.
func parseTable() ([]polynomial, error) {
	tableOnce.Do(func() {
		lines := strings.Split(strings.TrimRight(joeKuo, "\n"), "\n")
		for n, line := range lines[1:] {
			f := strings.Fields(line)
			want := n + 2
			if len(f) < 4 {
				tableErr = fmt.Errorf("qmc: direction table line %d: %d fields", n+2, len(f))
				return
			}
			nums := make([]uint64, len(f))
			for i, s := range f {
				v, err := strconv.ParseUint(s, 10, 32)
				if err != nil {
					tableErr = fmt.Errorf("qmc: direction table line %d: %v", n+2, err)
					return
				}
				nums[i] = v
			}
			d, s, a := int(nums[0]), int(nums[1]), uint32(nums[2])
			if d != want || s < 1 || s >= Bits || len(nums) != 3+s || a >= 1<<(s-1) {
				tableErr = fmt.Errorf("qmc: direction table line %d is malformed: %q", n+2, line)
				return
			}
			p := polynomial{degree: s, coeffs: a}
			for k, v := range nums[3:] {
				if v%2 == 0 || v >= 1<<(k+1) {
					tableErr = fmt.Errorf("qmc: direction table line %d: m_%d = %d must be odd and below 2^%d", n+2, k+1, v, k+1)
					return
				}
				p.m = append(p.m, uint32(v))
			}
			table = append(table, p)
		}
		if len(table) != MaxDim-1 {
			tableErr = fmt.Errorf("qmc: direction table holds %d dimensions, want %d", len(table)+1, MaxDim)
		}
	})
	return table, tableErr
}

var (
	dirOnce sync.Once
	dirAll  [][Bits]uint32
	dirErr  error
)

// directions returns the direction numbers of the first dim dimensions,
// shared and read-only: v[j][k] is the (k+1)-th direction number of
// dimension j+1 as a left-aligned 32-bit binary fraction (Joe & Kuo
// 2008, section 2): v_k = m_k / 2^k for k ≤ s, and beyond, with a_i the
// polynomial's coefficients, v_k = a_1 v_{k−1} ⊕ … ⊕ a_{s−1} v_{k−s+1} ⊕
// v_{k−s} ⊕ (v_{k−s} / 2^s).
func directions(dim int) ([][Bits]uint32, error) {
	if dim < 1 || dim > MaxDim {
		return nil, fmt.Errorf("qmc: dimension %d outside 1..%d", dim, MaxDim)
	}
	dirOnce.Do(func() {
		polys, err := parseTable()
		if err != nil {
			dirErr = err
			return
		}
		v := make([][Bits]uint32, MaxDim)
		for k := range Bits {
			v[0][k] = 1 << (Bits - 1 - k)
		}
		for j := 1; j < MaxDim; j++ {
			p := polys[j-1]
			s := p.degree
			for k := 0; k < s; k++ {
				v[j][k] = p.m[k] << (Bits - 1 - k)
			}
			for k := s; k < Bits; k++ {
				x := v[j][k-s] ^ v[j][k-s]>>s
				for l := 1; l < s; l++ {
					if p.coeffs>>(s-1-l)&1 == 1 {
						x ^= v[j][k-l]
					}
				}
				v[j][k] = x
			}
		}
		dirAll = v
	})
	if dirErr != nil {
		return nil, dirErr
	}
	return dirAll[:dim:dim], nil
}
