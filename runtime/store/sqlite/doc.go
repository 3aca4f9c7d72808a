// Package sqlite is the store.Store of the LTI runtime in one SQLite
// database file, through modernc.org/sqlite (pure Go, no cgo). It suits a
// single server, or several processes on one host sharing the file.
//
// # DSN
//
// Open takes a file path: "/var/lib/ltiforge/consumer.db", optionally
// prefixed with "sqlite:" or "file:" ("file:///var/lib/x.db" and
// "sqlite:/var/lib/x.db" name /var/lib/x.db). The file is created when
// absent. A query part ("?...") and in-memory databases are rejected: the
// store sets its own connection parameters, and its connections must share
// one database.
//
// # Durability and concurrency
//
// Every connection runs with journal_mode=WAL, synchronous=FULL (the WAL
// is synced at every commit, so an acknowledged write survives a crash or
// kill -9), foreign_keys=ON and busy_timeout=10s. The store writes through
// a pool of a single connection, whose transactions begin IMMEDIATE (they
// take the write lock at BEGIN, so a transaction never fails with
// SQLITE_BUSY half-way); it reads through a pool of read-only connections,
// which WAL lets run beside the writer. Other processes may open the same
// file: their writes wait for each other up to the busy timeout.
//
// # Secrets
//
// Shared secrets and registration passwords are sealed with
// Options.Sealer (see package seal; the key comes from LTIFORGE_SEAL_KEY or
// LTIFORGE_SEAL_KEY_FILE) before they reach the file; a sealed secret is
// bound to its row. A used registration credential keeps its row, password
// cleared, so that its key never serves again.
//
// # Migrations
//
// The schema is versioned: migrations/NNNN_*.sql are embedded in the
// program and Open applies, in one IMMEDIATE transaction, those the table
// schema_migrations does not record, recording each one's version. Two
// processes opening a new file together apply each migration once. A file
// whose schema is newer than the program is refused.
//
// # Representation
//
// Times are stored as UTC text with microseconds
// ("2006-01-02T15:04:05.000000Z"), documents as BLOBs, custom parameters
// and roles as JSON arrays (order kept; roles are also indexed one per row
// for the exact-match role filter). Reads normalize an empty document,
// custom parameter list or role list to nil; lists are never nil.
// Expired OAuth nonces are purged in the background (every quarter of the
// retention, between 1 s and 5 min) until Close.
package sqlite
