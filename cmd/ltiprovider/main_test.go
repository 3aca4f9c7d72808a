package main

import (
	"strings"
	"testing"

	"github.com/ltiforge/ltiforge/internal/appmain"
	"github.com/ltiforge/ltiforge/internal/apptest"
)

// The shared behaviour (flags, usage errors, the key file, the listening
// line, the shutdown) is tested in internal/appmain; these tests check the
// e-textbook's own part.

func TestHelpIsTheETextbooks(t *testing.T) {
	apptest.Help(t, run, "-help", "ltiprovider serves Open Textbooks", "<base URL>/lti/register", "public URL of the tool",
		`(default "127.0.0.1:8090")`, `(default "ltiprovider.db")`, "https://books.example.com")
}

// TestServe starts the e-textbook, finds its registration URL on its home
// page and in its log, and stops it.
func TestServe(t *testing.T) {
	cmd := apptest.StartCommand(t, command.Name, run)
	regURL := cmd.URL + "/lti/register"
	if got := apptest.NewBrowser(t, cmd.URL).Get("/").TextOf(t, "registration-url"); got != regURL {
		t.Errorf("the home page gives the registration URL %q, want %q", got, regURL)
	}
	if code := cmd.Stop(t); code != appmain.ExitOK {
		t.Fatalf("exited %d; stderr:\n%s", code, cmd.Stderr)
	}
	if logs := cmd.Stderr.String(); !strings.Contains(logs, `msg="registration URL" url=`+regURL) {
		t.Errorf("the log lacks the registration URL:\n%s", logs)
	}
}
