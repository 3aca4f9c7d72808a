package sqlite

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/ltiforge/ltiforge/runtime/store"
	"github.com/ltiforge/ltiforge/runtime/store/seal"
)

// BenchmarkSeen records distinct nonces from 4 goroutines per CPU. The
// nonces still queued are written before the timer stops, so that the CPU
// time per operation includes their share of the writes.
func BenchmarkSeen(b *testing.B) {
	s, err := Open(context.Background(), filepath.Join(b.TempDir(), "b.db"), store.Options{Sealer: benchSealer(b)})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	nonces := randomNonces(b.N)
	var n atomic.Int64
	b.SetParallelism(4)
	stop := reportCPU(b)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if seen, err := s.Seen(context.Background(), benchKey, nonces[n.Add(1)-1], time.Now()); err != nil || seen {
				b.Error(seen, err)
				return
			}
		}
	})
	if err := s.FlushNonces(context.Background()); err != nil {
		b.Fatal(err)
	}
	stop()
}

// benchKey is the consumer key of BenchmarkSeen, a tool proxy GUID.
const benchKey = "7f1c2a9e-4b7d-4e0a-9c3f-2d5b8e6a1f40"

// randomNonces returns n nonces like those oauth1.SignRequest makes: 48
// random hexadecimal digits, which land on random pages of the table.
func randomNonces(n int) []string {
	out := make([]string, n)
	b := make([]byte, 24)
	for i := range out {
		rand.Read(b)
		out[i] = hex.EncodeToString(b)
	}
	return out
}

// benchSealer returns a sealer with a fixed key.
func benchSealer(b *testing.B) *seal.Sealer {
	s, err := seal.New(make([]byte, 32))
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkSettingsGET runs the store calls of a signed Tool Settings GET
// of a link from parallel goroutines: the nonce, the tool proxy, the link,
// its context and its settings, from 4 goroutines per CPU; the nonces
// still queued are written before the timer stops.
func BenchmarkSettingsGET(b *testing.B) {
	s, err := Open(context.Background(), filepath.Join(b.TempDir(), "b.db"), store.Options{Sealer: benchSealer(b)})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	const guid = "tp-1"
	if err := s.CreateToolProxy(ctx, store.ToolProxy{GUID: guid, Version: "LTI-2p0", Secret: "secret", Status: store.StatusActive, Document: []byte(`{"a":1}`), Name: "acme"}, ""); err != nil {
		b.Fatal(err)
	}
	if err := s.PutContext(ctx, store.Context{ID: "course-1", Type: "CourseSection", Label: "C1", Title: "Course 1"}); err != nil {
		b.Fatal(err)
	}
	if err := s.PutLink(ctx, store.Link{ID: "link-a", ContextID: "course-1", ToolProxyGUID: guid, ResourceType: "book", Gradable: true,
		Custom: []store.Pair{{Name: "chapter", Value: "1"}}}); err != nil {
		b.Fatal(err)
	}
	sc := store.Scope{Kind: store.ScopeLink, ToolProxyGUID: guid, LinkID: "link-a"}
	if err := s.PutToolSettings(ctx, sc, []store.Pair{{Name: "chapter", Value: "3"}}); err != nil {
		b.Fatal(err)
	}
	nonces := randomNonces(b.N)
	var n atomic.Int64
	b.SetParallelism(4)
	stop := reportCPU(b)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			ctx, cancel := context.WithCancel(context.Background())
			if seen, err := s.Seen(ctx, guid, nonces[n.Add(1)-1], time.Now()); err != nil || seen {
				b.Error(seen, err)
			}
			if _, err := s.ToolProxy(ctx, guid); err != nil {
				b.Error(err)
			}
			if _, err := s.Link(ctx, "link-a"); err != nil {
				b.Error(err)
			}
			if _, err := s.Context(ctx, "course-1"); err != nil {
				b.Error(err)
			}
			if _, err := s.ToolSettings(ctx, sc); err != nil {
				b.Error(err)
			}
			cancel()
		}
	})
	if err := s.FlushNonces(context.Background()); err != nil {
		b.Fatal(err)
	}
	stop()
}

// reportCPU reports the process's CPU time (user and system) per
// operation, which other processes on the machine disturb less than the
// wall time. Call its result when the timed part ends.
func reportCPU(b *testing.B) func() {
	cpu := func() time.Duration {
		var ru syscall.Rusage
		if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
			b.Fatal(err)
		}
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	start := cpu()
	return func() {
		b.ReportMetric(float64((cpu()-start).Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

// BenchmarkSeenReplay answers replays of recorded nonces from 4
// goroutines per CPU: the in-memory check alone (hash, shard lock,
// lookup), without the read of the table a new nonce costs.
func BenchmarkSeenReplay(b *testing.B) {
	s, err := Open(context.Background(), filepath.Join(b.TempDir(), "b.db"), store.Options{Sealer: benchSealer(b)})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	nonces := randomNonces(1 << 14)
	for _, n := range nonces {
		if _, err := s.Seen(context.Background(), benchKey, n, time.Now()); err != nil {
			b.Fatal(err)
		}
	}
	if err := s.FlushNonces(context.Background()); err != nil {
		b.Fatal(err)
	}
	var n atomic.Int64
	b.SetParallelism(4)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if seen, err := s.Seen(context.Background(), benchKey, nonces[n.Add(1)&(1<<14-1)], time.Now()); err != nil || !seen {
				b.Error(seen, err)
				return
			}
		}
	})
}
