package umlfile

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/ltiforge/ltiforge/internal/peakheap"
	"github.com/ltiforge/ltiforge/internal/sharedtest"
	"github.com/ltiforge/ltiforge/model/uml"
)

// BenchmarkLoad measures the whole load of the two reference files, from
// bytes in memory to a finished graph (parse, normalise, resolve): the
// throughput (MB/s) and the peak heap growth during one load, in bytes and
// as a multiple of the file's size.
func BenchmarkLoad(b *testing.B) {
	for _, name := range []string{
		"ims-model/uml/LTI_v2.uml",
		"xmi-samples/magicdraw-xmi251-eventlogging.xmi",
	} {
		b.Run(filepath.Base(name), func(b *testing.B) {
			data := sharedtest.Read(b, name)
			src := uml.Source{Path: name, Data: data}
			ctx := context.Background()
			load := func() {
				g, err := LoadSources(ctx, src)
				if err != nil || g.Diagnostics.HasErrors() {
					b.Fatalf("load failed: %v %s", err, g.Diagnostics.Error())
				}
			}
			peak := peakheap.Measure(0, load)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				load()
			}
			b.ReportMetric(float64(peak), "peak-heap-B")
			b.ReportMetric(float64(peak)/float64(len(data)), "heap/file")
		})
	}
}
