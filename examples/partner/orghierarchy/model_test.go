package orghierarchy

import (
	"context"
	"strings"
	"testing"

	"github.com/ltiforge/ltiforge/generator/emit"
	"github.com/ltiforge/ltiforge/generator/rest"
	"github.com/ltiforge/ltiforge/model"
)

// TestModel loads the partner model with the standard one: no problems,
// and the service with its two operations.
func TestModel(t *testing.T) {
	m, err := model.LoadStandard(context.Background(), "model.uml")
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Diagnostics) > 0 {
		t.Fatalf("model problems:\n%v", m.Diagnostics)
	}
	var ops []string
	for _, s := range m.Services {
		if s.Name == "OrgHierarchyService" {
			for _, op := range s.Operations {
				ops = append(ops, op.Method+" "+op.Path+" -> "+op.Result)
			}
		}
	}
	want := []string{
		"GET /orgs/{unit_id}/tree -> application/vnd.example.orghierarchy.tree+json",
		"GET /orgs/{unit_id} -> application/vnd.example.orghierarchy.unit+json",
	}
	if strings.Join(ops, "\n") != strings.Join(want, "\n") {
		t.Errorf("operations:\n%s\nwant:\n%s", strings.Join(ops, "\n"), strings.Join(want, "\n"))
	}

	// The REST emitter generates the partner's package only, referring to
	// the standard support packages. (generator/rest's TestGeneratedCode
	// builds it, serves it with its handler and calls it with its client.)
	files, err := rest.New().Emit(context.Background(), m, emit.Options{
		Root:     "github.com/ltiforge/ltiforge/examples/partner/orghierarchy/generated",
		Standard: "github.com/ltiforge/ltiforge/generated",
		Package:  "orghierarchy",
		Files:    []string{"model.uml"},
	})
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, f := range files {
		paths = append(paths, f.Path)
	}
	if got := strings.Join(paths, " "); got != "orghierarchyrest/doc.go orghierarchyrest/org_hierarchy_service.go" {
		t.Errorf("files: %s", got)
	}
}
