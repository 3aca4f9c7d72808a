package backend_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ltiforge/ltiforge/runtime/store"
	"github.com/ltiforge/ltiforge/runtime/store/backend"
	"github.com/ltiforge/ltiforge/runtime/store/postgres"
	"github.com/ltiforge/ltiforge/runtime/store/sqlite"
	"github.com/ltiforge/ltiforge/runtime/store/storetest"
)

// smoke writes through one store and reads through another on the same
// DSN.
func smoke(t *testing.T, dsn string) {
	t.Helper()
	opts := store.Options{Sealer: storetest.TestSealer(t)}
	a, err := backend.Open(t.Context(), dsn, opts)
	if err != nil {
		t.Fatalf("Open(%s): %v", backend.Redact(dsn), err)
	}
	defer a.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(a.CreateToolProxy(t.Context(), store.ToolProxy{GUID: "g", Version: "LTI-2p0", Secret: "s", Status: store.StatusActive}, ""))
	must(a.PutToolSettings(t.Context(), store.Scope{Kind: store.ScopeToolProxy, ToolProxyGUID: "g"}, []store.Pair{{Name: "n", Value: "v"}}))
	if seen, err := a.Seen(t.Context(), "g", "n1", time.Now()); err != nil || seen {
		t.Fatalf("Seen = %v, %v", seen, err)
	}
	// SQLite writes nonces behind the requests (within about 50 ms; see
	// package sqlite): write them now, for the second store to see.
	if f, ok := a.(interface{ FlushNonces(context.Context) error }); ok {
		must(f.FlushNonces(t.Context()))
	}
	b, err := backend.Open(t.Context(), dsn, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	tp, err := b.ToolProxy(t.Context(), "g")
	if err != nil || tp.Secret != "s" {
		t.Errorf("second store reads %+v, %v", tp, err)
	}
	if got, err := b.ToolSettings(t.Context(), store.Scope{Kind: store.ScopeToolProxy, ToolProxyGUID: "g"}); err != nil ||
		!slices.Equal(got, []store.Pair{{Name: "n", Value: "v"}}) {
		t.Errorf("second store reads settings %v, %v", got, err)
	}
	if seen, err := b.Seen(t.Context(), "g", "n1", time.Now()); err != nil || !seen {
		t.Errorf("second store: Seen = %v, %v; want a replay", seen, err)
	}
}

func TestOpenSQLiteForms(t *testing.T) {
	dir := t.TempDir()
	for _, dsn := range []string{
		filepath.Join(dir, "plain.db"),
		"sqlite:" + filepath.Join(dir, "prefixed.db"),
		"file:" + filepath.Join(dir, "file.db"),
		"file://" + filepath.Join(dir, "fileurl.db"),
	} {
		t.Run(dsn, func(t *testing.T) {
			if backend.Kind(dsn) != "sqlite" {
				t.Errorf("Kind = %s", backend.Kind(dsn))
			}
			smoke(t, dsn)
			path, err := sqlite.FilePath(dsn)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(path, dir) {
				t.Errorf("FilePath = %s, not in %s", path, dir)
			}
		})
	}
}

func TestOpenEveryBackend(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			dsn := b.NewDSN(t)
			if got := backend.Kind(dsn); got != b.Name {
				t.Errorf("Kind(%s) = %s, want %s", backend.Redact(dsn), got, b.Name)
			}
			smoke(t, dsn)
		})
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := backend.Open(t.Context(), filepath.Join(dir, "x.db"), store.Options{}); err == nil {
		t.Error("Open without a Sealer succeeded")
	}
	opts := store.Options{Sealer: storetest.TestSealer(t)}
	for _, dsn := range []string{"", ":memory:", filepath.Join(dir, "missing-dir", "x.db"), "x.db?_pragma=foreign_keys(0)"} {
		if s, err := backend.Open(t.Context(), dsn, opts); err == nil {
			s.Close()
			t.Errorf("Open(%q) succeeded", dsn)
		}
	}
	const pw = "hunter2-secret"
	if _, err := backend.Open(t.Context(), "postgres://u:"+pw+"@127.0.0.1:1/db?connect_timeout=2", opts); err == nil || strings.Contains(err.Error(), pw) {
		t.Errorf("Open of an unreachable PostgreSQL: %v", err)
	}
}

func TestKindAndRedact(t *testing.T) {
	for _, c := range []struct{ dsn, kind, redacted string }{
		{"postgres://u:pw@h:5432/db?sslmode=disable", "postgres", "postgres://u:xxxxx@h:5432/db?sslmode=disable"},
		{"postgresql://u@h/db", "postgres", "postgresql://u@h/db"},
		{"POSTGRES://u:p@h/db", "postgres", "POSTGRES://u:xxxxx@h/db"},
		{"/var/lib/x.db", "sqlite", "/var/lib/x.db"},
		{"sqlite:x.db", "sqlite", "sqlite:x.db"},
	} {
		if got := backend.Kind(c.dsn); got != c.kind {
			t.Errorf("Kind(%q) = %s, want %s", c.dsn, got, c.kind)
		}
		if got := backend.Redact(c.dsn); got != c.redacted {
			t.Errorf("Redact(%q) = %s, want %s", c.dsn, got, c.redacted)
		}
	}
	if !postgres.IsDSN("postgres://x") {
		t.Error("IsDSN")
	}
}
