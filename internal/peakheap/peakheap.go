// Package peakheap measures how far the heap grows while a function runs,
// for benchmarks that report peak memory next to throughput.
package peakheap

import (
	"runtime"
	"runtime/metrics"
	"sync"
	"time"
)

// heapObjects is the runtime metric for bytes in heap objects, live or not
// yet swept: what the process actually holds at that moment.
const heapObjects = "/memory/classes/heap/objects:bytes"

// Measure runs fn and returns the largest growth of the heap over its
// starting size seen while fn ran. It collects garbage first so that the
// baseline is the live heap, then samples the heap every interval (a
// sampling interval of 0 means 20µs) from another goroutine.
func Measure(interval time.Duration, fn func()) uint64 {
	if interval <= 0 {
		interval = 20 * time.Microsecond
	}
	runtime.GC()
	sample := []metrics.Sample{{Name: heapObjects}}
	read := func() uint64 {
		metrics.Read(sample)
		return sample[0].Value.Uint64()
	}
	base := read()
	var (
		peak uint64
		wg   sync.WaitGroup
		done = make(chan struct{})
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		s := []metrics.Sample{{Name: heapObjects}}
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > peak {
				peak = v
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	fn()
	final := read()
	close(done)
	wg.Wait()
	peak = max(peak, final)
	if peak < base {
		return 0
	}
	return peak - base
}
