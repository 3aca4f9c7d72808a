package xmi

import (
	"context"
	"testing"

	"github.com/ltiforge/ltiforge/internal/peakheap"
	"github.com/ltiforge/ltiforge/model/uml"
)

// BenchmarkLoadMagicDraw loads the 455 KB MagicDraw native sample. Besides
// MB/s it reports the peak heap held during one load, above the heap in use
// before it (the file's bytes are the caller's), sampled from
// runtime/metrics while the load runs; the target is under 10× the file.
func BenchmarkLoadMagicDraw(b *testing.B) {
	data := readSample(b, "magicdraw-xmi251-eventlogging.xmi")
	src := uml.Source{Path: "magicdraw-xmi251-eventlogging.xmi", Data: data}

	peak := peakheap.Measure(0, func() {
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
