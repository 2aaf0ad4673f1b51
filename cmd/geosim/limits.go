package main

import (
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/geosim/geosim/batch"
)

// sizeValue is a flag holding a byte count: "4GB", "512MB", "1.5GB",
// "800KB", a plain number of bytes, or "none" for no limit. Units are
// binary (1GB = 2^30 bytes); "GiB" and "G" are accepted too.
type sizeValue struct{ n *int64 }

func (v sizeValue) String() string {
	if v.n == nil {
		return ""
	}
	if *v.n < 0 {
		return "none"
	}
	return batch.Size(*v.n)
}

func (v sizeValue) Set(s string) error {
	n, err := parseSize(s)
	if err != nil {
		return err
	}
	*v.n = n
	return nil
}

func parseSize(s string) (int64, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	if t == "NONE" {
		return -1, nil
	}
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"TIB", 1 << 40}, {"TB", 1 << 40}, {"T", 1 << 40}, {"GIB", 1 << 30}, {"GB", 1 << 30}, {"G", 1 << 30},
		{"MIB", 1 << 20}, {"MB", 1 << 20}, {"M", 1 << 20}, {"KIB", 1 << 10}, {"KB", 1 << 10}, {"K", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.mult
			break
		}
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || !(f > 0) || f*float64(mult) > 1<<62 {
		return 0, fmt.Errorf("want a size such as 8GB or 500MB, or none, got %q", s)
	}
	return int64(f * float64(mult)), nil
}

// limitFlags adds -max-memory and -max-output (when output is true) to
// fs, filling l.
func limitFlags(fs *flag.FlagSet, l *batch.Limits, output bool) {
	l.Memory = batch.DefaultMaxMemory
	fs.Var(sizeValue{&l.Memory}, "max-memory", "refuse to start when the estimated memory exceeds this size (e.g. 8GB; none: no limit)")
	if output {
		l.Output = batch.DefaultMaxOutput
		fs.Var(sizeValue{&l.Output}, "max-output", "refuse to start when the estimated output exceeds this size (e.g. 50GB; none: no limit)")
	}
}
