//go:build !bootstrap

package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestValidateCommand(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	result := write("result.json", `{"@context": "http://purl.imsglobal.org/ctx/lis/v2/Result", "@type": "Result", "resultScore": 0.5, "x": [1]}`)
	bad := write("bad.json", `{"@context": "http://purl.imsglobal.org/ctx/lis/v2/Result", "@type": "Result", "comment": 7}`)
	simple := write("simple.json", `{"b": "2", "a": "1"}`)
	odd := write("odd.json", `{"@context": "http://example.org/ctx", "@type": "Thing"}`)
	notJSON := write("broken.json", `{"@type": `)
	tests := []struct {
		name     string
		args     []string
		code     int
		stdout   []string // substrings
		noStdout bool
	}{
		{"valid", []string{result}, exitOK, []string{result + ": valid (application/vnd.ims.lis.v2.result+json)"}, false},
		{"invalid with pointer", []string{bad}, exitProblem, []string{bad + "#/comment: Result.comment holds a string, not a number"}, false},
		{"one invalid of two", []string{result, bad}, exitProblem, []string{"valid", "#/comment"}, false},
		{"simple form detected", []string{simple}, exitOK, []string{"toolsettings.simple+json"}, false},
		{"media type given", []string{"--media-type", "APPLICATION/VND.IMS.LTI.V2.TOOLSETTINGS.SIMPLE+JSON", simple}, exitOK, []string{"valid"}, false},
		{"canonical", []string{"--canonical", result}, exitOK,
			[]string{`{"@context":"http://purl.imsglobal.org/ctx/lis/v2/Result","@type":"Result","resultScore":0.5,"x":[1]}`}, false},
		{"canonical simple", []string{"--canonical", simple}, exitOK, []string{`{"a":"1","b":"2"}`}, false},
		{"unknown kind", []string{odd}, exitProblem, []string{"cannot tell the media type"}, false},
		{"broken JSON", []string{"--media-type", "application/vnd.ims.lis.v2.result+json", notJSON}, exitProblem, []string{"invalid JSON"}, false},
		{"missing file", []string{filepath.Join(dir, "none.json")}, exitProblem, nil, true},
		{"no files", nil, exitUsage, nil, true},
		{"unknown media type", []string{"--media-type", "text/plain", result}, exitUsage, nil, true},
		{"unknown flag", []string{"--nope", result}, exitUsage, nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), append([]string{"validate"}, tc.args...), &stdout, &stderr)
			if code != tc.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, stdout.String(), stderr.String())
			}
			for _, s := range tc.stdout {
				if !strings.Contains(stdout.String(), s) {
					t.Errorf("stdout lacks %q:\n%s", s, stdout.String())
				}
			}
			if tc.noStdout && stdout.Len() > 0 {
				t.Errorf("unexpected stdout:\n%s", stdout.String())
			}
		})
	}
}
