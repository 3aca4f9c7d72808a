//go:build bootstrap

package main

// documentCommands is empty in a bootstrap build: such a build needs none
// of the generated code, so the generator can rebuild that code from
// nothing. The Makefile runs "go run -tags bootstrap ./cmd/ltigen
// generate"; an ordinary build adds "validate" (see validate.go).
func documentCommands() []command { return nil }
