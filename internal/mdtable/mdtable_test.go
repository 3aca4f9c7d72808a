package mdtable

import (
	"slices"
	"strings"
	"testing"
)

const doc = "# Title\r\n" +
	"\n" +
	"## First\n" +
	"\n" +
	"Some text.\n" +
	"\n" +
	"| A | B |\n" +
	"|---|---|\n" +
	"| `x` y | plain |\n" +
	"|  | `` |\n" +
	"\n" +
	"## Empty\n" +
	"\n" +
	"No table here.\n" +
	"\n" +
	"## Wide\n" +
	"| A | B | C |\n" +
	"|---|---|---|\n"

func TestSection(t *testing.T) {
	lines := Lines(doc)
	rows, err := Section(lines, "## First", 2)
	if err != nil {
		t.Fatal(err)
	}
	want := []Row{{Cells: []string{"`x` y", "plain"}, Line: 9}, {Cells: []string{"", "``"}, Line: 10}}
	if len(rows) != len(want) {
		t.Fatalf("rows = %+v, want %+v", rows, want)
	}
	for i := range want {
		if !slices.Equal(rows[i].Cells, want[i].Cells) || rows[i].Line != want[i].Line {
			t.Errorf("row %d = %+v, want %+v", i, rows[i], want[i])
		}
	}
	if got := []string{Value(rows[0].Cells[0]), Value(rows[0].Cells[1]), Value(rows[1].Cells[1])}; !slices.Equal(got, []string{"x", "plain", ""}) {
		t.Errorf("values = %q", got)
	}
}

func TestSectionErrors(t *testing.T) {
	lines := Lines(doc)
	for _, c := range []struct {
		heading string
		columns int
		want    string
	}{
		{"## Missing", 2, `no section "## Missing"`},
		{"## Empty", 2, `section "## Empty" has no table`},
		{"## Wide", 2, `line 17: the table of "## Wide" has 3 columns, want 2`},
		{"## First", 3, "has 2 columns, want 3"},
	} {
		_, err := Section(lines, c.heading, c.columns)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Section(%q, %d) error = %v, want one containing %q", c.heading, c.columns, err, c.want)
		}
	}
	if _, err := Section(Lines("## T\n| A | B |\n|---|---|\n| 1 |\n"), "## T", 2); err == nil || !strings.Contains(err.Error(), "line 4: 1 cells, want 2") {
		t.Errorf("short row: error = %v", err)
	}
}
