package xmltree

import (
	"bytes"
	"encoding/xml"
	"io"
	"path/filepath"
	"testing"

	"github.com/ltiforge/ltiforge/internal/sharedtest"
)

// BenchmarkParse sets the floor the model readers are measured against:
// encoding/xml's raw tokenizer alone, then this package's tree built on it,
// on the two reference files. The readers' benchmarks add normalising and
// resolving on top; comparing the three in one run shows what each layer
// costs on the same machine at the same moment.
func BenchmarkParse(b *testing.B) {
	for _, name := range []string{
		"ims-model/uml/LTI_v2.uml",
		"xmi-samples/magicdraw-xmi251-eventlogging.xmi",
	} {
		data := sharedtest.Read(b, name)
		b.Run("tokens/"+filepath.Base(name), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				d := xml.NewDecoder(bytes.NewReader(data))
				for {
					if _, err := d.RawToken(); err == io.EOF {
						break
					} else if err != nil {
						b.Fatal(err)
					}
				}
			}
		})
		b.Run("tree/"+filepath.Base(name), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Parse(data, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
