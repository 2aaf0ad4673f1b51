//go:build !unix

package scenario

import "testing"

func makeFIFO(t *testing.T, dir string) string { return "" }
