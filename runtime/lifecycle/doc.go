// Package lifecycle holds no code of its own: its tests run the LTI 2.0
// consumer (runtime/consumer) and tool provider (runtime/provider) against
// each other over loopback HTTP, on every store backend (runtime/store):
// the whole registration-to-re-registration lifecycle, an adversarial
// matrix, durability across kill -9, concurrent writes, and the service
// benchmarks.
package lifecycle
