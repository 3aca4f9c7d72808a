// Package appmain is the main program the reference apps' commands
// (cmd/lticonsumer, cmd/ltiprovider) share: the flags (-addr, -db,
// -base-url, -seal-key-file, -log-level) and the help, the logger, the
// sealing key and the store, the HTTP server and its graceful shutdown on
// SIGINT or SIGTERM. Each command gives its name, its defaults, its help
// text and how to start its app on the store.
package appmain

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
	"strings"
	"syscall"
	"time"

	"github.com/ltiforge/ltiforge/runtime/store"
	"github.com/ltiforge/ltiforge/runtime/store/backend"
	"github.com/ltiforge/ltiforge/runtime/store/seal"
	"github.com/ltiforge/ltiforge/runtime/store/sqlite"
)

// Exit statuses of Command.Run.
const (
	// ExitOK: the help was asked for, or the server stopped cleanly.
	ExitOK = 0
	// ExitProblem: the server could not start, or failed.
	ExitProblem = 1
	// ExitUsage: the command line is wrong.
	ExitUsage = 2
)

// Server timeouts.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = time.Minute
	idleTimeout       = 2 * time.Minute
	shutdownTimeout   = 10 * time.Second
)

// App is a started application: its HTTP handler, and Close, which
// releases what it holds (not the store).
type App interface {
	// Handler serves the app's pages and endpoints.
	Handler() http.Handler
	// Close releases the app's resources, once the server has stopped.
	Close() error
}

// Command is one reference app's command.
type Command struct {
	// Name is the command's name: in its help, its messages and its log,
	// and, as Name + ".key", the default sealing key file for PostgreSQL.
	Name string
	// Serves names what the command serves, in the help of -base-url:
	// "the LMS", "the tool".
	Serves string
	// DefaultAddr is the default of -addr, such as "127.0.0.1:8080".
	DefaultAddr string
	// DefaultDB is the default of -db, such as "lticonsumer.db".
	DefaultDB string
	// About opens the help, before "Usage:": what the command serves and
	// how to use it.
	About string
	// Example ends the help, after "Example:": command lines indented by
	// two spaces.
	Example string
	// Start starts the app served at baseURL (absolute, with no path) on
	// st, logging to log. Run closes the App when the server has stopped,
	// then the store.
	Start func(ctx context.Context, baseURL string, st store.Store, log *slog.Logger) (App, error)
}

// config is what the flags say.
type config struct {
	addr, db, baseURL, sealKeyFile, logLevel string
}

// defineFlags declares the command's flags on fs.
func (c Command) defineFlags(fs *flag.FlagSet) *config {
	cfg := &config{}
	fs.StringVar(&cfg.addr, "addr", c.DefaultAddr, "the `address` to listen on (host:port; port 0 picks a free one)")
	fs.StringVar(&cfg.db, "db", c.DefaultDB, "the store: a SQLite file `path`, or a postgres:// or postgresql:// DSN for PostgreSQL")
	fs.StringVar(&cfg.baseURL, "base-url", "", "the public `URL` of "+c.Serves+", with no path (default http://<the address listened on>)")
	fs.StringVar(&cfg.sealKeyFile, "seal-key-file", "", "the `file` of the key that seals secrets at rest, created when missing (default: the SQLite file path + \".key\", or "+c.Name+".key in the working directory for PostgreSQL); "+seal.EnvKey+" or "+seal.EnvKeyFile+" take precedence")
	fs.StringVar(&cfg.logLevel, "log-level", "info", "the `level` of the logs written to standard error: debug, info, warn or error")
	return cfg
}

// usage writes the help.
func (c Command) usage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintf(w, "%s\n\nUsage:\n  %s [flags]\n\nFlags:\n", strings.Trim(c.About, "\n"), c.Name)
	fs.SetOutput(w)
	fs.PrintDefaults()
	fmt.Fprintf(w, "\nExample:\n%s\n", strings.Trim(c.Example, "\n"))
}

// Run is the command's main: it parses args, then serves the app until
// ctx ends or the process receives SIGINT or SIGTERM, and returns the exit
// status (ExitOK, ExitProblem or ExitUsage). It writes the help and the
// "NAME listening on URL" line to stdout, and the usage errors and the log
// to stderr.
func (c Command) Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet(c.Name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {}
	cfg := c.defineFlags(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			c.usage(stdout, fs)
			return ExitOK
		}
		fmt.Fprintf(stderr, "Run %s --help for the flags.\n", c.Name)
		return ExitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "%s: unexpected arguments %q; run %s --help for the flags\n", c.Name, fs.Args(), c.Name)
		return ExitUsage
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.logLevel)); err != nil {
		fmt.Fprintf(stderr, "%s: -log-level %q: want debug, info, warn or error\n", c.Name, cfg.logLevel)
		return ExitUsage
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := c.serve(ctx, cfg, stdout, log); err != nil {
		log.Error(c.Name+" failed", "error", err)
		return ExitProblem
	}
	return ExitOK
}

// serve opens the store, starts the app and serves it until ctx ends, then
// shuts the server down and closes the app and the store.
func (c Command) serve(ctx context.Context, cfg *config, stdout io.Writer, log *slog.Logger) (err error) {
	keyFile, err := c.sealKeyFile(cfg)
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
		if cerr := st.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("close the store: %w", cerr)
		}
	}()
	log.Info("store opened", "kind", backend.Kind(cfg.db), "dsn", backend.Redact(cfg.db))

	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.addr, err)
	}
	defer ln.Close()
	base := cfg.baseURL
	if base == "" {
		base = defaultBaseURL(ln.Addr())
	}
	app, err := c.Start(ctx, base, st, log)
	if err != nil {
		return fmt.Errorf("start %s: %w", c.Name, err)
	}
	defer func() {
		if cerr := app.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("close %s: %w", c.Name, cerr)
		}
	}()

	srv := &http.Server{
		Handler:           app.Handler(),
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		IdleTimeout:       idleTimeout,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	fmt.Fprintf(stdout, "%s listening on %s\n", c.Name, base)
	log.Info(c.Name+" listening", "url", base, "addr", ln.Addr().String())

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

// sealKeyFile returns the sealing key file: -seal-key-file, else the
// SQLite file's path + ".key", else Name + ".key" in the working directory
// for PostgreSQL.
func (c Command) sealKeyFile(cfg *config) (string, error) {
	if cfg.sealKeyFile != "" {
		return cfg.sealKeyFile, nil
	}
	if backend.Kind(cfg.db) == "postgres" {
		return c.Name + ".key", nil
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
