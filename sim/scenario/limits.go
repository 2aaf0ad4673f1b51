package scenario

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Limits on the files geosim reads (scenarios, variants, experiments,
// resolutions). They are checked before a file is decoded, so that no
// file — a FIFO, a device, a huge file, a pathologically nested one —
// can make the loader hang or allocate without bound.
const (
	// MaxFileSize is the largest file accepted: 4 MiB, about 100 times
	// the flagship scenario.
	MaxFileSize = 4 << 20
	// MaxDepth is the deepest nesting accepted, counting tables, arrays,
	// inline tables and the segments of dotted keys: a scenario needs
	// about five levels. The TOML decoder's time and memory grow with
	// the square of the depth (10,000 levels took 42 s and 4.9 GB).
	MaxDepth = 32
)

// readFile reads a file of fsys with the checks above: a regular file
// (not a folder, FIFO, device or socket, which could block or never
// end), at most MaxFileSize bytes.
func readFile(fsys fs.FS, name string) ([]byte, error) {
	switch f := fsys.(type) {
	case mapFS:
		b, err := f.ReadFile(name)
		if err == nil && len(b) > MaxFileSize {
			return nil, tooLarge(int64(len(b)))
		}
		return b, err
	case osFS:
		return readOSFile(filepath.FromSlash(name))
	}
	info, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, err
	}
	if err := checkInfo(info); err != nil {
		return nil, err
	}
	return fs.ReadFile(fsys, name)
}

// readOSFile checks the file before opening it (opening a FIFO blocks
// until a writer appears) and reads at most MaxFileSize+1 bytes (the
// file may change in between).
func readOSFile(name string) ([]byte, error) {
	info, err := os.Stat(name)
	if err != nil {
		return nil, err
	}
	if err := checkInfo(info); err != nil {
		return nil, err
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if info, err := f.Stat(); err != nil {
		return nil, err
	} else if err := checkInfo(info); err != nil {
		return nil, err
	}
	b, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxFileSize {
		return nil, tooLarge(int64(len(b)))
	}
	return b, nil
}

// errLimit marks a file refused by a limit; its message is shown as is.
var errLimit = errors.New("limit")

type limitError struct{ msg string }

func (e *limitError) Error() string { return e.msg }
func (e *limitError) Unwrap() error { return errLimit }

func tooLarge(size int64) error {
	return &limitError{fmt.Sprintf("the file is %s; input files are limited to %s (a scenario is usually a few tens of KB)", bytesText(size), bytesText(MaxFileSize))}
}

func checkInfo(info fs.FileInfo) error {
	mode := info.Mode()
	var what string
	switch {
	case mode.IsRegular():
		if info.Size() > MaxFileSize {
			return tooLarge(info.Size())
		}
		return nil
	case mode.IsDir():
		what = "a folder"
	case mode&fs.ModeNamedPipe != 0:
		what = "a named pipe (FIFO)"
	case mode&fs.ModeDevice != 0:
		what = "a device"
	case mode&fs.ModeSocket != 0:
		what = "a socket"
	default:
		what = "not a regular file"
	}
	return &limitError{"is " + what + ", not a regular file: geosim reads scenario, experiment and resolutions files only from regular files"}
}

// bytesText formats a size for messages: "4 MiB", "38.1 MiB", "512 bytes".
func bytesText(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.3g GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.3g MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.3g KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// nestingDepth returns the deepest nesting in a TOML text — open
// brackets and braces plus the dots of the dotted key or value being
// read — and the line where it is first reached, without decoding. It
// skips comments and strings of every kind. Numbers with a decimal point
// count one level, which only overestimates slightly.
func nestingDepth(src []byte) (depth, line int) {
	open, dots := 0, 0
	ln := 1
	note := func() {
		if open+dots > depth {
			depth, line = open+dots, ln
		}
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '\n':
			ln++
			dots = 0
		case c == '#':
			for i+1 < len(src) && src[i+1] != '\n' {
				i++
			}
		case c == '"' || c == '\'':
			i, ln = skipString(src, i, ln)
		case c == '[' || c == '{':
			open++
			dots = 0
			note()
		case c == ']' || c == '}':
			if open > 0 {
				open--
			}
			dots = 0
		case c == '.':
			dots++
			note()
		case c == ' ' || c == '\t' || c == '_' || c == '-' || c == '+' || c == ':' ||
			c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			// part of a key, number or date: the dotted run goes on
		default:
			dots = 0
		}
	}
	return depth, line
}

// skipString returns the index of the last byte of the string starting
// at src[i] (a quote) and the line it ends on.
func skipString(src []byte, i, ln int) (int, int) {
	q := src[i]
	multi := i+2 < len(src) && src[i+1] == q && src[i+2] == q
	if multi {
		i += 3
		for ; i < len(src); i++ {
			switch {
			case src[i] == '\n':
				ln++
			case q == '"' && src[i] == '\\':
				i++
				if i < len(src) && src[i] == '\n' {
					ln++
				}
			case src[i] == q && i+2 < len(src) && src[i+1] == q && src[i+2] == q:
				// up to two more quotes may close the string (""""")
				i += 2
				for i+1 < len(src) && src[i+1] == q {
					i++
				}
				return i, ln
			}
		}
		return len(src), ln
	}
	for i++; i < len(src); i++ {
		switch {
		case src[i] == '\n':
			return i - 1, ln // unterminated: let the decoder report it
		case q == '"' && src[i] == '\\':
			i++
		case src[i] == q:
			return i, ln
		}
	}
	return len(src), ln
}
