package oauth1

import (
	"context"
	"encoding/binary"
	"errors"
	"hash/maphash"
	"sync"
	"time"
)

// ErrNonceStoreFull is returned by [MemoryNonceStore.Seen] when the store
// holds its maximum of unexpired nonces. The store fails closed rather than
// forget a nonce early (which would let that request be replayed).
var ErrNonceStoreFull = errors.New("oauth1: nonce store is full")

// MemoryNonceStore is a [NonceStore] in memory, bounded in size, whose
// entries expire. It suits one server process; servers behind a load
// balancer need a shared store.
//
// It keeps each consumer key and nonce as a 128-bit hash, keyed with
// random seeds of its own: that makes an entry small and free of
// pointers, and so cheap to look up and for the garbage collector. Two
// different pairs get the same hash with probability about 2⁻¹²⁸, so that
// the second would look like a replay.
type MemoryNonceStore struct {
	// Now is the store's clock; nil means time.Now. Set it before use.
	Now func() time.Time

	max  int
	ttl  time.Duration
	seed [2]maphash.Seed

	mu      sync.Mutex
	entries map[nonceHash]struct{}
	// The entries' expiry times, in order: most arrive in order (the
	// later of a clock that moves forward and a timestamp usually in
	// the past, plus a fixed TTL) and go to the queue; the others to the
	// heap. The earliest is at the head of one of them.
	queue  expiryQueue
	sooner expiryHeap
}

// nonceHash is the hash of a consumer key and nonce.
type nonceHash [2]uint64

type expiryEntry struct {
	key nonceHash
	at  time.Time
}

// expiryQueue is a ring buffer of entries in expiry order.
type expiryQueue struct {
	buf     []expiryEntry
	head, n int
}

func (q *expiryQueue) front() *expiryEntry { return &q.buf[q.head] }
func (q *expiryQueue) back() *expiryEntry  { return &q.buf[(q.head+q.n-1)%len(q.buf)] }

func (q *expiryQueue) push(e expiryEntry) {
	if q.n == len(q.buf) {
		buf := make([]expiryEntry, max(16, 2*len(q.buf)))
		k := copy(buf, q.buf[q.head:])
		copy(buf[k:], q.buf[:q.head])
		q.buf, q.head = buf, 0
	}
	q.buf[(q.head+q.n)%len(q.buf)] = e
	q.n++
}

func (q *expiryQueue) pop() expiryEntry {
	e := q.buf[q.head]
	q.buf[q.head] = expiryEntry{}
	q.head = (q.head + 1) % len(q.buf)
	q.n--
	return e
}

// expiryHeap is a binary min-heap on expiry time, without the boxing
// container/heap would cost each push.
type expiryHeap []expiryEntry

func (h *expiryHeap) push(e expiryEntry) {
	*h = append(*h, e)
	a := *h
	for i := len(a) - 1; i > 0; {
		p := (i - 1) / 2
		if !a[i].at.Before(a[p].at) {
			break
		}
		a[i], a[p] = a[p], a[i]
		i = p
	}
}

func (h *expiryHeap) pop() expiryEntry {
	a := *h
	e := a[0]
	n := len(a) - 1
	a[0] = a[n]
	a[n] = expiryEntry{}
	a = a[:n]
	for i := 0; ; {
		m := i
		if l := 2*i + 1; l < n && a[l].at.Before(a[m].at) {
			m = l
		}
		if r := 2*i + 2; r < n && a[r].at.Before(a[m].at) {
			m = r
		}
		if m == i {
			break
		}
		a[i], a[m] = a[m], a[i]
		i = m
	}
	*h = a
	return e
}

// NewMemoryNonceStore returns a store holding at most max nonces (0 or less
// means 100,000), each remembered for ttl (0 or less means 10 minutes)
// after the later of its timestamp and the time it was seen. A ttl at least
// the [Verifier]'s window guarantees a nonce is remembered for as long as
// its timestamp is acceptable.
func NewMemoryNonceStore(max int, ttl time.Duration) *MemoryNonceStore {
	if max <= 0 {
		max = 100_000
	}
	if ttl <= 0 {
		ttl = 10 * time.Minute
	}
	return &MemoryNonceStore{max: max, ttl: ttl, seed: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()},
		entries: make(map[nonceHash]struct{})}
}

// hash returns the hash of a consumer key and nonce: of the length of
// the consumer key, then both, so that no two pairs hash the same bytes.
func (s *MemoryNonceStore) hash(consumerKey, nonce string) nonceHash {
	var buf [96]byte
	b := binary.AppendUvarint(buf[:0], uint64(len(consumerKey)))
	b = append(b, consumerKey...)
	b = append(b, nonce...)
	return nonceHash{maphash.Bytes(s.seed[0], b), maphash.Bytes(s.seed[1], b)}
}

// Seen records the nonce of consumerKey and reports whether it was already
// recorded and unexpired. Nonces are kept per consumer key.
func (s *MemoryNonceStore) Seen(ctx context.Context, consumerKey, nonce string, ts time.Time) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	t := now()
	k := s.hash(consumerKey, nonce)
	s.mu.Lock()
	defer s.mu.Unlock()
	for s.queue.n > 0 && !s.queue.front().at.After(t) {
		delete(s.entries, s.queue.pop().key)
	}
	for len(s.sooner) > 0 && !s.sooner[0].at.After(t) {
		delete(s.entries, s.sooner.pop().key)
	}
	if _, ok := s.entries[k]; ok {
		return true, nil
	}
	if len(s.entries) >= s.max {
		return false, ErrNonceStoreFull
	}
	at := t
	if ts.After(at) {
		at = ts
	}
	at = at.Add(s.ttl)
	s.entries[k] = struct{}{}
	if s.queue.n == 0 || !at.Before(s.queue.back().at) {
		s.queue.push(expiryEntry{k, at})
	} else {
		s.sooner.push(expiryEntry{k, at})
	}
	return false, nil
}

// Len returns the number of nonces held (expired ones included until the
// next Seen purges them).
func (s *MemoryNonceStore) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.entries)
}
