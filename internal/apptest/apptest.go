// Package apptest is what the tests of the reference apps share
// (examples/lms, examples/etextbook, cmd/lticonsumer, cmd/ltiprovider and
// internal/appmain): a log buffer safe for concurrent writes, a loopback
// server for an app that must know its own URL, a simulated browser that
// posts forms and stops at each redirect, HTML queries on the pages it
// gets, and a command started in-process until its listening line.
//
// It is imported by tests only.
package apptest

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"

	"github.com/ltiforge/ltiforge/runtime/store/seal"
)

// SyncBuffer is a bytes.Buffer safe for concurrent use: a log written by a
// server's goroutines and read by the test.
type SyncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p to the buffer.
func (b *SyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns what was written so far.
func (b *SyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Serve starts a loopback HTTP server, closed when the test ends, for the
// handler newHandler returns given the server's URL (an app that must know
// its base URL before it exists), and returns that URL. newHandler runs
// before Serve returns, on the test's goroutine, so it may call t.Fatal.
func Serve(t testing.TB, newHandler func(baseURL string) http.Handler) string {
	t.Helper()
	var handler http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	handler = newHandler(srv.URL)
	return srv.URL
}

// UnsetSealEnv unsets the sealing key's environment variables
// (seal.EnvKey, seal.EnvKeyFile) for the test, so that a command uses its
// key file; they are restored when the test ends.
func UnsetSealEnv(t testing.TB) {
	t.Helper()
	for _, name := range []string{seal.EnvKey, seal.EnvKeyFile} {
		t.Setenv(name, "") // restores the value at the end of the test
		os.Unsetenv(name)
	}
}
