package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/ltiforge/ltiforge/runtime/store"
	"github.com/ltiforge/ltiforge/runtime/store/seal"
)

// BenchmarkSeen records distinct nonces from 4 goroutines per CPU.
func BenchmarkSeen(b *testing.B) {
	s, err := Open(context.Background(), filepath.Join(b.TempDir(), "b.db"), store.Options{Sealer: benchSealer(b)})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	var n atomic.Int64
	b.SetParallelism(4)
	defer reportCPU(b)()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if seen, err := s.Seen(context.Background(), "k", fmt.Sprint("n", n.Add(1)), time.Now()); err != nil || seen {
				b.Error(seen, err)
				return
			}
		}
	})
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
// its context and its settings, from 4 goroutines per CPU.
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
	var n atomic.Int64
	b.SetParallelism(4)
	defer reportCPU(b)()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			ctx, cancel := context.WithCancel(context.Background())
			if seen, err := s.Seen(ctx, guid, fmt.Sprint("n", n.Add(1)), time.Now()); err != nil || seen {
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
