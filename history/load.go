package history

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/geosim/geosim/internal/suggest"
)

// Error is one problem in a record file: "file:line: column: message".
// Line is 0 for a problem with the whole file; Column is empty for one
// with a whole row.
type Error struct {
	File   string
	Line   int
	Column string
	Msg    string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	if e.Column != "" {
		b.WriteString(e.Column + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// ErrorList is every problem found, in file and line order.
type ErrorList []*Error

func (l ErrorList) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// maxProblems bounds the problems reported per file: a file that is not
// a record at all should not print a million lines.
const maxProblems = 200

// Options control validation.
type Options struct {
	// Cutoff is the last date an event may have (an event dated by month
	// only counts as the month's last day). Zero means DefaultCutoff.
	Cutoff time.Time
}

func (o Options) cutoff() time.Time {
	if o.Cutoff.IsZero() {
		return DefaultCutoff
	}
	return o.Cutoff
}

// Load reads and validates record files. Every problem in every file is
// reported at once, as an ErrorList.
func Load(opts Options, files ...string) (*Record, error) {
	r := &Record{}
	var all ErrorList
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			msg := err.Error()
			var pe *os.PathError
			if errors.As(err, &pe) {
				msg = "cannot read: " + pe.Err.Error()
			}
			all = append(all, &Error{File: f, Msg: msg})
			continue
		}
		events, errs := parse(f, data, opts)
		all = append(all, errs...)
		r.Files = append(r.Files, f)
		r.Events = append(r.Events, events...)
	}
	if len(all) > 0 {
		return nil, all
	}
	return r, nil
}

// Parse reads and validates one record file from memory; name is used
// in messages.
func Parse(name string, data []byte, opts Options) (*Record, error) {
	events, errs := parse(name, data, opts)
	if len(errs) > 0 {
		return nil, errs
	}
	return &Record{Files: []string{name}, Events: events}, nil
}

// IsRecord reports whether data looks like a record file: its first line
// is the record header (a byte-order mark and surrounding spaces
// allowed). geosim validate uses it to tell records from scenarios.
func IsRecord(data []byte) bool {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	line, _, _ := bytes.Cut(data, []byte("\n"))
	return string(bytes.TrimSpace(line)) == strings.Join(Header, ",")
}

// sortKey orders rows: date (as written, so a month-only date sorts
// before the days of its month), then type, then actor.
type sortKey struct{ date, typ, actor string }

func (k sortKey) less(o sortKey) bool {
	if k.date != o.date {
		return k.date < o.date
	}
	if k.typ != o.typ {
		return k.typ < o.typ
	}
	return k.actor < o.actor
}

func parse(name string, data []byte, opts Options) ([]Event, ErrorList) {
	var errs ErrorList
	add := func(line int, col, format string, args ...any) {
		errs = append(errs, &Error{File: name, Line: line, Column: col, Msg: fmt.Sprintf(format, args...)})
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if len(bytes.TrimSpace(data)) == 0 {
		add(0, "", "the file is empty; a record file starts with the header %s", strings.Join(Header, ","))
		return nil, errs
	}
	if !utf8.Valid(data) || bytes.IndexByte(data, 0) >= 0 {
		add(0, "", "not UTF-8 text (a record is a UTF-8 CSV file)")
		return nil, errs
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		add(1, "", "cannot read the header: %v", csvMessage(err))
		return nil, errs
	}
	if !slices.Equal(head, Header) {
		add(1, "", "the header must be exactly %s, got %s", strings.Join(Header, ","), strings.Join(head, ","))
		return nil, errs
	}
	cutoff := opts.cutoff()
	var events []Event
	var prev sortKey
	havePrev := false
	for {
		if len(errs) >= maxProblems {
			add(0, "", "too many problems; stopped after %d", maxProblems)
			break
		}
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				add(pe.StartLine, "", "CSV: %v", csvMessage(pe.Err))
				continue
			}
			add(0, "", "%v", err)
			break
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(Header) {
			add(line, "", "a row has %d fields (%s), got %d", len(Header), strings.Join(Header, ","), len(rec))
			continue
		}
		before := len(errs)
		e := Event{Actor: rec[1], Target: rec[2], Type: rec[3], Source: rec[5], Note: rec[6], File: name, Line: line, Count: 1}
		e.Date, e.MonthOnly = parseDate(rec[0])
		switch {
		case e.Date.IsZero():
			add(line, "date", "%q is not a date: write YYYY-MM-DD, or YYYY-MM when only the month is known", rec[0])
		case e.Date.Before(RecordStart):
			add(line, "date", "%s is before the record's start, %s", rec[0], RecordStart.Format(time.DateOnly))
		case lastDay(e).After(cutoff):
			add(line, "date", "%s is after the cut-off %s: nothing later may enter the record", rec[0], cutoff.Format(time.DateOnly))
		}
		if !slices.Contains(Actors, e.Actor) {
			add(line, "actor", "unknown actor %q (use one of %s)%s", e.Actor, strings.Join(Actors, ", "), suggest.Hint(e.Actor, Actors))
		}
		if e.Target != "" && !slices.Contains(Actors, e.Target) {
			add(line, "target", "unknown actor %q (use one of %s, or leave it empty)%s", e.Target, strings.Join(Actors, ", "), suggest.Hint(e.Target, Actors))
		}
		rule, known := rules[e.Type]
		if !known {
			add(line, "type", "unknown type %q (use one of %s)%s", e.Type, strings.Join(Types(), ", "), suggest.Hint(e.Type, Types()))
		} else {
			checkRule(rule, e, line, add)
		}
		if c := strings.TrimSpace(rec[4]); c != "" {
			n, err := strconv.Atoi(c)
			if err != nil || n < 1 {
				add(line, "count", "%q is not a positive whole number (leave it empty for 1)", rec[4])
			}
			e.Count = n
		}
		if strings.TrimSpace(e.Source) == "" {
			add(line, "source", "every row needs a source: publication and date, or a URL")
		}
		if key := (sortKey{rec[0], e.Type, e.Actor}); !e.Date.IsZero() { // an unreadable date cannot be placed in the order
			if havePrev && key.less(prev) {
				col := "actor"
				switch {
				case key.date != prev.date:
					col = "date"
				case key.typ != prev.typ:
					col = "type"
				}
				add(line, col, "out of order: rows are sorted by date, then type, then actor, and %s %s %s comes after %s %s %s",
					key.date, key.typ, key.actor, prev.date, prev.typ, prev.actor)
			}
			prev, havePrev = key, true
		}
		if len(errs) == before {
			events = append(events, e)
		}
	}
	return events, errs
}

func checkRule(rule typeRule, e Event, line int, add func(int, string, string, ...any)) {
	if !slices.Contains(Actors, e.Actor) {
		return
	}
	allowed := rule.actors
	if len(allowed) > 0 && !slices.Contains(allowed, e.Actor) {
		add(line, "actor", "a %s has actor %s, got %s", e.Type, strings.Join(allowed, " or "), e.Actor)
	}
	switch {
	case rule.none && e.Target != "":
		add(line, "target", "a %s has no target: leave it empty", e.Type)
	case !rule.none && e.Target == "":
		add(line, "target", "a %s needs a target (%s)", e.Type, strings.Join(rule.targets, ", "))
	case !rule.none && slices.Contains(Actors, e.Target) && !slices.Contains(rule.targets, e.Target):
		add(line, "target", "a %s has target %s, got %s", e.Type, strings.Join(rule.targets, " or "), e.Target)
	case !rule.none && e.Target == e.Actor:
		add(line, "target", "actor and target are both %s", e.Actor)
	}
}

// parseDate accepts YYYY-MM-DD and YYYY-MM, exactly.
func parseDate(s string) (time.Time, bool) {
	switch len(s) {
	case len("2006-01-02"):
		if t, err := time.Parse(time.DateOnly, s); err == nil {
			return t, false
		}
	case len("2006-01"):
		if t, err := time.Parse("2006-01", s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// lastDay is the latest day the event may have happened on.
func lastDay(e Event) time.Time {
	if e.MonthOnly {
		return e.Date.AddDate(0, 1, -1)
	}
	return e.Date
}

func csvMessage(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
