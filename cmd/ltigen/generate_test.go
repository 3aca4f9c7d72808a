package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGenerateCommand runs "ltigen generate" the way people and make do,
// in a temporary output directory, in order: each step starts from the
// state the previous one left.
func TestGenerateCommand(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := os.MkdirAll("out", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("out", "README.md"), []byte("hand-written\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join("out", "jsonld", "old.jsonld")
	base := []string{"generate", "-out", "out", "-import", "example.com/out"}
	steps := []struct {
		name       string
		args       []string
		before     func(t *testing.T)
		code       int
		wantStdout []string
		wantStderr []string
	}{
		{name: "check before the first run lists every file", args: []string{"-check"}, code: exitProblem,
			wantStdout: []string{"out/jsonld/ctx/lti/v2/ToolProxy.jsonld: missing (would be created)", "out/.ltigen-manifest: missing"},
			wantStderr: []string{"out of date", "make generate"}},
		{name: "generate writes them", args: []string{"-v"}, code: exitOK,
			wantStdout: []string{"created", "0 removed"},
			wantStderr: []string{"load:", "jsonld:", "write:", "timing:"}},
		{name: "check after generating passes", args: []string{"-check"}, code: exitOK,
			wantStdout: []string{"out is up to date"}},
		{name: "a changed and a stale file are reported", args: []string{"-check"}, code: exitProblem,
			before: func(t *testing.T) {
				p := filepath.Join("out", "jsonld", "ctx", "lis", "v2", "Result.jsonld")
				if err := os.WriteFile(p, []byte("{}\n"), 0o644); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(stale, []byte("{}\n"), 0o644); err != nil {
					t.Fatal(err)
				}
				m, err := os.ReadFile(filepath.Join("out", ".ltigen-manifest"))
				if err != nil {
					t.Fatal(err)
				}
				m = append(m, "jsonld/old.jsonld\n"...)
				if err := os.WriteFile(filepath.Join("out", ".ltigen-manifest"), m, 0o644); err != nil {
					t.Fatal(err)
				}
			},
			wantStdout: []string{"out/jsonld/ctx/lis/v2/Result.jsonld: out of date", "out/jsonld/old.jsonld: stale", "out/.ltigen-manifest: out of date"}},
		{name: "generate repairs them", code: exitOK, wantStdout: []string{"2 updated, 1 removed"}}, // the file and the manifest
		{name: "and leave nothing to do", args: []string{"-check"}, code: exitOK, wantStdout: []string{"up to date"}},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			if st.before != nil {
				st.before(t)
			}
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), append(append([]string{}, base...), st.args...), &stdout, &stderr)
			if code != st.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, st.code, stdout.String(), stderr.String())
			}
			out := filepath.ToSlash(stdout.String())
			for _, w := range st.wantStdout {
				if !strings.Contains(out, w) {
					t.Errorf("stdout lacks %q:\n%s", w, out)
				}
			}
			for _, w := range st.wantStderr {
				if !strings.Contains(stderr.String(), w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr.String())
				}
			}
		})
	}
	if data, err := os.ReadFile(filepath.Join("out", "README.md")); err != nil || string(data) != "hand-written\n" {
		t.Errorf("the hand-written README.md was touched: %q, %v", data, err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("the stale file is still there: %v", err)
	}
}

func TestGenerateUsage(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		code       int
		wantStdout string
		wantStderr string
	}{
		{"help generate", []string{"help", "generate"}, exitOK, "Exit status: 0 done", ""},
		{"generate --help", []string{"generate", "--help"}, exitOK, "-package NAME", ""},
		{"the command table lists generate", []string{"help"}, exitOK, "generate", ""},
		{"bad flag", []string{"generate", "-chek"}, exitUsage, "", "flag provided but not defined: -chek"},
		{"a positional argument", []string{"generate", "model.uml"}, exitUsage, "", `unexpected argument "model.uml"; name model files with -model`},
		{"a partner model without -out", []string{"generate", "-model", "x.uml", "-package", "x"}, exitUsage, "", "needs its own output directory"},
		{"a partner model without -package", []string{"generate", "-model", "x.uml", "-out", "x"}, exitUsage, "", "needs a Go package name"},
		{"-package for the standard model", []string{"generate", "-package", "other", "-import", "example.com/g"}, exitUsage, "", "-package is for a partner model"},
		{"a package name that is no identifier", []string{"generate", "-model", "x.uml", "-out", "x", "-package", "org-units"}, exitUsage, "", "not a lower-case Go identifier"},
		{"no go.mod to find the import path", []string{"generate", "-check"}, exitUsage, "", "no go.mod"},
		{"a partner model that cannot be read", []string{"generate", "-model", "missing.uml", "-out", "x", "-package", "x", "-import", "example.com/x"}, exitProblem, "",
			"missing.uml: error: cannot read missing.uml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Chdir(t.TempDir())
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), tt.args, &stdout, &stderr)
			if code != tt.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.code, stderr.String())
			}
			if !strings.Contains(stdout.String(), tt.wantStdout) {
				t.Errorf("stdout %q lacks %q", stdout.String(), tt.wantStdout)
			}
			if !strings.Contains(stderr.String(), tt.wantStderr) {
				t.Errorf("stderr %q lacks %q", stderr.String(), tt.wantStderr)
			}
			if entries, _ := os.ReadDir("."); len(entries) != 0 && tt.code != exitOK {
				t.Errorf("a failed run left %d entries in the directory", len(entries))
			}
		})
	}
}
