package uml

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Pos is a position in a model file. Line and Col count from 1; zero means
// unknown.
type Pos struct {
	File string
	Line int
	Col  int
}

// String formats the position as file:line, the form editors and terminals
// turn into links. The column is left out because XMI lines are often one
// element long and the line is what a person needs.
func (p Pos) String() string {
	switch {
	case p.File == "" && p.Line == 0:
		return "-"
	case p.Line == 0:
		return p.File
	default:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
}

// Severity tells whether a diagnostic stops the model from being used.
type Severity int

const (
	// Error marks a problem that makes the model unusable as written.
	Error Severity = iota
	// Warning marks something suspicious that the reader worked around.
	Warning
)

// String returns "error" or "warning".
func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// MarshalText makes a Severity appear as its name in JSON.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Diagnostic is one problem found while reading or resolving a model.
type Diagnostic struct {
	Severity Severity
	Pos      Pos
	// ElementID is the id of the element concerned, when it has one.
	ElementID string
	// Element names the element concerned (its name or qualified name).
	Element string
	// Message is a plain sentence saying what is wrong.
	Message string

	// elem lets Graph.Finish replace Element with the qualified name, which
	// is known only once the whole graph is read.
	elem *Element
}

// String formats the diagnostic as "file:line: severity: message (element, id)".
func (d Diagnostic) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s: %s", d.Pos, d.Severity, d.Message)
	switch {
	case d.Element != "" && d.ElementID != "":
		fmt.Fprintf(&b, " (%s, id %s)", d.Element, d.ElementID)
	case d.Element != "":
		fmt.Fprintf(&b, " (%s)", d.Element)
	case d.ElementID != "":
		fmt.Fprintf(&b, " (id %s)", d.ElementID)
	}
	return b.String()
}

// Diagnostics is a list of problems, in file and line order once sorted.
type Diagnostics []Diagnostic

// HasErrors reports whether any diagnostic is an error.
func (ds Diagnostics) HasErrors() bool {
	return slices.ContainsFunc(ds, func(d Diagnostic) bool { return d.Severity == Error })
}

// Errors returns the number of errors.
func (ds Diagnostics) Errors() int {
	n := 0
	for _, d := range ds {
		if d.Severity == Error {
			n++
		}
	}
	return n
}

// Sort orders diagnostics by file, line, column, then message, keeping the
// report stable from run to run.
func (ds Diagnostics) Sort() {
	slices.SortStableFunc(ds, func(a, b Diagnostic) int {
		return cmp.Or(
			cmp.Compare(a.Pos.File, b.Pos.File),
			cmp.Compare(a.Pos.Line, b.Pos.Line),
			cmp.Compare(a.Pos.Col, b.Pos.Col),
			cmp.Compare(a.Message, b.Message),
		)
	})
}

// Error joins the diagnostics into one message, one per line.
func (ds Diagnostics) Error() string {
	lines := make([]string, len(ds))
	for i, d := range ds {
		lines[i] = d.String()
	}
	return strings.Join(lines, "\n")
}
