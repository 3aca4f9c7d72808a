package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ltiforge/ltiforge/model"
)

// TestNewServiceSkeletonLoads writes skeletons and loads each with the
// standard model: no errors or warnings, and the service with its one
// operation and media type.
func TestNewServiceSkeletonLoads(t *testing.T) {
	for _, name := range []string{"OrgHierarchy", "Gradebook2", "x"} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, "svc.uml")
			var stdout, stderr bytes.Buffer
			if code := run(context.Background(), []string{"new-service", "-out", file, name}, &stdout, &stderr); code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			m, err := model.LoadStandard(context.Background(), file)
			if err != nil {
				t.Fatal(err)
			}
			if len(m.Diagnostics) > 0 {
				t.Fatalf("the skeleton has problems:\n%v", m.Diagnostics)
			}
			var found bool
			for _, s := range m.Services {
				if s.Name == name+"Service" {
					found = true
					if len(s.Operations) != 1 || s.Operations[0].Method != "GET" || s.Operations[0].Result == "" {
						t.Errorf("the service's operations are %+v", s.Operations)
					}
				}
			}
			if !found {
				t.Errorf("no service %sService", name)
			}
		})
	}
}

func TestNewServiceUsage(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "taken.uml")
	if err := os.WriteFile(existing, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		code int
		err  string
	}{
		{"no name", []string{"new-service"}, exitUsage, "give one NAME"},
		{"two names", []string{"new-service", "A", "B"}, exitUsage, "give one NAME"},
		{"bad name", []string{"new-service", "org-hierarchy"}, exitUsage, "give one NAME"},
		{"markup in the name", []string{"new-service", `A"><x`}, exitUsage, "give one NAME"},
		{"bad flag", []string{"new-service", "-nope", "A"}, exitUsage, "flag provided but not defined"},
		{"existing file", []string{"new-service", "-out", existing, "A"}, exitProblem, "exists"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(context.Background(), tc.args, &stdout, &stderr); code != tc.code {
				t.Errorf("exit %d, want %d", code, tc.code)
			}
			if !strings.Contains(stderr.String(), tc.err) {
				t.Errorf("stderr %q lacks %q", stderr.String(), tc.err)
			}
		})
	}
	if data, _ := os.ReadFile(existing); string(data) != "mine" {
		t.Error("an existing file was overwritten")
	}
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"new-service", "-out", existing, "-force", "A"}, &stdout, &stderr); code != exitOK {
		t.Errorf("-force: exit %d: %s", code, stderr.String())
	}
	if code := run(context.Background(), []string{"new-service", "-out", "-", "A"}, &stdout, &stderr); code != exitOK || !strings.Contains(stdout.String(), `<uml:Model xmi:id="A" name="A">`) {
		t.Errorf("-out -: exit %d, output %q", code, stdout.String())
	}
	stdout.Reset()
	if code := run(context.Background(), []string{"help", "new-service"}, &stdout, &stderr); code != exitOK || !strings.Contains(stdout.String(), "Usage: ltigen new-service") {
		t.Errorf("help new-service: exit %d, %q", code, stdout.String())
	}
}
