package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestDocsServeHandler(t *testing.T) {
	var log bytes.Buffer
	s := &siteServer{log: &log}
	if err := s.rebuild(context.Background()); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		method, path string
		code         int
		ctype        string
	}{
		{"GET", "/", 200, "text/html"},
		{"GET", "/index.html", 200, "text/html"},
		{"GET", "/assets/style.css", 200, "text/css"},
		{"GET", "/search-index.js", 200, "javascript"},
		{"HEAD", "/roles.html", 200, "text/html"},
		{"GET", "/no-such-page.html", 404, ""},
		{"GET", "/../../etc/passwd", 404, ""},
		{"POST", "/", 405, ""},
	}
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.path, nil))
		if rec.Code != tt.code {
			t.Errorf("%s %s: status %d, want %d", tt.method, tt.path, rec.Code, tt.code)
		}
		if tt.ctype != "" && !strings.Contains(rec.Header().Get("Content-Type"), tt.ctype) {
			t.Errorf("%s %s: Content-Type %q, want %q", tt.method, tt.path, rec.Header().Get("Content-Type"), tt.ctype)
		}
	}
}

func TestModelStamp(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "m.uml")
	if err := os.WriteFile(f, []byte("a"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := modelStamp([]string{dir})
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := modelStamp([]string{dir}); got != before {
		t.Error("a file that is not a model changed the stamp")
	}
	later := time.Now().Add(2 * time.Second)
	if err := os.Chtimes(f, later, later); err != nil {
		t.Fatal(err)
	}
	if got := modelStamp([]string{dir}); got == before {
		t.Error("saving a model file did not change the stamp")
	}
	if got := modelStamp([]string{filepath.Join(dir, "gone.uml")}); !strings.Contains(got, "missing") {
		t.Errorf("a missing file: stamp %q", got)
	}
}

func TestDocsUsage(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"docs"}, &out, &errOut); code != exitUsage {
		t.Errorf("ltigen docs: exit %d, want %d", code, exitUsage)
	}
	out.Reset()
	if code := run(context.Background(), []string{"help", "docs"}, &out, &errOut); code != exitOK || !strings.Contains(out.String(), "docs serve") {
		t.Errorf("ltigen help docs: exit %d, output %q", code, out.String())
	}
	if code := run(context.Background(), []string{"docs", "serve", "-addr"}, &out, &errOut); code != exitUsage {
		t.Errorf("ltigen docs serve -addr: exit %d, want %d", code, exitUsage)
	}
}
