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
// is synced at every commit, so an acknowledged write survives a crash,
// kill -9 or a power loss), foreign_keys=ON and busy_timeout=10s. The
// store writes through a pool of a single connection, whose transactions
// begin IMMEDIATE (they take the write lock at BEGIN, so a transaction
// never fails with SQLITE_BUSY half-way); it reads through a pool of
// read-only connections, which WAL lets run beside the writer. Other
// processes may open the same file: their writes wait for each other up
// to the busy timeout. The statements of the frequent calls are prepared
// at Open (and on another connection of a pool the first time it runs
// them), so that SQLite does not parse their text at every call.
//
// # Nonces: durable against kill -9, not against power loss
//
// OAuth nonces are the one exception to synchronous=FULL. Seen hands its
// nonce to one goroutine of the store, which records the nonces waiting
// for it in one transaction on the writer connection committed with
// synchronous=NORMAL (set just before and restored to FULL just after,
// while the connection is held, so no other write commits at NORMAL; a
// connection whose restore fails is closed). Each nonce's check and record
// is still one atomic upsert, and a replay is still refused at once, by
// this process or another sharing the file. In WAL mode a NORMAL commit
// is in the WAL file when Seen returns, so it survives the process being
// killed; it is not fsynced, so a power loss or OS crash can lose the
// nonces recorded since the WAL was last synced (by the next FULL commit
// of any data write, or a checkpoint, which sync every frame before
// them). The cost of that loss is bounded: a request whose nonce was lost
// can be replayed once, and only within the verifier's timestamp window
// (the nonce retention, 20 minutes by default), after the host comes
// back. In exchange a signed request costs no fsync, and concurrent
// requests share one commit. Tool proxies, registrations, settings,
// results and everything else stay durable against power loss.
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
