// Package golden holds what the golden-file tests share: the switch that
// rewrites the expected files, the report of where a file differs, and
// the comparison of an emitter's files with a txtar archive.
package golden

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/ltiforge/ltiforge/generator/emit"
)

// UpdateEnv names the environment variable that, set to any value, makes
// the golden tests rewrite their expected files from the current output.
const UpdateEnv = "LTIGEN_UPDATE_GOLDEN"

// Updating reports whether the expected files are to be rewritten.
func Updating() bool { return os.Getenv(UpdateEnv) != "" }

// FirstDiff describes the first line where got differs from want, for a
// test failure message.
func FirstDiff(want, got []byte) string {
	w, g := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\n want %q\n  got %q\n(%s=1 rewrites the expected files; review the diff)", i+1, wl, gl, UpdateEnv)
		}
	}
	return "(no line differs)"
}

// Outputs holds an emitter's files to the expected ones kept in a txtar
// archive: the sections whose names start with prefix, each named prefix
// plus the file's path. It reports every file that differs, is missing or
// is unexpected. When Updating, it instead rewrites the archive at path
// with got in place of those sections, keeping the others (the input
// model) as they are.
func Outputs(t testing.TB, path string, ar *txtar.Archive, prefix string, got []emit.File) {
	t.Helper()
	if Updating() {
		out := &txtar.Archive{Comment: ar.Comment}
		for _, f := range ar.Files {
			if !strings.HasPrefix(f.Name, prefix) {
				out.Files = append(out.Files, f)
			}
		}
		for _, f := range got {
			out.Files = append(out.Files, txtar.File{Name: prefix + f.Path, Data: f.Data})
		}
		if err := os.WriteFile(path, txtar.Format(out), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want := map[string][]byte{}
	for _, f := range ar.Files {
		if name, ok := strings.CutPrefix(f.Name, prefix); ok {
			want[name] = f.Data
		}
	}
	seen := map[string]bool{}
	for _, f := range got {
		seen[f.Path] = true
		w, ok := want[f.Path]
		switch {
		case !ok:
			t.Errorf("%s: generated, but the golden file lacks it", f.Path)
		case !bytes.Equal(w, f.Data):
			t.Errorf("%s differs from the golden file:\n%s", f.Path, FirstDiff(w, f.Data))
		}
	}
	for name := range want {
		if !seen[name] {
			t.Errorf("%s: in the golden file, but not generated", name)
		}
	}
}
