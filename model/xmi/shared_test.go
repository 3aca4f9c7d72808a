package xmi

import (
	"testing"

	"github.com/ltiforge/ltiforge/internal/sharedtest"
)

// readSample returns a shared sample model's bytes, skipping the test when
// the shared folder is not there.
func readSample(tb testing.TB, name string) []byte {
	tb.Helper()
	return sharedtest.Read(tb, "xmi-samples/"+name)
}
