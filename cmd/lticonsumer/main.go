// Command lticonsumer runs the reference LMS of ltiforge (package
// examples/lms): an LTI 2.0 Tool Consumer with a demo course, where an
// administrator registers and approves tools, an instructor places them in
// the course and sees the gradebook, tool settings and roster, and learners
// launch them.
//
// Run "lticonsumer --help" for the flags.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/ltiforge/ltiforge/examples/lms"
	"github.com/ltiforge/ltiforge/runtime/store"
	"github.com/ltiforge/ltiforge/runtime/store/backend"
	"github.com/ltiforge/ltiforge/runtime/store/seal"
	"github.com/ltiforge/ltiforge/runtime/store/sqlite"
)

// name is the command's name, in its messages.
const name = "lticonsumer"

// Exit statuses.
const (
	exitOK      = 0
	exitProblem = 1
	exitUsage   = 2
)

// Server timeouts.
const (
	readHeaderTimeout = 10 * time.Second
	idleTimeout       = 2 * time.Minute
	shutdownTimeout   = 10 * time.Second
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// config is what the flags say.
type config struct {
	addr, db, baseURL, sealKeyFile, logLevel string
}

// defineFlags declares the command's flags on fs.
func defineFlags(fs *flag.FlagSet) *config {
	c := &config{}
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "the `address` to listen on (host:port; port 0 picks a free one)")
	fs.StringVar(&c.db, "db", "lticonsumer.db", "the store: a SQLite file `path`, or a postgres:// or postgresql:// DSN for PostgreSQL")
	fs.StringVar(&c.baseURL, "base-url", "", "the public `URL` of the LMS, with no path (default http://<addr>)")
	fs.StringVar(&c.sealKeyFile, "seal-key-file", "", "the `file` of the key that seals secrets at rest, created when missing (default: the SQLite file path + \".key\", or "+name+".key for PostgreSQL); "+seal.EnvKey+" or "+seal.EnvKeyFile+" take precedence")
	fs.StringVar(&c.logLevel, "log-level", "info", "the `level` of the logs written to standard error: debug, info, warn or error")
	return c
}

// usage writes the help.
func usage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintf(w, `%[1]s runs the reference LMS of ltiforge: an LTI 2.0 Tool Consumer with a demo
course (Biology 101, an administrator, an instructor and three learners).

Sign in at the base URL (no passwords: a user switch). The administrator
registers LTI 2 tools by their registration URL and approves them, or adds
LTI 1 tools by key and secret; the instructor places a tool's resources in
the course and sees the gradebook, the tool settings and the roster;
learners launch the links. The LTI services the tools call (profile,
registration, Tool Settings, Result, Membership, basic outcomes) are served
at the same address.

Usage:
  %[1]s [flags]

Flags:
`, name)
	fs.SetOutput(w)
	fs.PrintDefaults()
	fmt.Fprintf(w, `
Example:
  %[1]s -addr 127.0.0.1:8080 -db %[1]s.db
  # then open http://127.0.0.1:8080 and sign in as Ada Admin

  %[1]s -db 'postgres://lms:secret@db.example.edu/lms?sslmode=require' \
      -base-url https://lms.example.edu -addr :8080
`, name)
}

// run is the command: it serves the LMS until ctx ends, and returns the exit
// status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {}
	cfg := defineFlags(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage(stdout, fs)
			return exitOK
		}
		fmt.Fprintf(stderr, "Run %s --help for the flags.\n", name)
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "%s: unexpected arguments %q; run %s --help for the flags\n", name, fs.Args(), name)
		return exitUsage
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.logLevel)); err != nil {
		fmt.Fprintf(stderr, "%s: -log-level %q: want debug, info, warn or error\n", name, cfg.logLevel)
		return exitUsage
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	if err := serve(ctx, cfg, stdout, log); err != nil {
		log.Error(name+" stopped", "error", err)
		return exitProblem
	}
	return exitOK
}

// serve opens the store, starts the LMS and serves it until ctx ends.
func serve(ctx context.Context, cfg *config, stdout io.Writer, log *slog.Logger) error {
	keyFile, err := sealKeyFile(cfg)
	if err != nil {
		return err
	}
	sealer, created, err := seal.LoadOrCreate(keyFile)
	if err != nil {
		return fmt.Errorf("sealing key: %w", err)
	}
	switch {
	case os.Getenv(seal.EnvKey) != "" || os.Getenv(seal.EnvKeyFile) != "":
		log.Info("sealing key from the environment")
	case created:
		log.Warn("created a new sealing key: back it up with the database", "file", keyFile)
	default:
		log.Info("sealing key loaded", "file", keyFile)
	}
	st, err := backend.Open(ctx, cfg.db, store.Options{Sealer: sealer, Logger: log})
	if err != nil {
		return fmt.Errorf("open the store %s: %w", backend.Redact(cfg.db), err)
	}
	defer func() {
		if err := st.Close(); err != nil {
			log.Error("close the store", "error", err)
		}
	}()
	log.Info("store opened", "kind", backend.Kind(cfg.db), "dsn", backend.Redact(cfg.db))

	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.addr, err)
	}
	base := cfg.baseURL
	if base == "" {
		base = "http://" + publicAddr(ln.Addr())
	}
	app, err := lms.New(ctx, lms.Options{BaseURL: base, Store: st, Logger: log})
	if err != nil {
		ln.Close()
		return fmt.Errorf("start the LMS: %w", err)
	}
	defer app.Close()

	srv := &http.Server{
		Handler:           app.Handler(),
		ReadHeaderTimeout: readHeaderTimeout,
		IdleTimeout:       idleTimeout,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	fmt.Fprintf(stdout, "%s listening on %s\n", name, base)
	log.Info(name+" listening", "url", base, "addr", ln.Addr().String())

	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	log.Info("stopped")
	return nil
}

// sealKeyFile returns the key file: the flag's, or next to a SQLite
// database, or name.key in the working directory for PostgreSQL.
func sealKeyFile(cfg *config) (string, error) {
	if cfg.sealKeyFile != "" {
		return cfg.sealKeyFile, nil
	}
	if backend.Kind(cfg.db) == "postgres" {
		return name + ".key", nil
	}
	path, err := sqlite.FilePath(cfg.db)
	if err != nil {
		return "", fmt.Errorf("-db %q: %w", cfg.db, err)
	}
	return path + ".key", nil
}

// publicAddr returns the listener's address as a URL host: an unspecified
// IP (listening on every interface) becomes localhost.
func publicAddr(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}
