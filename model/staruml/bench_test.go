package staruml

import (
	"context"
	"testing"

	"github.com/ltiforge/ltiforge/internal/peakheap"
	"github.com/ltiforge/ltiforge/model/uml"
)

// BenchmarkLoadLTIv2 measures end-to-end throughput on IMS's LTI 2.0
// model and the heap growth during one load. The targets are at least
// 20 MB/s and a peak heap under ten times the file size.
func BenchmarkLoadLTIv2(b *testing.B) {
	data := readShared(b, "LTI_v2.uml")
	src := uml.Source{Path: "LTI_v2.uml", Data: data}
	var peak uint64
	peak = peakheap.Measure(0, func() {
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
		g.Finish()
	}
	b.StopTimer()
	b.ReportMetric(float64(peak), "peak-heap-B")
	b.ReportMetric(float64(peak)/float64(len(data)), "heap/file")
}
