// Package golden holds what the golden-file tests share: the switch that
// rewrites the expected files, and the report of where a file differs.
package golden

import (
	"fmt"
	"os"
	"strings"
)

// UpdateEnv names the environment variable that, set to any value, makes
// the golden tests rewrite their expected files from the current output.
const UpdateEnv = "LTIGEN_UPDATE_GOLDEN"

// Updating reports whether the expected files are to be rewritten.
func Updating() bool { return os.Getenv(UpdateEnv) != "" }

// FirstDiff describes the first line where got differs from want, for a
// test failure message.
func FirstDiff(want, got []byte) string {
	w, g := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\n want %q\n  got %q\n(%s=1 rewrites the expected files; review the diff)", i+1, wl, gl, UpdateEnv)
		}
	}
	return "(no line differs)"
}
