// Package sqlite is the store.Store of the LTI runtime in one SQLite
// database file, through modernc.org/sqlite (pure Go, no cgo). It suits a
// single server process; other processes on the host may share the file,
// each seeing the others' OAuth nonces only once written (see Nonces).
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
// # Nonces: checked in memory, written within 50 ms
//
// A SQLite store serves one process. Seen answers from memory: the store
// keeps an index of the unexpired (consumer key, nonce) pairs it accepted,
// and records a new nonce there, atomically with its check (of concurrent
// calls with one nonce exactly one is "not a replay"). A nonce is kept
// until the nonce retention has passed after the later of its timestamp
// and the time it was seen. The index is bounded (DefaultMaxNonces, about
// 56 MB at most): when it is full and none of its nonces has expired,
// Seen fails with ErrNoncesFull (the request is refused) rather than
// forget a live nonce; at the default retention of 20 minutes that takes
// more than about 870 signed requests per second, sustained.
//
// Accepted nonces are written to the nonces table behind the requests, by
// one goroutine of the store: 50 ms after the first one waiting (or at
// once when 1,024 wait), in one transaction on the writer connection
// committed with synchronous=NORMAL (set just before and restored to FULL
// just after, while the connection is held, so no data write commits at
// NORMAL; a connection whose restore fails is closed). FlushNonces writes
// them at once; Close writes them before it closes the database. Open
// loads the unexpired nonces of the table into memory, so that a
// restarted process refuses the replay of every nonce written before it
// stopped, also after kill -9 (a NORMAL commit is in the WAL file once it
// returns).
//
// What that gives up, and why: a request accepted in the last 50 ms or
// so before a crash (kill -9, power loss; longer while the writes fail,
// which the store logs and retries) has its nonce in no table, and can be
// replayed once after the restart, within the verifier's timestamp
// window; and since a NORMAL commit is not synced, a power loss or OS
// crash can also lose the nonces written since the WAL was last synced
// (by the next FULL commit of any data write, or a checkpoint). Writing
// each nonce before answering cost a commit per signed request, which
// held the consumer's signed Tool Settings GET to about a fifth of a bare
// HMAC handler's requests per second; checked in memory and written in
// batches, the GET runs at about half (BenchmarkServices in
// runtime/lifecycle, on a quiet machine). Tool proxies, registrations,
// settings, results and everything else stay synchronous=FULL, durable
// against power loss.
//
// Another process opening the same file loads the nonces written so far
// at Open, and Seen also reads the table (a point read, no write) for a
// nonce not in memory: a nonce another process accepted is a replay here
// once that process has written it, within 50 ms. Two processes receiving
// the same request within that time can both accept it. Several
// instances behind a load balancer need the nonce check they share to be
// immediate: use the PostgreSQL store (package postgres) for them.
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
