package uml

import (
	"fmt"
	"strings"
	"testing"
)

func TestMultiplicityString(t *testing.T) {
	tests := []struct {
		m    Multiplicity
		want string
	}{
		{One, "1"},
		{Multiplicity{0, 1}, "0..1"},
		{Multiplicity{0, Unlimited}, "*"},
		{Multiplicity{1, Unlimited}, "1..*"},
		{Multiplicity{2, 2}, "2"},
		{Multiplicity{2, 5}, "2..5"},
		{Multiplicity{0, 0}, "0"},
	}
	for _, tt := range tests {
		if got := tt.m.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.m, got, tt.want)
		}
	}
}

func TestDiagnosticString(t *testing.T) {
	tests := []struct {
		d    Diagnostic
		want string
	}{
		{Diagnostic{Severity: Error, Pos: Pos{File: "m.xmi", Line: 4}, Element: "M::A", ElementID: "_a", Message: "bad"}, "m.xmi:4: error: bad (M::A, id _a)"},
		{Diagnostic{Severity: Warning, Pos: Pos{File: "m.xmi"}, Message: "odd"}, "m.xmi: warning: odd"},
		{Diagnostic{Severity: Error, Message: "no place"}, "-: error: no place"},
		{Diagnostic{Severity: Error, Pos: Pos{File: "m.xmi", Line: 1}, ElementID: "_x", Message: "m"}, "m.xmi:1: error: m (id _x)"},
	}
	for _, tt := range tests {
		if got := tt.d.String(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}

// buildGraph makes Root::Pkg::{A, E} with an attribute, a literal and an
// association, reporting one error about A before names are known.
func buildGraph() (*Graph, *Classifier) {
	g := NewGraph()
	root := &Package{Kind: KindModel}
	root.Name = "Root"
	pkg := &Package{Kind: KindPackage, Owner: root}
	pkg.Name = "Pkg"
	root.Packages = append(root.Packages, pkg)
	a := &Classifier{Kind: KindClass, Owner: pkg}
	a.Name, a.ID = "A", "_a"
	attr := &Property{Owner: a}
	attr.Name = "x"
	a.Attributes = append(a.Attributes, attr)
	e := &Classifier{Kind: KindEnumeration, Owner: pkg}
	e.Name = "E"
	lit := &Literal{Owner: e}
	lit.Name = "L"
	e.Literals = append(e.Literals, lit)
	pkg.Classifiers = append(pkg.Classifiers, a, e)
	pkg.Associations = append(pkg.Associations, &Association{Owner: pkg})
	g.Roots = append(g.Roots, root)
	g.Errorf(Pos{File: "f", Line: 9}, &a.Element, "late")
	g.Warnf(Pos{File: "f", Line: 2}, nil, "early")
	return g, a
}

func TestFinishNamesAndSorts(t *testing.T) {
	g, a := buildGraph()
	g.Finish()
	if a.QualifiedName != "Root::Pkg::A" || a.Attributes[0].QualifiedName != "Root::Pkg::A::x" {
		t.Errorf("qualified names %q, %q", a.QualifiedName, a.Attributes[0].QualifiedName)
	}
	if got := g.Lookup("Root::Pkg::E"); got == nil || got.Literals[0].QualifiedName != "Root::Pkg::E::L" {
		t.Errorf("Lookup(Root::Pkg::E) = %v", got)
	}
	if g.Lookup("Root::Pkg::Missing") != nil {
		t.Error("Lookup found a classifier that does not exist")
	}
	if q := g.Associations()[0].QualifiedName; q != "" {
		t.Errorf("an unnamed association got the qualified name %q", q)
	}
	if g.Diagnostics[0].Message != "early" || g.Diagnostics[1].Element != "Root::Pkg::A" {
		t.Errorf("diagnostics not sorted by line or not renamed: %v", g.Diagnostics)
	}
	if !g.Diagnostics.HasErrors() || g.Diagnostics.Errors() != 1 {
		t.Errorf("HasErrors/Errors wrong for %v", g.Diagnostics)
	}
	if n := len(g.Classifiers()); n != 2 {
		t.Errorf("Classifiers() returned %d, want 2", n)
	}
	if n := len(g.Packages()); n != 2 {
		t.Errorf("Packages() returned %d, want 2", n)
	}
}

func TestLibraryTypeIsShared(t *testing.T) {
	g := NewGraph()
	s1 := g.LibraryType("UMLPrimitiveTypes", "String")
	s2 := g.LibraryType("UMLPrimitiveTypes", "String")
	other := g.LibraryType("EcorePrimitiveTypes", "String")
	if s1 != s2 || s1 == other || len(g.Library) != 2 {
		t.Errorf("library types not shared per (library, name): %p %p %p, %d types", s1, s2, other, len(g.Library))
	}
	prop := &Property{TypedElement: TypedElement{Type: s1}}
	if prop.TypeName() != "String" {
		t.Errorf("a library primitive's type name is %q, want its plain name", prop.TypeName())
	}
	unresolved := &Property{TypedElement: TypedElement{TypeRef: "lib#Strng"}}
	if unresolved.TypeName() != "lib#Strng" {
		t.Errorf("an unresolved type shows as %q, want the reference", unresolved.TypeName())
	}
}

func TestReportIsBounded(t *testing.T) {
	g := NewGraph()
	for i := range MaxDiagnostics + 25 {
		g.Errorf(Pos{File: "f", Line: i + 1}, nil, "problem %d", i)
	}
	g.Finish()
	if len(g.Diagnostics) != MaxDiagnostics+1 {
		t.Fatalf("kept %d diagnostics, want %d plus one summary", len(g.Diagnostics), MaxDiagnostics)
	}
	want := fmt.Sprintf("%d further problems were not reported", 25)
	found := false
	for _, d := range g.Diagnostics {
		found = found || strings.Contains(d.Message, want)
	}
	if !found {
		t.Errorf("no summary saying %q", want)
	}
}
