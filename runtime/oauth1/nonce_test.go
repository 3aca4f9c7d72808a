package oauth1

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// TestMemoryNonceStoreModel compares the store with a plain model on
// random nonces, timestamps in the past and future, and a clock that
// mostly moves forward but sometimes back.
func TestMemoryNonceStoreModel(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	now := time.Unix(tNow, 0)
	const max, ttl = 50, time.Minute
	s := NewMemoryNonceStore(max, ttl)
	s.Now = func() time.Time { return now }
	model := map[[2]string]time.Time{}
	for i := range 200000 {
		now = now.Add(time.Duration(r.IntN(3000)-100) * time.Millisecond)
		key := [2]string{fmt.Sprint("k", r.IntN(3)), fmt.Sprint("n", r.IntN(80))}
		ts := now.Add(time.Duration(r.IntN(240)-180) * time.Second)
		for k, at := range model {
			if !at.After(now) {
				delete(model, k)
			}
		}
		_, want := model[key]
		var wantErr error
		if !want && len(model) >= max {
			wantErr = ErrNonceStoreFull
		} else if !want {
			model[key] = later(now, ts).Add(ttl)
		}
		got, err := s.Seen(context.Background(), key[0], key[1], ts)
		if got != want || err != wantErr {
			t.Fatalf("step %d: Seen(%q) = %v, %v; want %v, %v", i, key, got, err, want, wantErr)
		}
		if s.Len() != len(model) {
			t.Fatalf("step %d: Len = %d, want %d", i, s.Len(), len(model))
		}
	}
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// TestMemoryNonceStoreKeys checks that a consumer key and nonce are not
// confused with another pair of the same concatenation.
func TestMemoryNonceStoreKeys(t *testing.T) {
	s := NewMemoryNonceStore(0, 0)
	for _, kn := range [][2]string{{"ab", "c"}, {"a", "bc"}, {"", "abc"}, {"abc", ""}} {
		if seen, err := s.Seen(context.Background(), kn[0], kn[1], time.Now()); seen || err != nil {
			t.Errorf("Seen(%q, %q) = %v, %v", kn[0], kn[1], seen, err)
		}
	}
}
