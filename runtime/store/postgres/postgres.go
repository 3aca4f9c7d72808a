package postgres

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/ltiforge/ltiforge/runtime/store"
	"github.com/ltiforge/ltiforge/runtime/store/seal"
)

// PostgreSQL error codes this package tells apart.
const (
	codeUniqueViolation     = "23505"
	codeForeignKeyViolation = "23503"
)

// Store is a store.Store in a PostgreSQL database, through a pgx
// connection pool. Any number of processes may share one database: every
// check-and-write the interface makes atomic is one statement or one
// transaction holding the row locks it depends on.
type Store struct {
	pool      *pgxpool.Pool
	sealer    store.Sealer
	retention time.Duration
	log       *slog.Logger

	cancel    context.CancelFunc
	purgeDone chan struct{}
	closeOnce sync.Once
}

var _ store.Store = (*Store)(nil)

// IsDSN reports whether dsn names a PostgreSQL database: a URL with the
// scheme postgres or postgresql.
func IsDSN(dsn string) bool {
	l := strings.ToLower(dsn)
	return strings.HasPrefix(l, "postgres://") || strings.HasPrefix(l, "postgresql://")
}

// Open connects to the PostgreSQL database of dsn (a libpq-style URL or
// keyword/value string, as pgx reads it), applies the migrations it lacks
// in the connection's current schema, and starts purging expired nonces
// until Close. opts.Sealer is required.
func Open(ctx context.Context, dsn string, opts store.Options) (*Store, error) {
	if isNilSealer(opts.Sealer) {
		return nil, errors.New("postgres: open: Options.Sealer is required")
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	retention := opts.NonceRetention
	if retention <= 0 {
		retention = store.DefaultNonceRetention
	}
	// pgx redacts the password in its parse errors.
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	// The config keeps pgx's default query execution mode,
	// QueryExecModeCacheStatement: every connection prepares a statement
	// the first time it runs it and reuses it after (see the package doc).
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: open: connect to %s:%d/%s: %w", cfg.ConnConfig.Host, cfg.ConnConfig.Port, cfg.ConnConfig.Database, err)
	}
	if _, err := migrate(ctx, pool, log); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	pctx, cancel := context.WithCancel(context.Background())
	s := &Store{pool: pool, sealer: opts.Sealer, retention: retention, log: log, cancel: cancel, purgeDone: make(chan struct{})}
	go s.purgeLoop(pctx)
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

// Close stops the nonce purge and closes the pool, waiting for the
// connections in use to be released. It is safe to call more than once.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.cancel()
		<-s.purgeDone
		s.pool.Close()
	})
	return nil
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
				s.log.Warn("postgres: purge expired nonces", "err", err)
			}
		}
	}
}

// PurgeNonces deletes the nonces whose retention has passed (by the
// database's clock) and returns how many it deleted. The store calls it
// periodically; an expired nonce is not a replay whether or not it is
// purged.
func (s *Store) PurgeNonces(ctx context.Context) (int64, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM nonces WHERE expires <= now()`)
	if err != nil {
		return 0, fmt.Errorf("postgres: purge nonces: %w", err)
	}
	return tag.RowsAffected(), nil
}

// withTx runs f in a transaction and commits when f returns nil.
func (s *Store) withTx(ctx context.Context, f func(tx pgx.Tx) error) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return err
	}
	if err := f(tx); err != nil {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		tx.Rollback(rctx)
		return err
	}
	return tx.Commit(ctx)
}

// pgCode returns the SQLSTATE of err, "" when it is not a server error.
func pgCode(err error) string {
	var e *pgconn.PgError
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// isForeignKey reports whether err is a foreign key violation.
func isForeignKey(err error) bool { return pgCode(err) == codeForeignKeyViolation }

// stamp is the store's clock, as stored: UTC, microseconds.
func stamp() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// nilIfEmpty returns b, or nil when it is empty, so that an empty
// document reads back as nil in both implementations.
func nilIfEmpty(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}
