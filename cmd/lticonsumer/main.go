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
	"io"
	"log/slog"
	"os"

	"github.com/ltiforge/ltiforge/examples/lms"
	"github.com/ltiforge/ltiforge/internal/appmain"
	"github.com/ltiforge/ltiforge/runtime/store"
)

// command is lticonsumer: the shared main program around the LMS.
var command = appmain.Command{
	Name:        "lticonsumer",
	Serves:      "the LMS",
	DefaultAddr: "127.0.0.1:8080",
	DefaultDB:   "lticonsumer.db",
	About: `lticonsumer runs the reference LMS of ltiforge: an LTI 2.0 Tool Consumer with a demo
course (Biology 101, an administrator, an instructor and three learners).

Sign in at the base URL (no passwords: a user switch). The administrator
registers LTI 2 tools by their registration URL and approves them, or adds
LTI 1 tools by key and secret; the instructor places a tool's resources in
the course and sees the gradebook, the tool settings and the roster;
learners launch the links. The LTI services the tools call (profile,
registration, Tool Settings, Result, Membership, basic outcomes) are served
at the same address.`,
	Example: `  lticonsumer -addr 127.0.0.1:8080 -db lticonsumer.db
  # then open http://127.0.0.1:8080 and sign in as Ada Admin

  lticonsumer -db 'postgres://lms:secret@db.example.edu/lms?sslmode=require' \
      -base-url https://lms.example.edu -addr :8080`,
	Start: func(ctx context.Context, baseURL string, st store.Store, log *slog.Logger) (appmain.App, error) {
		app, err := lms.New(ctx, lms.Options{BaseURL: baseURL, Store: st, Logger: log})
		if err != nil {
			return nil, err
		}
		return app, nil
	},
}

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// run is the command: it serves the LMS until ctx ends or a SIGINT or
// SIGTERM comes, and returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return command.Run(ctx, args, stdout, stderr)
}
