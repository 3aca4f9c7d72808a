// Package storetest is the conformance suite every store.Store
// implementation passes, and the helpers the runtime's other tests use to
// get stores.
//
// Run(t, backend) runs the suite; Backends(t) lists the backends to test:
// SQLite always (each database a file in t.TempDir()), and PostgreSQL when
// the environment variable LTIFORGE_TEST_POSTGRES holds a DSN, for
// example
//
//	LTIFORGE_TEST_POSTGRES='postgres://ltiforge:ltiforge@127.0.0.1:5432/ltiforge?sslmode=disable'
//
// Each PostgreSQL test database is a fresh schema ltitest_<random> of that
// database, selected through the search_path startup option
// (options=-csearch_path=...) and dropped when the test ends; the role
// needs the CREATE privilege on the database. Without the variable the
// PostgreSQL tests are skipped with a message, except when CI=true, where
// its absence fails them: CI never skips PostgreSQL silently.
//
// A typical test of another package:
//
//	for _, b := range storetest.Backends(t) {
//		t.Run(b.Name, func(t *testing.T) {
//			st := b.NewStore(t) // fresh database, TestSealer(t), closed at the end
//			...
//		})
//	}
//
// TestSealer(t) gives a sealing key that is random per process and fixed
// per test, so that two stores a test opens on one database share it.
package storetest
