package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/ltiforge/ltiforge/runtime/store"
	"github.com/ltiforge/ltiforge/runtime/store/seal"
	sqlite3 "modernc.org/sqlite"
)

// BusyTimeout is how long a connection waits for another connection's (or
// process's) write lock before failing with SQLITE_BUSY.
const BusyTimeout = 10 * time.Second

// timeLayout is how times are stored: UTC, microseconds, fixed width, so
// that stored times compare as strings.
const timeLayout = "2006-01-02T15:04:05.000000Z"

// SQLite extended result codes this package tells apart.
const (
	codeConstraintForeignKey = 787  // SQLITE_CONSTRAINT_FOREIGNKEY
	codeConstraintPrimaryKey = 1555 // SQLITE_CONSTRAINT_PRIMARYKEY
	codeConstraintUnique     = 2067 // SQLITE_CONSTRAINT_UNIQUE
)

// Store is a store.Store in one SQLite database file. It holds two
// connection pools on the file: a single writer connection, which
// serializes this process's writes without SQLITE_BUSY, and several
// read-only connections, which in WAL mode read concurrently with the
// writer. Other processes may open the same file; their writers then
// wait for each other for up to BusyTimeout.
type Store struct {
	w, r      *sql.DB
	st        stmts
	sealer    store.Sealer
	retention time.Duration
	log       *slog.Logger

	cancel    context.CancelFunc
	purgeDone chan struct{}

	// nonces holds the nonces in memory and their queue to the table
	// (see nonces.go), which nonceLoop writes; it returns once closing is
	// closed and then closes nonceDone.
	nonces    nonces
	closing   chan struct{}
	nonceDone chan struct{}

	closeOnce sync.Once
	closeErr  error
}

var _ store.Store = (*Store)(nil)

// FilePath returns the file path a DSN names: the DSN itself, or what
// follows a "sqlite:" or "file:" prefix (and a "//" after it, so that
// "file:///var/lib/x.db" names /var/lib/x.db). A DSN with a query ("?")
// or naming an in-memory database is rejected: the store sets its own
// connection parameters and needs a file that several connections share.
func FilePath(dsn string) (string, error) {
	p := dsn
	for _, prefix := range []string{"sqlite:", "file:"} {
		if len(p) >= len(prefix) && strings.EqualFold(p[:len(prefix)], prefix) {
			p = p[len(prefix):]
			if strings.HasPrefix(p, "//") {
				p = p[2:]
			}
			break
		}
	}
	switch {
	case p == "":
		return "", errors.New("sqlite: empty database path")
	case strings.ContainsRune(p, '?'):
		return "", errors.New("sqlite: database path must not hold a query (\"?\"); the store sets its own parameters")
	case p == ":memory:" || strings.HasPrefix(p, ":memory:") || strings.Contains(p, "mode=memory"):
		return "", errors.New("sqlite: in-memory databases are not supported; give a file path")
	}
	return p, nil
}

// Open opens (creating when absent) the SQLite database named by dsn (see
// FilePath), applies the migrations it lacks, and starts purging expired
// nonces until Close. opts.Sealer is required.
func Open(ctx context.Context, dsn string, opts store.Options) (*Store, error) {
	if isNilSealer(opts.Sealer) {
		return nil, errors.New("sqlite: open: Options.Sealer is required")
	}
	path, err := FilePath(dsn)
	if err != nil {
		return nil, err
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	retention := opts.NonceRetention
	if retention <= 0 {
		retention = store.DefaultNonceRetention
	}

	// The pragmas run in this order on every new connection: the busy
	// timeout first, so that switching to WAL waits for other
	// connections; synchronous=FULL makes every commit durable (the WAL is
	// synced at each commit), so an acknowledged write survives a crash.
	common := fmt.Sprintf("_pragma=busy_timeout(%d)&_pragma=foreign_keys(1)", BusyTimeout.Milliseconds())
	w, err := sql.Open("sqlite", path+"?"+common+"&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxIdleTime(0)
	w.SetConnMaxLifetime(0)
	if err := pingWriter(ctx, w); err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: open %s: writer: %w", path, err)
	}
	if _, err := migrate(ctx, w, log); err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: open %s: migrate: %w", path, err)
	}
	// Readers: WAL is a property of the file, set by the writer above.
	r, err := sql.Open("sqlite", path+"?"+common+"&_query_only=1")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	n := max(4, runtime.GOMAXPROCS(0))
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	if err := r.PingContext(ctx); err != nil {
		w.Close()
		r.Close()
		return nil, fmt.Errorf("sqlite: open %s: readers: %w", path, err)
	}

	s := &Store{
		w: w, r: r, sealer: opts.Sealer, retention: retention, log: log,
		purgeDone: make(chan struct{}),
		closing:   make(chan struct{}),
		nonceDone: make(chan struct{}),
	}
	if err := s.prepare(ctx); err != nil {
		w.Close()
		r.Close()
		return nil, fmt.Errorf("sqlite: open %s: prepare: %w", path, err)
	}
	if err := s.initNonces(ctx, DefaultMaxNonces); err != nil {
		s.st.close()
		w.Close()
		r.Close()
		return nil, fmt.Errorf("sqlite: open %s: load nonces: %w", path, err)
	}
	pctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	go s.purgeLoop(pctx)
	go s.nonceLoop()
	return s, nil
}

// isNilSealer reports whether sl is nil, also as a typed nil pointer.
func isNilSealer(sl store.Sealer) bool {
	if sl == nil {
		return true
	}
	p, ok := sl.(*seal.Sealer)
	return ok && p == nil
}

// Close stops the nonce purge and the nonce writer, writes the nonces
// still queued, and closes the database. It is safe to call more than
// once.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.cancel()
		<-s.purgeDone
		s.closeErr = errors.Join(s.closeNonces(), s.st.close(), s.r.Close(), s.w.Close())
		if s.closeErr != nil {
			s.closeErr = fmt.Errorf("sqlite: close: %w", s.closeErr)
		}
	})
	return s.closeErr
}

// purgeInterval is how often expired nonces are deleted.
func purgeInterval(retention time.Duration) time.Duration {
	return min(max(retention/4, time.Second), 5*time.Minute)
}

// purgeLoop deletes expired nonces periodically until ctx is done.
func (s *Store) purgeLoop(ctx context.Context) {
	defer close(s.purgeDone)
	t := time.NewTicker(purgeInterval(s.retention))
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := s.PurgeNonces(ctx); err != nil && ctx.Err() == nil {
				s.log.Warn("sqlite: purge expired nonces", "err", err)
			}
		}
	}
}

// PurgeNonces deletes the nonces whose retention has passed, from memory
// and from the table, and returns how many it deleted from the table. The
// store calls it periodically; calling it is never needed for
// correctness, since an expired nonce is not a replay whether or not it
// is purged.
func (s *Store) PurgeNonces(ctx context.Context) (int64, error) {
	s.sweepNonces(time.Now())
	res, err := s.w.ExecContext(ctx, `DELETE FROM nonces WHERE expires <= ?`, fmtTime(time.Now()))
	if err != nil {
		return 0, fmt.Errorf("sqlite: purge nonces: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("sqlite: purge nonces: %w", err)
	}
	return n, nil
}

// lookupCtx returns the context to run a lookup of one row (or of one
// settings container) with: ctx without its cancellation, unless ctx is
// already done, in which case the query fails at once as before. Such a
// read on a WAL reader connection ends in microseconds and waits for no
// lock (but in the rare recovery of a WAL after a crash, bounded by the
// busy timeout), so cancelling it midway gains nothing, while a
// cancellable context costs two goroutines per query (database/sql's and
// the driver's watchers), a measurable share of a service request.
func lookupCtx(ctx context.Context) context.Context {
	if ctx.Err() != nil {
		return ctx
	}
	return context.WithoutCancel(ctx)
}

// withTx runs f in a write transaction (BEGIN IMMEDIATE: it holds the
// database's write lock from its start) and commits when f returns nil.
func (s *Store) withTx(ctx context.Context, f func(tx *sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := f(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Bounds of the stored time format (four-digit years).
var (
	minTime = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	maxTime = time.Date(9999, 12, 31, 23, 59, 59, 999999000, time.UTC)
)

// fmtTime formats t as stored, clamped to years 1 to 9999 so that the
// text keeps its width and order.
func fmtTime(t time.Time) string {
	t = t.UTC().Truncate(time.Microsecond)
	if t.Before(minTime) {
		t = minTime
	} else if t.After(maxTime) {
		t = maxTime
	}
	return t.Format(timeLayout)
}

// parseTime parses a stored time.
func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("bad stored time %q: %w", s, err)
	}
	return t.UTC(), nil
}

// now is the store's clock, as stored.
func now() (time.Time, string) {
	t := time.Now().UTC().Truncate(time.Microsecond)
	return t, t.Format(timeLayout)
}

// sqliteCode returns the extended result code of err, 0 when it is not a
// SQLite error.
func sqliteCode(err error) int {
	var e *sqlite3.Error
	if errors.As(err, &e) {
		return e.Code()
	}
	return 0
}

// isForeignKey reports whether err is a foreign key violation.
func isForeignKey(err error) bool { return sqliteCode(err) == codeConstraintForeignKey }

// isDuplicate reports whether err is a primary key or unique violation.
func isDuplicate(err error) bool {
	c := sqliteCode(err)
	return c == codeConstraintPrimaryKey || c == codeConstraintUnique
}

// nilIfEmpty returns b, or nil when it is empty, so that an empty
// document reads back as nil in both implementations.
func nilIfEmpty(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}

// bool2int converts for an INTEGER column.
func bool2int(b bool) int {
	if b {
		return 1
	}
	return 0
}

// pingWriter opens the writer's connection. Switching a new file to WAL
// takes an exclusive lock without waiting on the busy handler, so processes
// opening the same new file at once can see SQLITE_BUSY there: it retries
// for up to BusyTimeout.
func pingWriter(ctx context.Context, w *sql.DB) error {
	deadline := time.Now().Add(BusyTimeout)
	for {
		err := w.PingContext(ctx)
		if err == nil || sqliteCode(err)&0xff != 5 || time.Now().After(deadline) { // 5: SQLITE_BUSY
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(5 * time.Millisecond):
		}
	}
}
