package xmi

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// sharedDir returns the ../shared folder next to the module root, where the
// sample models live, or "" when it is absent. The module root is found
// from this file's directory (model/xmi), so the tests do not depend on the
// working directory.
func sharedDir() string {
	_, here, _, ok := runtime.Caller(0)
	if !ok {
		return ""
	}
	dir := filepath.Join(filepath.Dir(here), "..", "..", "..", "shared")
	if st, err := os.Stat(filepath.Join(dir, "xmi-samples")); err != nil || !st.IsDir() {
		return ""
	}
	return dir
}

// readSample returns a sample model's bytes, skipping the test when the
// shared folder is not there.
func readSample(tb testing.TB, name string) []byte {
	tb.Helper()
	dir := sharedDir()
	if dir == "" {
		tb.Skip("../shared/xmi-samples not found next to the module root: these tests read the shared sample models")
	}
	data, err := os.ReadFile(filepath.Join(dir, "xmi-samples", name))
	if err != nil {
		tb.Fatalf("reading sample %s: %v", name, err)
	}
	return data
}
