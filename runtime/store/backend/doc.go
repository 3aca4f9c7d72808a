// Package backend opens the LTI runtime's store from one DSN string, the
// form an application takes from its configuration:
//
//	postgres://user:password@host:5432/db?sslmode=require   PostgreSQL (package postgres)
//	postgresql://...                                          PostgreSQL
//	/var/lib/ltiforge/store.db                                SQLite file (package sqlite)
//	sqlite:/var/lib/ltiforge/store.db, file:store.db          SQLite file
//
// A PostgreSQL DSN is read by pgx: every libpq URL parameter applies, and
// the store's tables live in the connection's current schema, so a schema
// other than public is chosen with options=-csearch_path%3Dmyschema. Any
// number of instances (stateless servers behind a load balancer) may share
// one PostgreSQL database. A SQLite database serves the processes of one
// host.
//
// # Sealing key
//
// Options.Sealer is required: secrets (tool proxies' shared secrets,
// registration passwords) are sealed with it before they reach the
// database. An application gets one with seal.Load, which reads the
// base64 key from the environment variable LTIFORGE_SEAL_KEY or from the
// file named by LTIFORGE_SEAL_KEY_FILE (base64, or the 32 raw bytes);
// seal.Generate makes a new key. Every instance sharing a database needs
// the same key.
//
// # Migrations
//
// Each implementation embeds its versioned schema migrations
// (migrations/NNNN_name.sql) and applies the missing ones at Open, in one
// transaction, recording each version in the table schema_migrations; a
// database newer than the program is refused. PostgreSQL instances
// starting together serialize on an advisory lock per schema.
//
// # Durability
//
// SQLite runs in WAL mode with synchronous=FULL: an acknowledged write is
// on disk and survives a crash or kill -9. PostgreSQL's durability is the
// server's (synchronous_commit, on by default). OAuth nonces are kept for
// Options.NonceRetention (default 20 minutes) and purged in the
// background until Close.
package backend
