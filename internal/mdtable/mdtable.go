// Package mdtable reads the tables of the project's Markdown documents
// that tests hold the model to (docs/lti2-model.md): the first table of a
// "## " section, row by row, with each row's line number for messages.
package mdtable

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Row is one body row of a table.
type Row struct {
	// Cells are the row's cells, trimmed, in column order.
	Cells []string
	// Line is the row's 1-based line number in the document.
	Line int
}

// Lines splits a document into lines, accepting CRLF line ends.
func Lines(doc string) []string {
	return strings.Split(strings.ReplaceAll(doc, "\r\n", "\n"), "\n")
}

// Section returns the body rows of the first table in the section whose
// heading line is exactly heading ("## Type names"), checking that the
// header and every row have columns cells. The table must come before the
// next "## " heading. Errors name the 1-based line they are about.
func Section(lines []string, heading string, columns int) ([]Row, error) {
	start := slices.Index(lines, heading)
	if start < 0 {
		return nil, fmt.Errorf("no section %q", heading)
	}
	i := start + 1
	for i < len(lines) && !isRow(lines[i]) {
		if strings.HasPrefix(lines[i], "## ") {
			break
		}
		i++
	}
	if i+1 >= len(lines) || !isRow(lines[i]) {
		return nil, fmt.Errorf("section %q has no table", heading)
	}
	if n := len(SplitRow(lines[i])); n != columns {
		return nil, fmt.Errorf("line %d: the table of %q has %d columns, want %d", i+1, heading, n, columns)
	}
	var rows []Row
	for i += 2; i < len(lines) && isRow(lines[i]); i++ {
		cells := SplitRow(lines[i])
		if len(cells) != columns {
			return nil, fmt.Errorf("line %d: %d cells, want %d", i+1, len(cells), columns)
		}
		rows = append(rows, Row{Cells: cells, Line: i + 1})
	}
	return rows, nil
}

func isRow(line string) bool { return strings.HasPrefix(strings.TrimSpace(line), "|") }

// SplitRow splits a table line into its trimmed cells. A pipe inside a
// code span is not escaped specially, so cells must not contain one.
func SplitRow(line string) []string {
	line = strings.TrimSpace(line)
	line = strings.TrimPrefix(line, "|")
	line = strings.TrimSuffix(line, "|")
	cells := strings.Split(line, "|")
	for i := range cells {
		cells[i] = strings.TrimSpace(cells[i])
	}
	return cells
}

var codeSpan = regexp.MustCompile("`([^`]*)`")

// Value returns the machine-read value of a cell: its first code span, or
// its trimmed text when it has none.
func Value(cell string) string {
	if m := codeSpan.FindStringSubmatch(cell); m != nil {
		return m[1]
	}
	return strings.TrimSpace(cell)
}
