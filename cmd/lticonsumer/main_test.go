package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ltiforge/ltiforge/runtime/store/seal"
)

func TestHelp(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"--help"}, &stdout, &stderr); code != exitOK {
		t.Fatalf("--help exited %d; stderr: %s", code, stderr.String())
	}
	help := stdout.String()
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	defineFlags(fs)
	n := 0
	fs.VisitAll(func(f *flag.Flag) {
		n++
		if !strings.Contains(help, "-"+f.Name) {
			t.Errorf("the help does not mention -%s", f.Name)
		}
	})
	if n != 5 {
		t.Errorf("%d flags, want 5", n)
	}
	for _, s := range []string{"Tool Consumer", "Example:", "127.0.0.1:8080", "postgres://"} {
		if !strings.Contains(help, s) {
			t.Errorf("the help lacks %q:\n%s", s, help)
		}
	}
}

func TestBadUsage(t *testing.T) {
	for _, args := range [][]string{{"-nope"}, {"extra"}, {"-log-level", "loud"}} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), args, &stdout, &stderr); code != exitUsage {
			t.Errorf("%v exited %d, want %d", args, code, exitUsage)
		}
		if stderr.Len() == 0 {
			t.Errorf("%v: nothing said on standard error", args)
		}
	}
}

// TestServeAndInterrupt builds the command, starts it on a free port with a
// fresh database, gets the sign-in page, and stops it with SIGINT.
func TestServeAndInterrupt(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the command")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build with")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, name)
	build := exec.Command(goTool, "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	db := filepath.Join(dir, "lms.db")
	cmd := exec.Command(bin, "-addr", "127.0.0.1:0", "-db", db, "-log-level", "debug")
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, seal.EnvKey+"=") && !strings.HasPrefix(kv, seal.EnvKeyFile+"=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	exited := false
	t.Cleanup(func() {
		if !exited {
			_ = cmd.Process.Kill()
			<-done
		}
	})

	lines := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		_, _ = io.Copy(io.Discard, stdout)
		done <- cmd.Wait()
	}()

	var base string
	select {
	case line, ok := <-lines:
		if !ok {
			t.Fatalf("the command ended before listening; stderr:\n%s", stderr.String())
		}
		const prefix = name + " listening on "
		if !strings.HasPrefix(line, prefix) {
			t.Fatalf("first line %q, want %q…", line, prefix)
		}
		base = strings.TrimPrefix(line, prefix)
	case <-time.After(30 * time.Second):
		t.Fatalf("no listening line; stderr:\n%s", stderr.String())
	}
	if !strings.HasPrefix(base, "http://127.0.0.1:") || strings.HasSuffix(base, ":0") {
		t.Fatalf("listening on %q", base)
	}

	resp, err := http.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !bytes.Contains(body, []byte(`id="signin"`)) {
		t.Fatalf("GET /: %d\n%s", resp.StatusCode, body)
	}
	if info, err := os.Stat(db + ".key"); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("sealing key file next to the database: %v %v", info, err)
	}

	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		exited = true
		if err != nil {
			t.Fatalf("exit after SIGINT: %v; stderr:\n%s", err, stderr.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("the command did not stop after SIGINT; stderr:\n%s", stderr.String())
	}
	logs := stderr.String()
	for _, want := range []string{"listening", "url=" + base, "stopped"} {
		if !strings.Contains(logs, want) {
			t.Errorf("the log lacks %q:\n%s", want, logs)
		}
	}
}

// lockedBuffer collects the child's standard error, written by exec's
// copying goroutine and read by the test.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
