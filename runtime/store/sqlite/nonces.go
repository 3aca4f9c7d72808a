package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"time"
)

// Nonces are recorded by one goroutine per Store, which takes the calls to
// Seen that are waiting when it is free and records them in one
// transaction on the writer connection, committed with
// synchronous=NORMAL; it then restores synchronous=FULL on the connection
// and answers each caller. Why both:
//
//   - synchronous=NORMAL: with FULL every commit syncs the WAL, an fsync
//     per signed request for a record that only needs to outlive the 5 to
//     20 minutes of the replay window. In WAL mode a NORMAL commit is
//     written to the WAL before it returns, so it survives the process
//     being killed (kill -9) as any commit does; it is only not synced,
//     so a power loss or OS crash can lose it until the next FULL commit
//     (a data write, from this process or another sharing the file) or
//     checkpoint syncs the WAL, and with it every frame before. What a
//     power loss can lose is thus the nonces recorded since the last sync,
//     which lets such a request be replayed once after the host comes
//     back, within the request's timestamp window. Data writes keep
//     FULL: the connection is pinned from the pragma to its restore, so no
//     data write commits in between, and a connection whose restore fails
//     is discarded (driver.ErrBadConn), never returned to the pool at
//     NORMAL.
//   - Batching: a commit costs far more than an upsert (WAL frames
//     written, WAL-index locks taken, the two pragmas), and concurrent
//     requests queue for the single writer connection anyway. One commit
//     for the nonces that queued meanwhile costs less CPU per nonce than a
//     transaction each, adds no wait when calls do not overlap (a batch
//     is what is queued, never a timer), and keeps
//     each nonce's check-and-record one upsert: the second of two equal
//     nonces in one batch sees the first's row, a replay.
//
// Measured with BenchmarkSeen (8 concurrent callers, 2 CPUs), in CPU time
// per nonce: 39 µs with a NORMAL transaction each, 16 to 23 µs batched
// at NORMAL, 29 µs batched at FULL (the fsync's kernel time); a FULL
// transaction each took 135 µs of wall time per nonce. In the consumer's
// signed Tool Settings GET, batching at NORMAL gave about 10% more
// requests per second than a NORMAL transaction each.
//
// A batch fails as a whole: its upserts cannot fail one by one
// (conflicts are part of the upsert), so an error is the database's (a
// lock held past the busy timeout, an I/O error) and every caller of the
// batch gets it; a caller whose nonce may then be recorded or not sees an
// error, never "not a replay".

// maxNonceBatch caps the nonces of one transaction, so that a burst does
// not hold the write lock long.
const maxNonceBatch = 64

// Statements that switch the writer connection's durability around a
// batch of nonces.
const (
	pragmaNormal = `PRAGMA synchronous = NORMAL`
	pragmaFull   = `PRAGMA synchronous = FULL`
)

// errClosed is the error of Seen after Close.
var errClosed = errors.New("store closed")

// nonceCall is one call of Seen waiting for its batch.
type nonceCall struct {
	ctx  context.Context
	args [4]any // consumer_key, nonce, expires, now
	done chan nonceResult
}

// nonceResult answers a nonceCall: the rows its upsert changed (0: a
// replay).
type nonceResult struct {
	n   int64
	err error
}

// Seen records the nonce of consumerKey and reports whether it was
// already recorded and unexpired, with one upsert that inserts a new
// nonce, renews an expired one, and leaves a live one untouched (no row
// changed: a replay). A nonce is kept until its retention has passed after
// the later of ts and now. The upsert runs in a batch with the calls made
// meanwhile, committed without an fsync (see above).
func (s *Store) Seen(ctx context.Context, consumerKey, nonce string, ts time.Time) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, fmt.Errorf("sqlite: record nonce: %w", err)
	}
	t, nowText := now()
	c := &nonceCall{
		ctx:  ctx,
		args: [4]any{consumerKey, nonce, fmtTime(later(ts, t).Add(s.retention)), nowText},
		done: make(chan nonceResult, 1),
	}
	select {
	case s.nonceCalls <- c:
	case <-s.closing:
		return false, fmt.Errorf("sqlite: record nonce: %w", errClosed)
	case <-ctx.Done():
		return false, fmt.Errorf("sqlite: record nonce: %w", ctx.Err())
	}
	select {
	case r := <-c.done:
		if r.err != nil {
			return false, fmt.Errorf("sqlite: record nonce: %w", r.err)
		}
		return r.n == 0, nil
	case <-ctx.Done():
		// The batch goes on and may record the nonce: the caller fails
		// either way.
		return false, fmt.Errorf("sqlite: record nonce: %w", ctx.Err())
	}
}

// nonceLoop records the calls of Seen in batches until Close.
func (s *Store) nonceLoop() {
	defer close(s.nonceDone)
	batch := make([]*nonceCall, 0, maxNonceBatch)
	for {
		select {
		case c := <-s.nonceCalls:
			batch = append(batch[:0], c)
		case <-s.closing:
			return
		}
	more:
		for len(batch) < maxNonceBatch {
			select {
			case c := <-s.nonceCalls:
				batch = append(batch, c)
			default:
				break more
			}
		}
		s.recordNonces(batch)
		clear(batch)
	}
}

// recordNonces records a batch and answers its callers; those that gave
// up meanwhile are answered with their context's error and skipped.
func (s *Store) recordNonces(batch []*nonceCall) {
	live := batch[:0]
	for _, c := range batch {
		if err := c.ctx.Err(); err != nil {
			c.done <- nonceResult{err: err}
			continue
		}
		live = append(live, c)
	}
	if len(live) == 0 {
		return
	}
	ns, err := s.upsertNonces(live)
	for i, c := range live {
		if err != nil {
			c.done <- nonceResult{err: err}
		} else {
			c.done <- nonceResult{n: ns[i]}
		}
	}
}

// upsertNonces runs the upserts of batch in one transaction, committed
// with synchronous=NORMAL on the pinned writer connection, and returns the
// rows each changed. It runs whatever the callers' contexts: the busy
// timeout bounds its waits.
func (s *Store) upsertNonces(batch []*nonceCall) ([]int64, error) {
	ctx := context.Background()
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, pragmaNormal); err != nil {
		return nil, errors.Join(err, restoreFull(conn))
	}
	ns, err := func() ([]int64, error) {
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return nil, err
		}
		defer tx.Rollback() // after Commit, a no-op
		upsert := tx.StmtContext(ctx, s.st.seen)
		ns := make([]int64, len(batch))
		for i, c := range batch {
			res, err := upsert.ExecContext(ctx, c.args[:]...)
			if err != nil {
				return nil, err
			}
			if ns[i], err = res.RowsAffected(); err != nil {
				return nil, err
			}
		}
		return ns, tx.Commit()
	}()
	if rerr := restoreFull(conn); rerr != nil {
		return nil, errors.Join(err, rerr)
	}
	return ns, err
}

// restoreFull sets synchronous=FULL again on the pinned writer
// connection. When that fails, it reports the connection bad, so that
// database/sql closes it instead of returning it to the pool at NORMAL.
func restoreFull(conn *sql.Conn) error {
	return conn.Raw(func(dc any) error {
		ex, ok := dc.(driver.ExecerContext)
		if !ok {
			return fmt.Errorf("%w: restore synchronous=FULL: the driver cannot execute", driver.ErrBadConn)
		}
		if _, err := ex.ExecContext(context.Background(), pragmaFull, nil); err != nil {
			return fmt.Errorf("%w: restore synchronous=FULL: %v", driver.ErrBadConn, err)
		}
		return nil
	})
}

// later returns the later of a and b.
func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
