package backend

import (
	"context"
	"strings"

	"github.com/ltiforge/ltiforge/runtime/store"
	"github.com/ltiforge/ltiforge/runtime/store/postgres"
	"github.com/ltiforge/ltiforge/runtime/store/sqlite"
)

// Open opens the store a DSN names: PostgreSQL for a postgres:// or
// postgresql:// URL (see package postgres), otherwise a SQLite database
// file, given as a path optionally prefixed with "sqlite:" or "file:" (see
// package sqlite). opts.Sealer is required. The store applies its pending
// migrations before Open returns; close it with Close.
func Open(ctx context.Context, dsn string, opts store.Options) (store.Store, error) {
	if postgres.IsDSN(dsn) {
		s, err := postgres.Open(ctx, dsn, opts)
		if err != nil {
			return nil, err
		}
		return s, nil
	}
	s, err := sqlite.Open(ctx, dsn, opts)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// Kind returns "postgres" or "sqlite": the implementation Open chooses
// for dsn.
func Kind(dsn string) string {
	if postgres.IsDSN(dsn) {
		return "postgres"
	}
	return "sqlite"
}

// Redact returns dsn with the password of a PostgreSQL URL replaced by
// "xxxxx", for logs. Other DSNs are returned as they are.
func Redact(dsn string) string {
	if !postgres.IsDSN(dsn) {
		return dsn
	}
	scheme, rest, _ := strings.Cut(dsn, "://")
	auth, hostpath, ok := strings.Cut(rest, "@")
	if !ok || strings.Contains(auth, "/") {
		return dsn
	}
	if user, _, hasPW := strings.Cut(auth, ":"); hasPW {
		return scheme + "://" + user + ":xxxxx@" + hostpath
	}
	return dsn
}
