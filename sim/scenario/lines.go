package scenario

import (
	"strconv"
	"strings"

	"github.com/geosim/geosim/sim"
)

// lineIndex maps dotted key paths to the line where the key is written.
// BurntSushi/toml reports positions only for syntax errors, so semantic
// errors find their line here. The scanner understands just enough TOML
// to find keys: table headers, dotted and quoted keys, strings of every
// kind, arrays and inline tables (whose keys it records too). It runs
// only on documents the TOML parser has accepted.
type lineIndex map[string]int

func indexLines(src string) lineIndex {
	s := &scanner{src: src, line: 1, idx: lineIndex{}}
	s.document()
	return s.idx
}

// line returns the line of path, or of its longest recorded prefix, or 0.
func (ix lineIndex) line(path string) int {
	for p := path; p != ""; {
		if l, ok := ix[p]; ok {
			return l
		}
		cut := strings.LastIndexByte(p, '.')
		if cut < 0 {
			break
		}
		p = p[:cut]
	}
	return 0
}

type scanner struct {
	src  string
	pos  int
	line int
	idx  lineIndex
}

func (s *scanner) peek() byte {
	if s.pos < len(s.src) {
		return s.src[s.pos]
	}
	return 0
}

func (s *scanner) next() byte {
	c := s.peek()
	if c == '\n' {
		s.line++
	}
	s.pos++
	return c
}

func (s *scanner) record(path []string, line int) {
	key := sim.PathKey(path...)
	if _, ok := s.idx[key]; !ok {
		s.idx[key] = line
	}
}

// skipSpace skips blanks, comments and (if newlines) line breaks.
func (s *scanner) skipSpace(newlines bool) {
	for s.pos < len(s.src) {
		switch c := s.peek(); {
		case c == ' ' || c == '\t' || c == '\r':
			s.next()
		case c == '\n' && newlines:
			s.next()
		case c == '#':
			for s.pos < len(s.src) && s.peek() != '\n' {
				s.next()
			}
		default:
			return
		}
	}
}

func (s *scanner) document() {
	var table []string
	arrays := map[string]int{}
	for {
		s.skipSpace(true)
		if s.pos >= len(s.src) {
			return
		}
		if s.peek() == '[' {
			line := s.line
			s.next()
			isArray := s.peek() == '['
			if isArray {
				s.next()
			}
			s.skipSpace(false)
			table = s.key()
			for s.pos < len(s.src) && s.peek() != '\n' {
				s.next()
			}
			if isArray {
				k := sim.PathKey(table...)
				n := arrays[k]
				arrays[k] = n + 1
				last := len(table) - 1
				table = append(table[:last:last], table[last]+"["+strconv.Itoa(n)+"]")
			}
			for i := range table {
				s.record(table[:i+1], line)
			}
			continue
		}
		s.keyValue(table)
	}
}

// keyValue reads `key = value` inside table prefix.
func (s *scanner) keyValue(prefix []string) {
	line := s.line
	key := s.key()
	if len(key) == 0 {
		s.next() // not a key: skip a byte so that scanning always advances
		return
	}
	path := append(append([]string(nil), prefix...), key...)
	for i := len(prefix); i < len(path); i++ {
		s.record(path[:i+1], line)
	}
	s.skipSpace(false)
	if s.peek() == '=' {
		s.next()
	}
	s.skipSpace(false)
	s.value(path)
}

// key reads a possibly dotted, possibly quoted key.
func (s *scanner) key() []string {
	var parts []string
	for {
		s.skipSpace(false)
		var part string
		switch c := s.peek(); {
		case c == '"' || c == '\'':
			part = s.quoted()
		case isBare(c):
			start := s.pos
			for isBare(s.peek()) {
				s.next()
			}
			part = s.src[start:s.pos]
		default:
			return parts
		}
		parts = append(parts, part)
		s.skipSpace(false)
		if s.peek() != '.' {
			return parts
		}
		s.next()
	}
}

func isBare(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// quoted reads a single-line basic or literal string and returns its
// content (escapes other than \" and \\ are kept as written; keys here
// do not use them).
func (s *scanner) quoted() string {
	q := s.next()
	var b strings.Builder
	for s.pos < len(s.src) {
		c := s.next()
		switch {
		case c == q:
			return b.String()
		case c == '\\' && q == '"':
			b.WriteByte(s.next())
		case c == '\n':
			return b.String()
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// value skips a value, recording the keys of inline tables.
func (s *scanner) value(path []string) {
	switch c := s.peek(); {
	case c == '{':
		s.next()
		for {
			s.skipSpace(true)
			switch s.peek() {
			case '}':
				s.next()
				return
			case ',':
				s.next()
			case 0:
				return
			default:
				s.keyValue(path)
			}
		}
	case c == '[':
		s.next()
		for {
			s.skipSpace(true)
			switch s.peek() {
			case ']':
				s.next()
				return
			case ',':
				s.next()
			case 0:
				return
			default:
				s.value(path)
			}
		}
	case c == '"' || c == '\'':
		if strings.HasPrefix(s.src[s.pos:], string([]byte{c, c, c})) {
			s.pos += 3
			for s.pos < len(s.src) && !strings.HasPrefix(s.src[s.pos:], string([]byte{c, c, c})) {
				if s.next() == '\\' && c == '"' {
					s.next()
				}
			}
			s.pos += 3
			for s.peek() == c { // up to two quotes may end the content
				s.next()
			}
			return
		}
		s.quoted()
	default:
		for s.pos < len(s.src) {
			switch s.peek() {
			case ',', ']', '}', '\n', '#':
				return
			}
			s.next()
		}
	}
}
