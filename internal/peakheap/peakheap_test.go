package peakheap

import (
	"runtime"
	"testing"
)

func TestMeasureSeesAnAllocation(t *testing.T) {
	const size = 8 << 20
	got := Measure(0, func() {
		buf := make([]byte, size)
		for i := range buf {
			buf[i] = byte(i)
		}
		runtime.KeepAlive(buf)
	})
	if got < size {
		t.Errorf("Measure saw %d bytes of growth, want at least the %d allocated", got, size)
	}
}

func TestMeasureNothing(t *testing.T) {
	got := Measure(0, func() {})
	if got > 1<<20 {
		t.Errorf("an empty function grew the heap by %d bytes", got)
	}
}
