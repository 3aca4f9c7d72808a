// Package postgres is the store.Store of the LTI runtime in a PostgreSQL
// database, through pgx (a pgxpool connection pool). Any number of
// processes may share one database: stateless consumer or tool instances
// behind a load balancer see each other's writes, and every
// check-and-write is atomic across them.
//
// # DSN
//
// Open takes what pgx reads: a URL such as
//
//	postgres://ltiforge:secret@db.example:5432/ltiforge?sslmode=verify-full
//
// or a keyword/value string ("host=... user=... dbname=..."); the libpq
// environment variables (PGHOST, PGPASSWORD, ...) and ~/.pgpass fill in
// what it omits. The tables are created in the connection's current
// schema, the first schema of its search_path that exists; to use another
// schema than public, set it in the DSN with
// options=-csearch_path%3Dmyschema. The role needs the CREATE privilege
// on that schema for the migrations. Errors never contain the password.
//
// # Atomicity across instances
//
//   - Seen is one INSERT ... ON CONFLICT DO UPDATE ... WHERE expired:
//     of concurrent calls with one nonce, from any instances, exactly one
//     inserts the row and reports the nonce new.
//   - CreateToolProxy consumes the registration credential with UPDATE ...
//     WHERE NOT used in the transaction that inserts the proxy (INSERT ...
//     ON CONFLICT DO NOTHING): one registration per credential, and a
//     failed one consumes nothing.
//   - PutToolSettings, CommitProposal and DeleteToolProxy lock the tool
//     proxy's row first, so concurrent replacements of one container's
//     settings run one after the other, each as a whole; readers see one
//     committed set (a single SELECT).
//
// # Secrets
//
// Shared secrets and registration passwords are sealed with
// Options.Sealer (see package seal; the key comes from LTIFORGE_SEAL_KEY or
// LTIFORGE_SEAL_KEY_FILE, and every instance needs the same key) before
// they reach the database. A used registration credential keeps its row,
// password cleared, so that its key never serves again.
//
// # Migrations
//
// The schema is versioned: migrations/NNNN_*.sql are embedded in the
// program, and Open applies those the table schema_migrations does not
// record, in one transaction that first takes a transaction-level
// advisory lock named after the schema (pg_advisory_xact_lock), so that
// instances starting together apply each migration once. A schema newer
// than the program is refused.
//
// # Representation and durability
//
// Times are timestamptz (microseconds; read back in UTC), documents
// bytea, custom parameters jsonb, roles text[] (order kept; also indexed
// one per row for the exact-match role filter). Keys are COLLATE "C", so
// that lists and roster pages are in code point order, as in the SQLite
// store, whatever the database's collation. Durability is the server's: an
// acknowledged write is committed, and with the default
// synchronous_commit=on it is on disk. Expired OAuth nonces are purged in
// the background (every quarter of the retention, between 1 s and 5 min)
// until Close; the expiry uses the database's clock.
package postgres
