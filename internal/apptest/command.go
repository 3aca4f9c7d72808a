package apptest

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// How long a started command may take to listen, and to exit.
const (
	listenTimeout = 30 * time.Second
	exitTimeout   = 20 * time.Second
)

// RunFunc is a command's main as its tests call it: the run function of
// cmd/lticonsumer and cmd/ltiprovider, or appmain.Command.Run.
type RunFunc func(ctx context.Context, args []string, stdout, stderr io.Writer) int

// Running is a command started by StartCommand.
type Running struct {
	// URL is the base URL the command's listening line gives.
	URL string
	// DB is the path of the SQLite database StartCommand gives the command
	// (unless its args name another).
	DB string
	// Stderr collects the command's standard error: its log.
	Stderr *SyncBuffer

	cancel context.CancelFunc
	done   chan int
	code   int
	exited bool
}

// StartCommand runs a command serving on a free loopback port with a
// fresh SQLite database in a temporary directory (-addr 127.0.0.1:0 -db
// DIR/app.db, then args, which may override them) and its sealing key
// beside it (see UnsetSealEnv). It calls run in a goroutine, on a context
// of its own, and waits for its first line on standard output, "name
// listening on URL", failing the test when the command ends first or the
// line does not come. The command is stopped, if still running, when the
// test ends.
func StartCommand(t testing.TB, name string, run RunFunc, args ...string) *Running {
	t.Helper()
	UnsetSealEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	r := &Running{DB: filepath.Join(t.TempDir(), "app.db"), Stderr: &SyncBuffer{}, cancel: cancel, done: make(chan int, 1)}
	args = append([]string{"-addr", "127.0.0.1:0", "-db", r.DB}, args...)
	outR, outW := io.Pipe()
	go func() {
		code := run(ctx, args, outW, r.Stderr)
		outW.Close()
		r.done <- code
	}()
	t.Cleanup(func() {
		if !r.exited {
			cancel()
			select {
			case <-r.done:
			case <-time.After(exitTimeout):
				t.Errorf("%s still running %v after the test; stderr:\n%s", name, exitTimeout, r.Stderr)
			}
		}
	})

	first := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(outR)
		if sc.Scan() {
			first <- sc.Text()
		}
		_, _ = io.Copy(io.Discard, outR)
	}()
	select {
	case line := <-first:
		prefix := name + " listening on "
		url, ok := strings.CutPrefix(line, prefix)
		if !ok {
			t.Fatalf("first line %q, want %q…", line, prefix)
		}
		r.URL = url
	case code := <-r.done:
		r.exited, r.code = true, code
		t.Fatalf("%s exited %d before listening; stderr:\n%s", name, code, r.Stderr)
	case <-time.After(listenTimeout):
		t.Fatalf("%s: no listening line; stderr:\n%s", name, r.Stderr)
	}
	return r
}

// Stop ends the command's context, as SIGINT or SIGTERM would, and
// returns its exit status (see Wait).
func (r *Running) Stop(t testing.TB) int {
	t.Helper()
	r.cancel()
	return r.Wait(t)
}

// Wait returns the command's exit status once it has ended, failing the
// test when it runs on for 20 seconds.
func (r *Running) Wait(t testing.TB) int {
	t.Helper()
	if r.exited {
		return r.code
	}
	select {
	case code := <-r.done:
		r.exited, r.code = true, code
		return code
	case <-time.After(exitTimeout):
		t.Fatalf("still running %v after being stopped; stderr:\n%s", exitTimeout, r.Stderr)
		return 0
	}
}

// Help runs run with arg, a help flag, and returns what it wrote on
// standard output, failing the test unless it exits 0 with nothing on
// standard error, and marking it failed for each of want the help lacks.
func Help(t testing.TB, run RunFunc, arg string, want ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{arg}, &stdout, &stderr); code != 0 || stderr.Len() != 0 {
		t.Fatalf("%s exited %d; stderr: %s", arg, code, stderr.String())
	}
	help := stdout.String()
	for _, w := range want {
		if !strings.Contains(help, w) {
			t.Errorf("the help lacks %q:\n%s", w, help)
		}
	}
	return help
}
