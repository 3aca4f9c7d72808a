package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for concurrent use.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestHelp(t *testing.T) {
	for _, arg := range []string{"-help", "--help", "-h"} {
		t.Run(arg, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(context.Background(), []string{arg}, &stdout, &stderr); code != 0 {
				t.Fatalf("%s exited %d; stderr: %s", arg, code, stderr.String())
			}
			out := stdout.String()
			for _, want := range []string{"-addr", "-db", "-base-url", "-seal-key-file", "-log-level", "Example", "LTI 2.0", "/lti/register"} {
				if !strings.Contains(out, want) {
					t.Errorf("the help does not mention %q:\n%s", want, out)
				}
			}
		})
	}
}

func TestBadArguments(t *testing.T) {
	for _, args := range [][]string{{"-no-such-flag"}, {"extra"}, {"-log-level", "loud"}} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), args, &stdout, &stderr); code != 2 {
			t.Errorf("%v exited %d, want 2", args, code)
		}
		if stderr.Len() == 0 {
			t.Errorf("%v: nothing on stderr", args)
		}
	}
}

func TestServeAndInterrupt(t *testing.T) {
	t.Setenv("LTIFORGE_SEAL_KEY", "")
	t.Setenv("LTIFORGE_SEAL_KEY_FILE", "")
	os.Unsetenv("LTIFORGE_SEAL_KEY")
	os.Unsetenv("LTIFORGE_SEAL_KEY_FILE")
	db := filepath.Join(t.TempDir(), "provider.db")
	outR, outW := io.Pipe()
	var stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		code := run(context.Background(), []string{"-addr", "127.0.0.1:0", "-db", db, "-log-level", "debug"}, outW, &stderr)
		outW.Close()
		done <- code
	}()

	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(outR)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			default:
			}
		}
		io.Copy(io.Discard, outR)
	}()
	var base string
	select {
	case line := <-lines:
		var ok bool
		base, ok = strings.CutPrefix(line, "ltiprovider listening on ")
		if !ok || !strings.HasPrefix(base, "http://127.0.0.1:") {
			t.Fatalf("first line %q", line)
		}
	case code := <-done:
		t.Fatalf("exited %d before listening; stderr:\n%s", code, stderr.String())
	case <-time.After(20 * time.Second):
		t.Fatalf("no listening line; stderr:\n%s", stderr.String())
	}

	resp, err := http.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `<code id="registration-url">`+base+`/lti/register</code>`) {
		t.Fatalf("GET /: %d\n%s", resp.StatusCode, body)
	}
	if _, err := os.Stat(db + ".key"); err != nil {
		t.Errorf("no sealing key beside the database: %v", err)
	}

	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exited %d after SIGINT; stderr:\n%s", code, stderr.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("still running 20s after SIGINT; stderr:\n%s", stderr.String())
	}
	logs := stderr.String()
	for _, want := range []string{"msg=\"ltiprovider listening\"", "url=" + base, "msg=stopped"} {
		if !strings.Contains(logs, want) {
			t.Errorf("the log lacks %q:\n%s", want, logs)
		}
	}
}
