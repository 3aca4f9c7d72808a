// Package sharedtest finds the shared reference material (sample models,
// the IMS model, the official contexts and examples) that tests read at run
// time from the shared/ folder beside the repository, and skips a test
// with a clear message where it is absent.
package sharedtest

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Dir returns the shared folder (../shared from the repository's root), or
// "" when it is absent. It is found from this source file's location, so
// tests do not depend on their working directory.
func Dir() string {
	_, here, _, ok := runtime.Caller(0)
	if !ok {
		return ""
	}
	dir := filepath.Join(filepath.Dir(here), "..", "..", "..", "shared")
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return ""
	}
	return dir
}

// Path returns the path of rel inside the shared folder, skipping tb when
// the folder or the file is absent.
func Path(tb testing.TB, rel string) string {
	tb.Helper()
	dir := Dir()
	if dir == "" {
		tb.Skipf("../shared (beside the repository) not found: this test reads %s from it", rel)
	}
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("shared file %s not found: %v", rel, err)
	}
	return p
}

// Read returns the content of rel inside the shared folder, skipping tb
// when it is absent.
func Read(tb testing.TB, rel string) []byte {
	tb.Helper()
	data, err := os.ReadFile(Path(tb, rel))
	if err != nil {
		tb.Fatalf("reading shared file %s: %v", rel, err)
	}
	return data
}

// Glob returns the shared files matching pattern (relative to the shared
// folder), or nil when the folder is absent.
func Glob(pattern string) []string {
	dir := Dir()
	if dir == "" {
		return nil
	}
	out, _ := filepath.Glob(filepath.Join(dir, filepath.FromSlash(pattern)))
	return out
}
