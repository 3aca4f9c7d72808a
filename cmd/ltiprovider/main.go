// Command ltiprovider serves Open Textbooks, the reference LTI 2.0 Tool
// Provider of ltiforge (package examples/etextbook): an e-textbook that an
// LMS registers through its registration URL, with a textbook, a graded
// weekly quiz, book adoption and a billing census.
//
// Usage:
//
//	ltiprovider [-addr 127.0.0.1:8090] [-db ltiprovider.db] [-base-url URL]
//	            [-seal-key-file FILE] [-log-level info]
//
// Run ltiprovider -help for the flags.
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

	"github.com/ltiforge/ltiforge/examples/etextbook"
	"github.com/ltiforge/ltiforge/runtime/store"
	"github.com/ltiforge/ltiforge/runtime/store/backend"
	"github.com/ltiforge/ltiforge/runtime/store/seal"
	"github.com/ltiforge/ltiforge/runtime/store/sqlite"
)

// name is the command's name, in its messages.
const name = "ltiprovider"

// shutdownTimeout bounds the graceful shutdown.
const shutdownTimeout = 10 * time.Second

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// config is the command line.
type config struct {
	addr, db, baseURL, sealKeyFile, logLevel string
}

// usage writes the help text.
func usage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintf(w, `%[1]s serves Open Textbooks, the reference LTI 2.0 Tool Provider of ltiforge:
an e-textbook that an LMS registers with LTI 2.0, offering a textbook, a
weekly quiz graded into the LMS gradebook, book adoption (kept in the LMS's
course settings) and a billing census (from the LMS's roster).

Give an LMS administrator the registration URL, <base URL>/lti/register
(also shown on the tool's home page). Registrations are kept in the
database; their shared secrets are sealed with the key of -seal-key-file,
or of LTIFORGE_SEAL_KEY / LTIFORGE_SEAL_KEY_FILE when set.

Usage:
  %[1]s [flags]

Flags:
`, name)
	fs.SetOutput(w)
	fs.PrintDefaults()
	fmt.Fprintf(w, `
Example:
  %[1]s -addr 127.0.0.1:8090 -db ltiprovider.db -base-url http://127.0.0.1:8090
  LTIFORGE_SEAL_KEY_FILE=/etc/ltiprovider/seal.key \
    %[1]s -db 'postgres://lti@db.example.com/lti?sslmode=require' -base-url https://books.example.com
`, name)
}

// run runs the command with args and returns its exit status. It stops on
// SIGINT or SIGTERM, or when ctx ends.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {}
	var cfg config
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:8090", "`address` to listen on (host:port; port 0 picks a free one)")
	fs.StringVar(&cfg.db, "db", "ltiprovider.db", "the store: a SQLite file `path`, or a postgres:// or postgresql:// DSN for PostgreSQL")
	fs.StringVar(&cfg.baseURL, "base-url", "", "the tool's public `URL`, with no path (default http://<the address listened on>)")
	fs.StringVar(&cfg.sealKeyFile, "seal-key-file", "", "`file` of the key sealing the stored secrets, created when absent (default: the SQLite path + \".key\", or "+name+".key in the working directory for PostgreSQL)")
	fs.StringVar(&cfg.logLevel, "log-level", "info", "log `level`: debug, info, warn or error")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage(stdout, fs)
			return 0
		}
		fmt.Fprintf(stderr, "Run '%s -help' for usage.\n", name)
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "%s: unexpected arguments %q; run '%s -help' for usage.\n", name, fs.Args(), name)
		return 2
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.logLevel)); err != nil {
		fmt.Fprintf(stderr, "%s: -log-level %q: want debug, info, warn or error\n", name, cfg.logLevel)
		return 2
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := serve(ctx, cfg, stdout, logger); err != nil {
		logger.Error(name+" failed", "error", err.Error())
		return 1
	}
	return 0
}

// serve opens the store, starts the server and serves until ctx ends, then
// shuts the server down and closes the application and the store.
func serve(ctx context.Context, cfg config, stdout io.Writer, logger *slog.Logger) (err error) {
	keyFile, err := sealKeyPath(cfg)
	if err != nil {
		return err
	}
	sealer, created, err := seal.LoadOrCreate(keyFile)
	if err != nil {
		return fmt.Errorf("loading the sealing key: %w", err)
	}
	if created {
		logger.Warn("created a new sealing key; back it up with the database", "file", keyFile)
	}
	st, err := backend.Open(ctx, cfg.db, store.Options{Sealer: sealer, Logger: logger})
	if err != nil {
		return fmt.Errorf("opening the store %s: %w", backend.Redact(cfg.db), err)
	}
	defer func() {
		if cerr := st.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("closing the store: %w", cerr)
		}
	}()

	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", cfg.addr, err)
	}
	defer ln.Close()
	base := cfg.baseURL
	if base == "" {
		base = defaultBaseURL(ln.Addr())
	}
	app, err := etextbook.New(ctx, etextbook.Options{BaseURL: base, Store: st, Logger: logger})
	if err != nil {
		return err
	}
	defer app.Close()

	srv := &http.Server{
		Handler:           app.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	logger.Info(name+" listening", "url", base, "addr", ln.Addr().String(), "store", backend.Kind(cfg.db),
		"db", backend.Redact(cfg.db), "registration_url", app.RegistrationURL())
	fmt.Fprintf(stdout, "%s listening on %s\n", name, base)

	select {
	case err := <-errc:
		return fmt.Errorf("serving: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutting down: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serving: %w", err)
	}
	logger.Info("stopped")
	return nil
}

// sealKeyPath returns the sealing key file: -seal-key-file, else the
// SQLite file's path + ".key", else ltiprovider.key for PostgreSQL.
func sealKeyPath(cfg config) (string, error) {
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

// defaultBaseURL returns http://<addr>, naming an unspecified host
// (0.0.0.0, ::) localhost.
func defaultBaseURL(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "http://" + addr.String()
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}
