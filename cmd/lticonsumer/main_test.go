package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/ltiforge/ltiforge/internal/appmain"
	"github.com/ltiforge/ltiforge/internal/apptest"
)

// The shared behaviour (flags, usage errors, the key file, the listening
// line, the shutdown) is tested in internal/appmain; these tests check the
// LMS's own part.

func TestHelpIsTheLMSs(t *testing.T) {
	apptest.Help(t, run, "--help", "lticonsumer runs the reference LMS", "Tool Consumer", "public URL of the LMS",
		`(default "127.0.0.1:8080")`, `(default "lticonsumer.db")`, "sign in as Ada Admin", "postgres://")
}

// TestServe starts the LMS, gets the sign-in page of its demo course, and
// stops it.
func TestServe(t *testing.T) {
	cmd := apptest.StartCommand(t, command.Name, run)
	signin := apptest.NewBrowser(t, cmd.URL).Get("/")
	if signin.Status != http.StatusOK || signin.ByID("signin") == nil || signin.ByID("user") == nil {
		t.Fatalf("GET /: %d\n%s", signin.Status, signin.Body)
	}
	if code := cmd.Stop(t); code != appmain.ExitOK {
		t.Fatalf("exited %d; stderr:\n%s", code, cmd.Stderr)
	}
	if logs := cmd.Stderr.String(); !strings.Contains(logs, `msg="lms: demo course seeded"`) {
		t.Errorf("the log lacks the demo course:\n%s", logs)
	}
}
