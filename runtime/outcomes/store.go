package outcomes

import (
	"context"
	"sync"
)

// Store keeps results, keyed by lis_result_sourcedid. Implementations must
// be safe for concurrent use.
type Store interface {
	// Replace sets the score (in [0, 1]) and its language for sourcedID.
	Replace(ctx context.Context, sourcedID string, score float64, language string) error
	// Read returns the score and language of sourcedID; ok is false when
	// there is none (no grade yet).
	Read(ctx context.Context, sourcedID string) (score float64, language string, ok bool, err error)
	// Delete removes the result of sourcedID; deleting a result that does
	// not exist is not an error.
	Delete(ctx context.Context, sourcedID string) error
}

// MemoryStore is a Store held in memory, bounded in the number of results.
// It is for tests and single-process deployments.
type MemoryStore struct {
	max     int
	mu      sync.Mutex
	results map[string]memoryResult
}

type memoryResult struct {
	score    float64
	language string
}

// NewMemoryStore returns an empty MemoryStore holding at most max results
// (max <= 0 means 100000).
func NewMemoryStore(max int) *MemoryStore {
	if max <= 0 {
		max = 100000
	}
	return &MemoryStore{max: max, results: make(map[string]memoryResult)}
}

// Replace implements Store. It returns ErrStoreFull when sourcedID is new
// and the store is full.
func (s *MemoryStore) Replace(ctx context.Context, sourcedID string, score float64, language string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.results[sourcedID]; !ok && len(s.results) >= s.max {
		return ErrStoreFull
	}
	s.results[sourcedID] = memoryResult{score: score, language: language}
	return nil
}

// Read implements Store.
func (s *MemoryStore) Read(ctx context.Context, sourcedID string) (float64, string, bool, error) {
	if err := ctx.Err(); err != nil {
		return 0, "", false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.results[sourcedID]
	return r.score, r.language, ok, nil
}

// Delete implements Store.
func (s *MemoryStore) Delete(ctx context.Context, sourcedID string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.results, sourcedID)
	return nil
}

// Len returns the number of results held.
func (s *MemoryStore) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.results)
}
