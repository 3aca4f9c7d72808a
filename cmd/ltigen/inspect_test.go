package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ltiforge/ltiforge/internal/golden"

	"golang.org/x/tools/txtar"
)

// TestInspectGolden runs "ltigen inspect" on each archive in
// testdata/inspect. An archive holds the command line ("args"), the model
// files it names, the expected exit status ("exit"), standard output
// ("stdout") and standard error ("stderr"). Each archive shows one feature
// of one tool's XMI dialect, or one StarUML feature, or one kind of error.
func TestInspectGolden(t *testing.T) {
	archives, err := filepath.Glob("testdata/inspect/*.txtar")
	if err != nil || len(archives) == 0 {
		t.Fatalf("no golden archives found: %v", err)
	}
	for _, path := range archives {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txtar"), func(t *testing.T) {
			runGolden(t, path)
		})
	}
}

func runGolden(t *testing.T, path string) {
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	ar, err := txtar.ParseFile(abs)
	if err != nil {
		t.Fatal(err)
	}
	sections := map[string][]byte{}
	dir := t.TempDir()
	for _, f := range ar.Files {
		switch f.Name {
		case "args", "exit", "stdout", "stderr":
			sections[f.Name] = f.Data
		default:
			if err := os.WriteFile(filepath.Join(dir, f.Name), f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	args := strings.Fields(string(sections["args"]))
	if len(args) == 0 {
		t.Fatalf("%s has no args section", path)
	}
	t.Chdir(dir)
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr)

	if golden.Updating() {
		for i := range ar.Files {
			switch ar.Files[i].Name {
			case "exit":
				ar.Files[i].Data = []byte(strconv.Itoa(code) + "\n")
			case "stdout":
				ar.Files[i].Data = stdout.Bytes()
			case "stderr":
				ar.Files[i].Data = stderr.Bytes()
			}
		}
		if err := os.WriteFile(abs, txtar.Format(ar), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := strconv.Atoi(strings.TrimSpace(string(sections["exit"])))
	if err != nil {
		t.Fatalf("%s: bad exit section: %v", path, err)
	}
	if code != want {
		t.Errorf("exit status %d, want %d\nstderr:\n%s", code, want, stderr.String())
	}
	if got := stdout.String(); got != string(sections["stdout"]) {
		t.Errorf("stdout differs from the golden (rerun with %s=1 to accept):\n got:\n%s\nwant:\n%s", golden.UpdateEnv, got, sections["stdout"])
	}
	if got := stderr.String(); got != string(sections["stderr"]) {
		t.Errorf("stderr differs from the golden (rerun with %s=1 to accept):\n got:\n%s\nwant:\n%s", golden.UpdateEnv, got, sections["stderr"])
	}
}

func TestUsage(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		code       int
		wantStdout string
		wantStderr string
	}{
		{"no command", nil, exitUsage, "", "Commands:"},
		{"unknown command", []string{"frobnicate"}, exitUsage, "", `unknown command "frobnicate"`},
		{"help", []string{"help"}, exitOK, "inspect", ""},
		{"help inspect", []string{"help", "inspect"}, exitOK, "Exit status: 0", ""},
		{"inspect --help", []string{"inspect", "--help"}, exitOK, "--json", ""},
		{"inspect without files reads the standard model", []string{"inspect", "--semantic"}, exitOK, "application/vnd.ims.lti.v2.toolproxy+json", ""},
		{"inspect bad flag", []string{"inspect", "--jsn", "x.xmi"}, exitUsage, "", "flag provided but not defined"},
		{"inspect missing file", []string{"inspect", "does-not-exist.xmi"}, exitProblem, "", "does-not-exist.xmi: error: cannot read does-not-exist.xmi: no such file or directory"},
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
		})
	}
}
