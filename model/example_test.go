package model

import (
	"context"
	"slices"
	"testing"
)

// TestCourseCatalogExample loads the worked example of docs/profile.md,
// with the profile file and with the built-in profile table, and checks
// what the generators will read from it.
func TestCourseCatalogExample(t *testing.T) {
	for _, tt := range []struct {
		name  string
		files []string
	}{
		{"profile file", []string{"lti2/examples/course-catalog.uml", "lti2/profile/lti.profile.uml"}},
		{"built-in profile", []string{"lti2/examples/course-catalog.uml"}},
	} {
		files := tt.files
		t.Run(tt.name, func(t *testing.T) {
			m, err := Load(context.Background(), files...)
			if err != nil {
				t.Fatal(err)
			}
			if len(m.Diagnostics) > 0 {
				t.Fatalf("diagnostics:\n%s", m.Diagnostics.Error())
			}
			checkCourseCatalog(t, m)
		})
	}
}

func checkCourseCatalog(t *testing.T, m *Model) {
	t.Helper()
	if len(m.Vocabularies) != 1 || m.Vocabularies[0].Prefix != "cat" || m.Vocabularies[0].Namespace != "http://example.org/vocab/catalog#" {
		t.Errorf("vocabularies = %+v", m.Vocabularies)
	}
	if len(m.Classes) != 1 {
		t.Fatalf("%d classes, want 1 (Course)", len(m.Classes))
	}
	course := m.Classes[0]
	if course.Name != "Course" || course.GoName != "Course" || course.IRI != "http://example.org/vocab/catalog#Course" || !course.Addressable || course.IDRequired {
		t.Errorf("class Course = %+v", course)
	}
	if course.Origin.QualifiedName != "Catalog::Course" || course.Origin.ID != "Course" || course.Origin.Line != 12 {
		t.Errorf("Course origin = %+v", course.Origin)
	}
	if len(course.Properties) != 1 {
		t.Fatalf("Course has %d properties, want 1", len(course.Properties))
	}
	title := course.Properties[0]
	wantTitle := Property{Class: "Catalog::Course", Name: "title", GoName: "Title", Term: "title",
		IRI: "http://example.org/vocab/catalog#title", Coercion: "xs:string", CoercionIRI: "http://www.w3.org/2001/XMLSchema#string",
		Cardinality: Cardinality{1, 1}, Type: TypeRef{Kind: TypePrimitive, Name: "String", GoType: "string", XSD: "xs:string"},
		Doc: "The course's title, for people."}
	title.Origin, title.uml = Origin{}, nil
	if *title != wantTitle {
		t.Errorf("title =\n %+v\nwant\n %+v", *title, wantTitle)
	}

	if len(m.MediaTypes) != 1 {
		t.Fatalf("%d media types, want 1", len(m.MediaTypes))
	}
	mt := m.MediaTypes[0]
	if mt.Name != "application/vnd.example.course+json" || mt.Root != "Catalog::Course" || mt.RootClass() != course ||
		mt.Form != FormJSONLD || mt.Context != "http://example.org/ctx/Course" || mt.GoName != "CourseJSON" {
		t.Errorf("media type = %+v", mt)
	}
	var terms []string
	for _, tm := range mt.Terms {
		terms = append(terms, tm.Kind+" "+tm.Name+" "+tm.IRI)
	}
	wantTerms := []string{"class Course http://example.org/vocab/catalog#Course", "property title http://example.org/vocab/catalog#title"}
	if !slices.Equal(terms, wantTerms) {
		t.Errorf("terms = %q, want %q", terms, wantTerms)
	}

	if len(m.Services) != 1 || len(m.Services[0].Operations) != 1 {
		t.Fatalf("services = %+v, want one with one operation", m.Services)
	}
	s := m.Services[0]
	if s.Name != "CourseService" || !slices.Equal(s.MediaTypes, []string{"application/vnd.example.course+json"}) {
		t.Errorf("service = %+v", s)
	}
	op := s.Operations[0]
	if op.Name != "getCourse" || op.GoName != "GetCourse" || op.Method != "GET" || op.Path != "/courses/{course_id}" ||
		op.Offer != "Course.item" || op.Result != "application/vnd.example.course+json" || op.Body != "" ||
		!slices.Equal(op.Response, []string{"application/vnd.example.course+json"}) || len(op.Request) != 0 {
		t.Errorf("operation = %+v", op)
	}
	wantStatus := []Status{{200, "The course."}, {404, "No course has that id."}}
	if !slices.Equal(op.Status, wantStatus) {
		t.Errorf("status = %+v, want %+v", op.Status, wantStatus)
	}
	if len(op.PathParams) != 1 || len(op.QueryParams) != 0 || len(op.HeaderParams) != 0 {
		t.Fatalf("params: path %d, query %d, header %d; want 1, 0, 0", len(op.PathParams), len(op.QueryParams), len(op.HeaderParams))
	}
	p := op.PathParams[0]
	if p.Name != "course_id" || p.GoName != "CourseID" || p.Type.GoType != "string" || p.Cardinality != (Cardinality{1, 1}) {
		t.Errorf("path param = %+v", p)
	}
	if n := len(m.Messages) + len(m.Enums) + len(m.SimpleTypes) + len(m.Capabilities) + len(m.Variables) + len(m.Roles); n != 0 {
		t.Errorf("%d messages, enums, simple types, capabilities, variables or roles; want none", n)
	}
}
