package golden

import (
	"strings"
	"testing"
)

func TestFirstDiff(t *testing.T) {
	tests := []struct {
		want, got, has string
	}{
		{"a\nb\nc", "a\nx\nc", "line 2:"},
		{"a\nb", "a\nb\nc", "line 3:"},
		{"a", "a", "no line differs"},
	}
	for _, tt := range tests {
		if d := FirstDiff([]byte(tt.want), []byte(tt.got)); !strings.Contains(d, tt.has) {
			t.Errorf("FirstDiff(%q, %q) = %q, want it to contain %q", tt.want, tt.got, d, tt.has)
		}
	}
}

func TestUpdating(t *testing.T) {
	t.Setenv(UpdateEnv, "")
	if Updating() {
		t.Error("Updating with the variable empty")
	}
	t.Setenv(UpdateEnv, "1")
	if !Updating() {
		t.Error("not Updating with the variable set")
	}
}
