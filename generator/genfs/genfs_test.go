package genfs

import (
	"context"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ltiforge/ltiforge/generator/emit"
)

// tree is a directory's regular files by slash-separated path.
type tree map[string]string

// writeTree creates the files of t under dir.
func writeTree(t *testing.T, dir string, tr tree) {
	t.Helper()
	for p, data := range tr {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// readTree returns the regular files under dir, and the directories as
// entries ending in "/" with no content, so that pruning is visible.
func readTree(t *testing.T, dir string) tree {
	t.Helper()
	out := tree{}
	if _, err := os.Stat(dir); os.IsNotExist(err) {
		return out
	}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		rel := filepath.ToSlash(strings.TrimPrefix(p, dir+string(filepath.Separator)))
		if d.IsDir() {
			out[rel+"/"] = ""
			return nil
		}
		data, err := os.ReadFile(p)
		out[rel] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func files(kv ...string) []emit.File {
	var out []emit.File
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, emit.File{Path: kv[i], Data: []byte(kv[i+1])})
	}
	return out
}

func man(paths ...string) string { return string(manifest(paths)) }

func TestWriteAndCheck(t *testing.T) {
	tests := []struct {
		name   string
		before tree // nil: the root does not exist
		files  []emit.File
		// want are the changes, as "kind path" in path order; the same
		// for Write and Check.
		want      []string
		unchanged int
		// after is the tree after Write; Check must leave before as it is.
		after tree
	}{
		{
			name:  "fresh root: everything is created, directories too",
			files: files("a.txt", "A", "x/y/b.go", "B"),
			want:  []string{"create .ltigen-manifest", "create a.txt", "create x/y/b.go"},
			after: tree{".ltigen-manifest": man("a.txt", "x/y/b.go"), "a.txt": "A", "x/": "", "x/y/": "", "x/y/b.go": "B"},
		},
		{
			name:      "up to date: nothing changes",
			before:    tree{".ltigen-manifest": man("a.txt"), "a.txt": "A"},
			files:     files("a.txt", "A"),
			unchanged: 1,
			after:     tree{".ltigen-manifest": man("a.txt"), "a.txt": "A"},
		},
		{
			name:      "a changed file is updated byte for byte",
			before:    tree{".ltigen-manifest": man("a.txt", "b.txt"), "a.txt": "old", "b.txt": "B"},
			files:     files("b.txt", "B", "a.txt", "new\r\nline\x00"),
			want:      []string{"update a.txt"},
			unchanged: 1,
			after:     tree{".ltigen-manifest": man("a.txt", "b.txt"), "a.txt": "new\r\nline\x00", "b.txt": "B"},
		},
		{
			name: "a file no longer produced is stale: removed, with the directories it empties",
			before: tree{".ltigen-manifest": man("keep.txt", "old/deep/gone.go", "mixed/gone.go"),
				"keep.txt": "K", "old/deep/gone.go": "G", "mixed/gone.go": "G", "mixed/README.md": "mine"},
			files:     files("keep.txt", "K"),
			want:      []string{"update .ltigen-manifest", "remove mixed/gone.go", "remove old/deep/gone.go"},
			unchanged: 1,
			after:     tree{".ltigen-manifest": man("keep.txt"), "keep.txt": "K", "mixed/": "", "mixed/README.md": "mine"},
		},
		{
			name:   "a stale file already deleted by hand is not reported",
			before: tree{".ltigen-manifest": man("a.txt", "gone.txt"), "a.txt": "A"},
			files:  files("a.txt", "A"),
			want:   []string{"update .ltigen-manifest"}, unchanged: 1,
			after: tree{".ltigen-manifest": man("a.txt"), "a.txt": "A"},
		},
		{
			name:   "hand-written files beside generated ones are never touched",
			before: tree{".ltigen-manifest": man("gen.go"), "gen.go": "old", "README.md": "hand", "sub/doc.go": "hand"},
			files:  files("gen.go", "new", "sub/gen.go", "S"),
			want:   []string{"update .ltigen-manifest", "update gen.go", "create sub/gen.go"},
			after: tree{".ltigen-manifest": man("gen.go", "sub/gen.go"), "gen.go": "new", "README.md": "hand",
				"sub/": "", "sub/doc.go": "hand", "sub/gen.go": "S"},
		},
		{
			name:      "an existing file with the produced bytes is adopted into the manifest",
			before:    tree{"a.txt": "A"},
			files:     files("a.txt", "A"),
			want:      []string{"create .ltigen-manifest"},
			unchanged: 1,
			after:     tree{".ltigen-manifest": man("a.txt"), "a.txt": "A"},
		},
		{
			name:   "a stale file may give way to a directory of the same name",
			before: tree{".ltigen-manifest": man("a"), "a": "file"},
			files:  files("a/b.txt", "B"),
			want:   []string{"update .ltigen-manifest", "remove a", "create a/b.txt"},
			after:  tree{".ltigen-manifest": man("a/b.txt"), "a/": "", "a/b.txt": "B"},
		},
		{
			name:   "no files at all: the stale ones go and the manifest stays, empty",
			before: tree{".ltigen-manifest": man("a.txt"), "a.txt": "A"},
			want:   []string{"update .ltigen-manifest", "remove a.txt"},
			after:  tree{".ltigen-manifest": man()},
		},
	}
	ctx := context.Background()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, check := range []bool{true, false} {
				root := filepath.Join(t.TempDir(), "out")
				if tc.before != nil {
					if err := os.MkdirAll(root, 0o755); err != nil {
						t.Fatal(err)
					}
					writeTree(t, root, tc.before)
				}
				before := readTree(t, root)
				do, mode := Write, "Write"
				if check {
					do, mode = Check, "Check"
				}
				rep, err := do(ctx, root, tc.files)
				if err != nil {
					t.Fatalf("%s: %v", mode, err)
				}
				var got []string
				for _, c := range rep.Changes {
					got = append(got, c.Kind.String()+" "+c.Path)
				}
				if !slices.Equal(got, tc.want) {
					t.Errorf("%s: changes\n got %q\nwant %q", mode, got, tc.want)
				}
				if rep.Unchanged != tc.unchanged {
					t.Errorf("%s: %d unchanged, want %d", mode, rep.Unchanged, tc.unchanged)
				}
				if rep.Check != check || rep.UpToDate() != (len(tc.want) == 0) {
					t.Errorf("%s: report Check=%v UpToDate=%v", mode, rep.Check, rep.UpToDate())
				}
				wantTree := tc.after
				if check {
					wantTree = before
				}
				if gotTree := readTree(t, root); !maps.Equal(gotTree, wantTree) {
					t.Errorf("%s: tree after\n got %q\nwant %q", mode, gotTree, wantTree)
				}
				if !check {
					// A second run finds nothing to do.
					again, err := Check(ctx, root, tc.files)
					if err != nil || !again.UpToDate() {
						t.Errorf("Check after Write: %v, changes %v", err, again.Changes)
					}
				}
			}
		})
	}
}

// TestUnchangedFilesKeepTheirTime checks that Write leaves files whose
// bytes are already right alone, so build tools see no change.
func TestUnchangedFilesKeepTheirTime(t *testing.T) {
	root := t.TempDir()
	fs := files("a.txt", "A", "b.txt", "B")
	if _, err := Write(context.Background(), root, fs); err != nil {
		t.Fatal(err)
	}
	old := time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, name := range []string{"a.txt", ManifestName} {
		if err := os.Chtimes(filepath.Join(root, name), old, old); err != nil {
			t.Fatal(err)
		}
	}
	fs[1].Data = []byte("B2")
	if _, err := Write(context.Background(), root, fs); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"a.txt", ManifestName} {
		st, err := os.Stat(filepath.Join(root, name))
		if err != nil {
			t.Fatal(err)
		}
		if !st.ModTime().Equal(old) {
			t.Errorf("%s was rewritten (modified %v) though its bytes did not change", name, st.ModTime())
		}
	}
}

func TestRefused(t *testing.T) {
	tests := []struct {
		name   string
		before tree
		files  []emit.File
		errHas string
	}{
		{"empty path", nil, files("", "x"), "empty"},
		{"absolute path", nil, files("/etc/passwd", "x"), "absolute"},
		{"drive letter", nil, files("C:/x", "x"), "absolute"},
		{"parent element", nil, files("../x", "x"), "escapes"},
		{"parent element inside", nil, files("a/../../x", "x"), "escapes"},
		{"dot element", nil, files("./x", "x"), "not clean"},
		{"double slash", nil, files("a//x", "x"), "not clean"},
		{"trailing slash", nil, files("a/", "x"), "not clean"},
		{"backslash", nil, files(`a\x`, "x"), "backslash"},
		{"NUL byte", nil, files("a\x00x", "x"), "NUL"},
		{"the manifest's name", nil, files(ManifestName, "x"), "reserved"},
		{"a path produced twice", nil, files("a", "1", "a", "2"), "twice"},
		{"a file that is also a directory", nil, files("a", "1", "a/b", "2"), "also the directory"},
		{"overwriting a file ltigen did not write", tree{"README.md": "mine"}, files("README.md", "generated"), "was not written by ltigen"},
		{"a directory where a file goes", tree{"a/b": "x"}, files("a", "x"), "directory"},
		{"a damaged manifest naming a file outside", tree{ManifestName: "../../etc/passwd\n"}, files("a", "x"), "escapes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, do := range []func(context.Context, string, []emit.File) (Report, error){Write, Check} {
				root := t.TempDir()
				writeTree(t, root, tc.before)
				before := readTree(t, root)
				_, err := do(context.Background(), root, tc.files)
				if err == nil || !strings.Contains(err.Error(), tc.errHas) {
					t.Fatalf("error %v, want one saying %q", err, tc.errHas)
				}
				if after := readTree(t, root); !maps.Equal(after, before) {
					t.Errorf("a refused run changed the tree:\n got %q\nwant %q", after, before)
				}
			}
		})
	}
}

// TestSymlinkOutsideRoot checks that a symbolic link inside the root
// cannot lead a write outside it.
func TestSymlinkOutsideRoot(t *testing.T) {
	outside := t.TempDir()
	root := t.TempDir()
	if err := os.Symlink(outside, filepath.Join(root, "link")); err != nil {
		t.Skipf("cannot create a symbolic link here: %v", err)
	}
	_, err := Write(context.Background(), root, files("link/x.txt", "x"))
	if err == nil {
		t.Fatal("Write followed a symbolic link out of the root")
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 0 {
		t.Errorf("Write created %v outside the root", entries)
	}
}

func TestCheckMissingRootCreatesNothing(t *testing.T) {
	root := filepath.Join(t.TempDir(), "not", "there")
	rep, err := Check(context.Background(), root, files("a.txt", "A"))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Count(Create) != 2 {
		t.Errorf("changes %v, want the file and the manifest created", rep.Changes)
	}
	if _, err := os.Stat(root); !os.IsNotExist(err) {
		t.Errorf("Check created the root: %v", err)
	}
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	root := t.TempDir()
	if _, err := Write(ctx, root, files("a.txt", "A")); err == nil {
		t.Fatal("Write ran with a cancelled context")
	}
	if _, err := os.Stat(filepath.Join(root, "a.txt")); !os.IsNotExist(err) {
		t.Errorf("a cancelled Write wrote a.txt")
	}
}
