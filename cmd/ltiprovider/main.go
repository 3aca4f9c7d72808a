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
	"io"
	"log/slog"
	"os"

	"github.com/ltiforge/ltiforge/examples/etextbook"
	"github.com/ltiforge/ltiforge/internal/appmain"
	"github.com/ltiforge/ltiforge/runtime/store"
)

// command is ltiprovider: the shared main program around the e-textbook.
var command = appmain.Command{
	Name:        "ltiprovider",
	Serves:      "the tool",
	DefaultAddr: "127.0.0.1:8090",
	DefaultDB:   "ltiprovider.db",
	About: `ltiprovider serves Open Textbooks, the reference LTI 2.0 Tool Provider of ltiforge:
an e-textbook that an LMS registers with LTI 2.0, offering a textbook, a
weekly quiz graded into the LMS gradebook, book adoption (kept in the LMS's
course settings) and a billing census (from the LMS's roster).

Give an LMS administrator the registration URL, <base URL>/lti/register
(also shown on the tool's home page). Registrations are kept in the
database; their shared secrets are sealed with the key of -seal-key-file,
or of LTIFORGE_SEAL_KEY / LTIFORGE_SEAL_KEY_FILE when set.`,
	Example: `  ltiprovider -addr 127.0.0.1:8090 -db ltiprovider.db -base-url http://127.0.0.1:8090
  LTIFORGE_SEAL_KEY_FILE=/etc/ltiprovider/seal.key \
    ltiprovider -db 'postgres://lti@db.example.com/lti?sslmode=require' -base-url https://books.example.com`,
	Start: func(ctx context.Context, baseURL string, st store.Store, log *slog.Logger) (appmain.App, error) {
		app, err := etextbook.New(ctx, etextbook.Options{BaseURL: baseURL, Store: st, Logger: log})
		if err != nil {
			return nil, err
		}
		log.Info("registration URL", "url", app.RegistrationURL())
		return app, nil
	},
}

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// run is the command: it serves the e-textbook until ctx ends or a SIGINT
// or SIGTERM comes, and returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return command.Run(ctx, args, stdout, stderr)
}
