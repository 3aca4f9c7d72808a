package generator

// Benchmarks of the whole pipeline: load, semantic model, every emitter,
// go/format and the writer. Each one writes into a temporary directory
// once, untimed, and then times regenerating over that up-to-date tree,
// which is what "make generate" does on every run (every file is produced,
// formatted and compared; none is rewritten). The peak heap growth of one
// run is reported as peak-heap-B.
//
//	go test ./generator -run '^$' -bench Generate -benchmem

import (
	"context"
	"fmt"
	"testing"

	"github.com/ltiforge/ltiforge/internal/peakheap"
	"github.com/ltiforge/ltiforge/model"
	"github.com/ltiforge/ltiforge/model/uml"
)

// benchImport is the import path the benchmarks generate for.
const benchImport = "example.com/bench/generated"

// benchRun benchmarks the pipeline on srcs (nil: the embedded standard
// model).
func benchRun(b *testing.B, srcs []uml.Source) {
	ctx := context.Background()
	o := Options{Out: b.TempDir(), ImportPath: benchImport, sources: srcs}
	run := func() {
		res, err := Run(ctx, o)
		if err != nil {
			b.Fatalf("%v\n%s", err, res.Diagnostics.Error())
		}
	}
	run() // writes the tree the timed runs regenerate over
	peak := peakheap.Measure(0, run)
	b.ReportAllocs()
	for b.Loop() {
		run()
	}
	b.ReportMetric(float64(peak), "peak-heap-B")
}

// BenchmarkGenerateStandard generates the standard model, every output.
func BenchmarkGenerateStandard(b *testing.B) {
	benchRun(b, nil)
}

// BenchmarkGenerateScaling generates the synthetic models 1, 10 and 100
// times the standard model's size (synthetic_test.go), reporting besides
// the time per run the time per class of the model (ns/class), which stays
// flat when the pipeline is linear.
//
// One 100× run takes about 10 s on the project's 2-core machine and the
// sub-benchmark runs it three times (writing the tree, measuring the heap,
// timing it), about half a minute in all; -short skips it.
func BenchmarkGenerateScaling(b *testing.B) {
	tmpl, err := newSynthTemplate()
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{1, 10, 100} {
		b.Run(fmt.Sprintf("%dx", n), func(b *testing.B) {
			if n >= 100 && testing.Short() {
				b.Skip("the 100× model takes about half a minute; run without -short")
			}
			srcs := tmpl.sources(n)
			m, err := model.LoadSources(context.Background(), srcs...)
			if err != nil {
				b.Fatal(err)
			}
			classes := len(m.Classes)
			benchRun(b, srcs)
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(classes), "ns/class")
			b.ReportMetric(float64(classes), "classes")
		})
	}
}
