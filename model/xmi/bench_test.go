package xmi

import (
	"context"
	"runtime"
	"runtime/metrics"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ltiforge/ltiforge/model/uml"
)

// BenchmarkLoadMagicDraw loads the 455 KB MagicDraw native sample. Besides
// MB/s it reports the peak heap held during one load, above the heap in use
// before it (the file's bytes are the caller's), sampled from
// runtime/metrics while the load runs; the target is under 10× the file.
func BenchmarkLoadMagicDraw(b *testing.B) {
	data := readSample(b, "magicdraw-xmi251-eventlogging.xmi")
	src := uml.Source{Path: "magicdraw-xmi251-eventlogging.xmi", Data: data}

	peak := peakHeapDuring(func() {
		if err := Load(context.Background(), uml.NewGraph(), src); err != nil {
			b.Fatal(err)
		}
	})

	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		g := uml.NewGraph()
		if err := Load(context.Background(), g, src); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(peak), "peak-heap-B")
	b.ReportMetric(float64(peak)/float64(len(data)), "heap/file")
}

// peakHeapDuring runs fn and returns the largest heap object bytes seen
// while it ran, less the bytes in use (after a GC) before it started.
func peakHeapDuring(fn func()) uint64 {
	const name = "/memory/classes/heap/objects:bytes"
	sample := []metrics.Sample{{Name: name}}
	read := func() uint64 {
		metrics.Read(sample)
		return sample[0].Value.Uint64()
	}
	runtime.GC()
	base := read()
	var peak atomic.Uint64
	var stop atomic.Bool
	done := make(chan struct{})
	go func() {
		defer close(done)
		s := []metrics.Sample{{Name: name}}
		for !stop.Load() {
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			time.Sleep(20 * time.Microsecond)
		}
	}()
	fn()
	if v := read(); v > peak.Load() {
		peak.Store(v)
	}
	stop.Store(true)
	<-done
	if p := peak.Load(); p > base {
		return p - base
	}
	return 0
}
