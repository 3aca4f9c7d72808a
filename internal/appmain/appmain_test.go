package appmain

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/ltiforge/ltiforge/internal/apptest"
	"github.com/ltiforge/ltiforge/runtime/store"
)

// testApp is the app of testCommand: it answers every request with its
// base URL, and records that it was closed.
type testApp struct {
	base   string
	closed bool
}

func (a *testApp) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "app at "+a.base) })
}

func (a *testApp) Close() error { a.closed = true; return nil }

// testCommand returns a command serving a testApp, which it sets in *app
// when started.
func testCommand(app **testApp) Command {
	return Command{
		Name:        "ltitest",
		Serves:      "the test app",
		DefaultAddr: "127.0.0.1:8099",
		DefaultDB:   "ltitest.db",
		About:       "ltitest serves a test app.",
		Example:     "  ltitest -addr 127.0.0.1:0",
		Start: func(ctx context.Context, baseURL string, st store.Store, log *slog.Logger) (App, error) {
			if st == nil {
				return nil, errors.New("no store")
			}
			*app = &testApp{base: baseURL}
			return *app, nil
		},
	}
}

func TestHelp(t *testing.T) {
	var app *testApp
	c := testCommand(&app)
	for _, arg := range []string{"--help", "-help", "-h"} {
		t.Run(arg, func(t *testing.T) {
			help := apptest.Help(t, c.Run, arg,
				"ltitest serves a test app.\n\nUsage:\n  ltitest [flags]\n\nFlags:\n",
				"the public URL of the test app",
				`(default "127.0.0.1:8099")`, `(default "ltitest.db")`, "ltitest.key",
				"\nExample:\n  ltitest -addr 127.0.0.1:0\n")
			fs := flag.NewFlagSet(c.Name, flag.ContinueOnError)
			c.defineFlags(fs)
			n := 0
			fs.VisitAll(func(f *flag.Flag) {
				n++
				if !strings.Contains(help, "\n  -"+f.Name+" ") {
					t.Errorf("the help does not list -%s:\n%s", f.Name, help)
				}
			})
			if n != 5 {
				t.Errorf("%d flags, want 5", n)
			}
		})
	}
}

func TestBadUsage(t *testing.T) {
	var app *testApp
	c := testCommand(&app)
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown flag", []string{"-nope"}, "Run ltitest --help for the flags.\n"},
		{"unexpected arguments", []string{"extra", "args"}, "ltitest: unexpected arguments [\"extra\" \"args\"]; run ltitest --help for the flags\n"},
		{"bad log level", []string{"-log-level", "loud"}, "ltitest: -log-level \"loud\": want debug, info, warn or error\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := c.Run(context.Background(), tc.args, &stdout, &stderr); code != ExitUsage {
				t.Errorf("exited %d, want %d", code, ExitUsage)
			}
			if !strings.HasSuffix(stderr.String(), tc.want) {
				t.Errorf("stderr %q, want it to end with %q", stderr.String(), tc.want)
			}
			if stdout.Len() != 0 || app != nil {
				t.Errorf("a usage error wrote %q or started the app", stdout.String())
			}
		})
	}
}

func TestServeAndStop(t *testing.T) {
	var app *testApp
	c := testCommand(&app)
	cmd := apptest.StartCommand(t, c.Name, c.Run, "-log-level", "debug")
	db := cmd.DB
	if !strings.HasPrefix(cmd.URL, "http://127.0.0.1:") || strings.HasSuffix(cmd.URL, ":0") {
		t.Fatalf("listening on %q", cmd.URL)
	}

	page := apptest.NewBrowser(t, cmd.URL).Get("/")
	if page.Status != http.StatusOK || page.Body != "app at "+cmd.URL {
		t.Fatalf("GET /: %d %q", page.Status, page.Body)
	}
	if info, err := os.Stat(db + ".key"); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("sealing key file next to the database: %v %v", info, err)
	}

	if code := cmd.Stop(t); code != ExitOK {
		t.Fatalf("exited %d after the context ended; stderr:\n%s", code, cmd.Stderr)
	}
	if !app.closed {
		t.Error("the app was not closed")
	}
	logs := cmd.Stderr.String()
	for _, want := range []string{
		`level=WARN msg="created a new sealing key: back it up with the database" file=` + db + ".key",
		`msg="store opened" kind=sqlite`,
		`msg="ltitest listening" url=` + cmd.URL,
		"msg=\"shutting down\"",
		"msg=stopped",
	} {
		if !strings.Contains(logs, want) {
			t.Errorf("the log lacks %q:\n%s", want, logs)
		}
	}

	// Started again, the key file is loaded, not created.
	cmd = apptest.StartCommand(t, c.Name, c.Run, "-db", db)
	if code := cmd.Stop(t); code != ExitOK {
		t.Fatalf("second run exited %d; stderr:\n%s", code, cmd.Stderr)
	}
	if logs := cmd.Stderr.String(); !strings.Contains(logs, `msg="sealing key loaded"`) {
		t.Errorf("the second run did not load the key:\n%s", logs)
	}
}

// TestServeUntilSIGINT stops the command with a real SIGINT, sent to this
// process: Run catches it while serving.
func TestServeUntilSIGINT(t *testing.T) {
	var app *testApp
	c := testCommand(&app)
	cmd := apptest.StartCommand(t, c.Name, c.Run)
	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if code := cmd.Wait(t); code != ExitOK {
		t.Fatalf("exited %d after SIGINT; stderr:\n%s", code, cmd.Stderr)
	}
	if !strings.Contains(cmd.Stderr.String(), "msg=stopped") {
		t.Errorf("the log lacks msg=stopped:\n%s", cmd.Stderr)
	}
}

func TestServeProblems(t *testing.T) {
	apptest.UnsetSealEnv(t)
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	var app *testApp
	failing := testCommand(&app)
	failing.Start = func(context.Context, string, store.Store, *slog.Logger) (App, error) {
		return nil, errors.New("boom")
	}
	for _, tc := range []struct {
		name string
		c    Command
		args []string
		want string
	}{
		{"address taken", testCommand(&app), []string{"-addr", taken.Addr().String()}, "listen on " + taken.Addr().String()},
		{"app fails to start", failing, nil, "start ltitest: boom"},
		{"unreadable key file", testCommand(&app), []string{"-seal-key-file", filepath.Join(t.TempDir(), "no", "such", "dir", "k")}, "sealing key"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"-addr", "127.0.0.1:0", "-db", filepath.Join(t.TempDir(), "app.db")}, tc.args...)
			var stdout, stderr bytes.Buffer
			if code := tc.c.Run(context.Background(), args, &stdout, &stderr); code != ExitProblem {
				t.Fatalf("exited %d, want %d; stderr:\n%s", code, ExitProblem, stderr.String())
			}
			if logs := stderr.String(); !strings.Contains(logs, `level=ERROR msg="ltitest failed"`) || !strings.Contains(logs, tc.want) {
				t.Errorf("the log lacks the failure %q:\n%s", tc.want, logs)
			}
		})
	}
}

func TestSealKeyFile(t *testing.T) {
	c := Command{Name: "ltitest"}
	for _, tc := range []struct{ cfg, want string }{
		{"", "dir/app.db.key"},
		{"mine.key", "mine.key"},
	} {
		got, err := c.sealKeyFile(&config{db: "dir/app.db", sealKeyFile: tc.cfg})
		if err != nil || got != tc.want {
			t.Errorf("-seal-key-file %q: %q %v, want %q", tc.cfg, got, err, tc.want)
		}
	}
	got, err := c.sealKeyFile(&config{db: "postgres://u@db.example.com/lti"})
	if err != nil || got != "ltitest.key" {
		t.Errorf("PostgreSQL: %q %v, want ltitest.key", got, err)
	}
}

func TestDefaultBaseURL(t *testing.T) {
	for _, tc := range []struct{ addr, want string }{
		{"127.0.0.1:8080", "http://127.0.0.1:8080"},
		{"0.0.0.0:8080", "http://localhost:8080"},
		{"[::]:8080", "http://localhost:8080"},
		{"[::1]:8080", "http://[::1]:8080"},
	} {
		addr, err := net.ResolveTCPAddr("tcp", tc.addr)
		if err != nil {
			t.Fatal(err)
		}
		if got := defaultBaseURL(addr); got != tc.want {
			t.Errorf("defaultBaseURL(%s) = %q, want %q", tc.addr, got, tc.want)
		}
	}
}
