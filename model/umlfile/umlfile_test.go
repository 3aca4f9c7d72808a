package umlfile

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ltiforge/ltiforge/model/uml"
)

const eclipseModel = `<?xml version="1.0" encoding="UTF-8"?>
<uml:Model xmi:version="20131001" xmlns:xmi="http://www.omg.org/spec/XMI/20131001" xmlns:uml="http://www.eclipse.org/uml2/5.0.0/UML" xmi:id="_m" name="Small">
  <packagedElement xmi:type="uml:Class" xmi:id="_c" name="Course"/>
</uml:Model>
`

const starumlModel = `<?xml version="1.0" encoding="UTF-8"?>
<XPD:PROJECT xmlns:XPD="http://www.staruml.com" version="1">
<XPD:BODY>
<XPD:OBJ name="DocumentElement" type="UMLProject" guid="p">
<XPD:ATTR name="#OwnedElements" type="integer">1</XPD:ATTR>
<XPD:OBJ name="OwnedElements[0]" type="UMLModel" guid="m">
<XPD:ATTR name="Name" type="string">Star</XPD:ATTR>
<XPD:REF name="Namespace">p</XPD:REF>
<XPD:ATTR name="#OwnedElements" type="integer">1</XPD:ATTR>
<XPD:OBJ name="OwnedElements[0]" type="UMLClass" guid="c">
<XPD:ATTR name="Name" type="string">Section</XPD:ATTR>
<XPD:REF name="Namespace">m</XPD:REF>
</XPD:OBJ>
</XPD:OBJ>
</XPD:OBJ>
</XPD:BODY>
</XPD:PROJECT>
`

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func qualifiedNames(g *uml.Graph) []string {
	var out []string
	for _, c := range g.Classifiers() {
		out = append(out, c.QualifiedName)
	}
	return out
}

func TestLoadPicksTheReaderByContent(t *testing.T) {
	// The extensions are swapped on purpose: the reader is chosen from
	// what the file holds, not from its name.
	dir := writeFiles(t, map[string]string{"a.uml": eclipseModel, "b.xmi": starumlModel})
	g, err := Load(context.Background(), filepath.Join(dir, "a.uml"), filepath.Join(dir, "b.xmi"))
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Diagnostics) != 0 {
		t.Fatalf("unexpected diagnostics:\n%v", g.Diagnostics.Error())
	}
	got := strings.Join(qualifiedNames(g), ",")
	if got != "Star::Section,Small::Course" && got != "Small::Course,Star::Section" {
		t.Errorf("classifiers = %s, want Small::Course and Star::Section", got)
	}
}

func TestLoadDirectoryTakesModelFilesOnly(t *testing.T) {
	dir := writeFiles(t, map[string]string{"m.xmi": eclipseModel, "notes.txt": "not a model"})
	g, err := Load(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Files) != 1 || filepath.Base(g.Files[0]) != "m.xmi" {
		t.Errorf("files = %v, want only m.xmi", g.Files)
	}
	if g.Diagnostics.HasErrors() {
		t.Errorf("unexpected errors:\n%s", g.Diagnostics.Error())
	}
}

func TestLoadProblems(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		args  func(dir string) []string
		want  string
		line  int
	}{
		{"missing file", nil, func(dir string) []string { return []string{filepath.Join(dir, "gone.xmi")} }, "cannot read", 0},
		{"empty directory", nil, func(dir string) []string { return []string{dir} }, "holds no model files", 0},
		{"empty file", map[string]string{"e.xmi": "  \n"}, func(dir string) []string { return []string{filepath.Join(dir, "e.xmi")} }, "file is empty", 1},
		{"not a model", map[string]string{"n.xml": "<html><body/></html>"}, func(dir string) []string { return []string{filepath.Join(dir, "n.xml")} }, "not a model file", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeFiles(t, tt.files)
			g, err := Load(context.Background(), tt.args(dir)...)
			if err != nil {
				t.Fatal(err)
			}
			if len(g.Diagnostics) != 1 {
				t.Fatalf("want one diagnostic, got:\n%s", g.Diagnostics.Error())
			}
			d := g.Diagnostics[0]
			if d.Severity != uml.Error || !strings.Contains(d.Message, tt.want) || d.Pos.Line != tt.line || d.Pos.File == "" {
				t.Errorf("diagnostic %q, want an error at line %d containing %q", d, tt.line, tt.want)
			}
		})
	}
}

func TestLoadHonoursCancellation(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := LoadSources(ctx, uml.Source{Path: "m.xmi", Data: []byte(eclipseModel)}); err == nil {
		t.Error("a cancelled context loaded without error")
	}
}
