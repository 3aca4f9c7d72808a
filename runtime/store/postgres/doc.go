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
//
// # Nonces: committed without waiting for the disk
//
// OAuth nonces are the one exception: Seen's upsert sets
// synchronous_commit=off for its own transaction (set_config(..., true)
// in the statement, so the pooled connection keeps its setting). The
// check and the record stay one atomic statement, visible to every
// instance as soon as Seen returns, and a replay is refused at once; only
// the commit does not wait for its WAL record to be flushed, which the
// WAL writer does within a few hundred milliseconds (and any later
// synchronous commit does too). A crash of the database server (or a
// failover to a standby) in that interval can lose the last nonces, which
// lets such a request be replayed once, within the verifier's timestamp
// window (the nonce retention, 20 minutes by default). In exchange a
// signed request does not wait for a WAL flush. Every other write keeps
// the server's durability.
//
// # Prepared statements
//
// pgx prepares each statement once per connection and reuses it (its
// default query execution mode, cache_statement), so the server parses
// and plans the frequent queries once. The store keeps that default; a
// DSN may change it with default_query_exec_mode or
// statement_cache_capacity=0 (for a pooler that cannot keep prepared
// statements), at the price of a parse per query.
package postgres
