package oauth1

import (
	"container/heap"
	"context"
	"errors"
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
type MemoryNonceStore struct {
	// Now is the store's clock; nil means time.Now. Set it before use.
	Now func() time.Time

	max int
	ttl time.Duration

	mu      sync.Mutex
	entries map[nonceKey]time.Time
	expiry  expiryHeap
}

type nonceKey struct{ consumer, nonce string }

type expiryEntry struct {
	key nonceKey
	at  time.Time
}

type expiryHeap []expiryEntry

func (h expiryHeap) Len() int           { return len(h) }
func (h expiryHeap) Less(i, j int) bool { return h[i].at.Before(h[j].at) }
func (h expiryHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *expiryHeap) Push(x any)        { *h = append(*h, x.(expiryEntry)) }
func (h *expiryHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
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
	return &MemoryNonceStore{max: max, ttl: ttl, entries: make(map[nonceKey]time.Time)}
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
	k := nonceKey{consumerKey, nonce}
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(s.expiry) > 0 && !s.expiry[0].at.After(t) {
		e := heap.Pop(&s.expiry).(expiryEntry)
		if at, ok := s.entries[e.key]; ok && at.Equal(e.at) {
			delete(s.entries, e.key)
		}
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
	s.entries[k] = at
	heap.Push(&s.expiry, expiryEntry{k, at})
	return false, nil
}

// Len returns the number of nonces held (expired ones included until the
// next Seen purges them).
func (s *MemoryNonceStore) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.entries)
}
