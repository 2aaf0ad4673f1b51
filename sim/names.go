package sim

import (
	"regexp"
	"slices"
	"strings"
)

// identPattern is what an id or name declared in a scenario may look
// like: letters, digits and '_', starting with a letter. Ids end up in
// runs.csv column names (outcome and event names, shock names, the
// actors, actions, links and signals in parameter paths), and with this
// alphabet every column is a syntactic name in R and a plain name in
// pandas: read.csv keeps it as written, no reader needs quotes.
var identPattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)

// namePattern is what a scenario's name (an output folder name) may look
// like: '-' is allowed too.
var namePattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]*$`)

// ReservedNames may not name an outcome or an event, whose names are bare
// runs.csv columns: "run" is the run index column; the others are R's
// reserved words (read.csv renames such a column, "if" to "if.") and
// Python's keywords (no attribute access or query in pandas).
var ReservedNames = []string{
	"run",
	// R (?Reserved)
	"if", "else", "repeat", "while", "function", "for", "in", "next", "break",
	"TRUE", "FALSE", "NULL", "Inf", "NaN", "NA", "NA_integer_", "NA_real_", "NA_character_", "NA_complex_",
	// Python (keyword.kwlist)
	"False", "None", "True", "and", "as", "assert", "async", "await", "class", "continue", "def", "del",
	"elif", "except", "finally", "from", "global", "import", "is", "lambda", "nonlocal", "not", "or",
	"pass", "raise", "return", "try", "with", "yield",
}

// checkIdent records a problem when id is not a valid identifier for
// what (e.g. "actor id").
func (c *compiler) checkIdent(path, what, id string) bool {
	if identPattern.MatchString(id) {
		return true
	}
	c.probs.add(path, "%s %q: use letters, digits and '_', starting with a letter (it is part of runs.csv column names)", what, id)
	return false
}

// ColumnName returns the runs.csv column of a parameter path: the path
// without the quotes that set off a segment holding dots (a shock
// effect's target), e.g. shock.ceasefire.multiply.incentive.DPRK.RUS.deal.
// Segments are identifiers, so the result is unique among parameters and
// cannot equal an outcome or event name, which has no dot.
func ColumnName(path string) string { return strings.ReplaceAll(path, `"`, "") }

// checkColumns reports every runs.csv column name that is reserved or
// that two things would share: an outcome or event named like another's
// month column (an event e has the columns e and e_month), like a
// shock's column (shock_NAME_month), or "run".
func (c *compiler) checkColumns() {
	m := c.m
	owner := map[string]string{"run": "the run index"}
	claim := func(col, path, what string) {
		if prev, dup := owner[col]; dup {
			c.probs.add(path, "%s %s would be runs.csv column %s, which is already %s: rename one", what, path, col, prev)
			return
		}
		owner[col] = "the column of " + path
	}
	for _, o := range m.outcomes {
		path := PathKey("outcome", o.info.Name)
		if c.reserved(path, o.info.Name) {
			claim(o.info.Name, path, "outcome")
		}
	}
	for _, e := range m.events {
		path := PathKey("event", e.info.Name)
		if c.reserved(path, e.info.Name) {
			claim(e.info.Name, path, "event")
		}
	}
	for _, e := range m.events {
		path := PathKey("event", e.info.Name)
		claim(e.info.Name+"_month", path, "the month of first occurrence of")
	}
	for _, s := range m.shocks {
		path := PathKey("shock", s.name)
		claim("shock_"+s.name+"_month", path, "the month of")
	}
}

func (c *compiler) reserved(path, name string) bool {
	if slices.Contains(ReservedNames, name) {
		what := "an R or Python reserved word"
		if name == "run" {
			what = "the run index column of runs.csv"
		}
		c.probs.add(path, "the name %s is reserved (%s): choose another", name, what)
		return false
	}
	return true
}

// nameKey is the key under which a name is unique: names differ in more
// than case, since they also name files (dist-NAME.png) and some disks
// ignore case.
func nameKey(name string) string { return strings.ToLower(name) }

func (c *compiler) uniqueName(path, name string, seen map[string]string) bool {
	if !c.checkIdent(path, "name", name) {
		return false
	}
	if prev, dup := seen[nameKey(name)]; dup {
		if prev == path || strings.HasSuffix(prev, "."+name) {
			c.probs.add(path, "the name %s is already used by %s", name, prev)
		} else {
			c.probs.add(path, "the name %s differs only in case from %s (names also name files, and some disks ignore case)", name, prev)
		}
		return false
	}
	seen[nameKey(name)] = path
	return true
}
