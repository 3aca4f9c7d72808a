package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// ltigenRun runs ltigen with args and stdin.
func ltigenRun(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	old := os.Stdin
	if stdin != "" {
		f := filepath.Join(t.TempDir(), "stdin")
		if err := os.WriteFile(f, []byte(stdin), 0o644); err != nil {
			t.Fatal(err)
		}
		in, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		defer in.Close()
		os.Stdin = in
		defer func() { os.Stdin = old }()
	}
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func writeTemp(t *testing.T, name, data string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestOAuthSignVerify signs requests with "oauth sign" and checks them
// with "oauth verify", as written and changed.
func TestOAuthSignVerify(t *testing.T) {
	const secret = "top-secret-value"
	launch := func(t *testing.T) string {
		code, out, errs := ltigenRun(t, "", "oauth", "sign", "--key", "k1", "--secret", secret, "--now", "1700000000", "--nonce", "n1",
			"https://Tool.Example.com:443/lti/launch?course=7", "--param", "roles=Instructor", "--param", "roles=Learner", "--param", "name=Zoë d'Artagnan")
		if code != exitOK {
			t.Fatalf("sign: exit %d: %s", code, errs)
		}
		return out
	}
	json := func(t *testing.T) string {
		body := writeTemp(t, "body.json", `{"resultScore":0.5}`)
		code, out, errs := ltigenRun(t, "", "oauth", "sign", "--key", "k1", "--secret", secret, "--method", "HMAC-SHA256", "-X", "PUT",
			"--body", body, "--content-type", "application/vnd.ims.lis.v2.result+json", "--now", "1700000000", "https://lms.example.com/result/1")
		if code != exitOK {
			t.Fatalf("sign: exit %d: %s", code, errs)
		}
		return out
	}
	curlify := func(raw string) string {
		head, body, _ := strings.Cut(raw, "\r\n\r\n")
		var b strings.Builder
		b.WriteString("*   Trying 192.0.2.1:443...\n* Connected to tool.example.com\n")
		for _, l := range strings.Split(head, "\r\n") {
			b.WriteString("> " + l + "\n")
		}
		b.WriteString(">\n} [182 bytes data]\n* upload completely sent off\n< HTTP/1.1 200 OK\n< Content-Type: text/html\n")
		b.WriteString(body)
		return b.String()
	}
	rows := []struct {
		name  string
		req   func(*testing.T) string
		edit  func(string) string
		args  []string
		code  int
		wants []string
	}{
		{"launch", launch, nil, []string{"--url", "https://tool.example.com/lti/launch", "--now", "1700000000"}, exitOK,
			[]string{"verdict: VALID", "url:     https://tool.example.com/lti/launch", "  course=7", "  roles=Instructor", "  roles=Learner", "  name=Zo%C3%AB%20d%27Artagnan", "base string:\n  POST&https%3A%2F%2Ftool.example.com%2Flti%2Flaunch&course%3D7"}},
		{"launch from a curl -v log", func(t *testing.T) string { return curlify(launch(t)) }, nil, []string{"--url", "https://tool.example.com/lti/launch", "--now", "1700000000"}, exitOK, []string{"verdict: VALID"}},
		{"launch, flags after the file", launch, nil, []string{"--now", "1700000000", "FILE", "--url", "https://tool.example.com/lti/launch"}, exitOK, []string{"verdict: VALID"}},
		{"launch seen as http (no --url)", launch, nil, []string{"--now", "1700000000"}, exitProblem, []string{"assuming the client used http://", "cause:   bad signature"}},
		{"launch tampered", launch, func(s string) string { return strings.Replace(s, "roles=Learner", "roles=Learnex", 1) }, []string{"--url", "https://tool.example.com/lti/launch", "--now", "1700000000"}, exitProblem, []string{"verdict: INVALID", "cause:   bad signature", "roles=Learnex"}},
		{"launch too old", launch, nil, []string{"--url", "https://tool.example.com/lti/launch"}, exitProblem, []string{"cause:   expired timestamp"}},
		{"launch, wrong secret", launch, nil, []string{"--url", "https://tool.example.com/lti/launch", "--now", "1700000000", "--secret", "other"}, exitProblem, []string{"cause:   bad signature"}},
		{"JSON with body hash", json, nil, []string{"--url", "https://lms.example.com/result/1", "--now", "1700000000"}, exitOK, []string{"verdict: VALID", "HMAC-SHA256", "oauth_body_hash="}},
		{"JSON body changed", json, func(s string) string { return strings.Replace(s, "0.5", "0.9", 1) }, []string{"--url", "https://lms.example.com/result/1", "--now", "1700000000"}, exitProblem, []string{"cause:   body hash mismatch"}},
	}
	for _, tc := range rows {
		t.Run(tc.name, func(t *testing.T) {
			raw := tc.req(t)
			if tc.edit != nil {
				raw = tc.edit(raw)
			}
			file := writeTemp(t, "req.txt", raw)
			args := []string{"oauth", "verify"}
			hasSecret := false
			for _, a := range tc.args {
				if a == "FILE" {
					a = file
				}
				hasSecret = hasSecret || a == "--secret"
				args = append(args, a)
			}
			if !hasSecret {
				args = append(args, "--secret", secret)
			}
			if !strings.Contains(strings.Join(tc.args, " "), "FILE") {
				args = append(args, file)
			}
			code, out, errs := ltigenRun(t, "", args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d\n%s%s", code, tc.code, out, errs)
			}
			for _, w := range tc.wants {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			if strings.Contains(out+errs, secret) {
				t.Error("the output holds the secret")
			}
		})
	}
}

func TestOAuthVerifyStdin(t *testing.T) {
	_, raw, _ := ltigenRun(t, "", "oauth", "sign", "--key", "k", "--secret", "s", "--now", "1700000000", "http://h/p", "--param", "a=b")
	code, out, errs := ltigenRun(t, raw, "oauth", "verify", "--secret", "s", "--now", "1700000000", "-")
	if code != exitOK || !strings.Contains(out, "verdict: VALID") {
		t.Errorf("exit %d\n%s%s", code, out, errs)
	}
}

func TestOAuthUsage(t *testing.T) {
	rows := []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"oauth"}, exitUsage, "Usage:"},
		{[]string{"oauth", "frob"}, exitUsage, "unknown subcommand"},
		{[]string{"oauth", "verify", "x"}, exitUsage, "give --secret"},
		{[]string{"oauth", "verify", "--secret", "s"}, exitUsage, "give --secret"},
		{[]string{"oauth", "verify", "--nope", "s"}, exitUsage, "flag provided but not defined"},
		{[]string{"oauth", "verify", "--secret", "s", "/nonexistent/req"}, exitProblem, "no such file"},
		{[]string{"oauth", "sign", "--key", "k", "http://h/"}, exitUsage, "--key and --secret are required"},
		{[]string{"oauth", "sign", "--key", "k", "--secret", "s"}, exitUsage, "give one URL"},
		{[]string{"oauth", "sign", "--key", "k", "--secret", "s", "--method", "RSA-SHA1", "http://h/"}, exitUsage, "--method must be"},
		{[]string{"oauth", "sign", "--key", "k", "--secret", "s", "ftp://h/"}, exitUsage, "not http or https"},
		{[]string{"oauth", "sign", "--key", "k", "--secret", "s", "--param", "novalue", "http://h/"}, exitUsage, "want k=v"},
		{[]string{"oauth", "sign", "--key", "k", "--secret", "s", "--body", "x", "http://h/"}, exitUsage, "--content-type"},
	}
	for _, tc := range rows {
		code, _, errs := ltigenRun(t, "", tc.args...)
		if code != tc.code || !strings.Contains(errs, tc.err) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tc.args, code, errs, tc.code, tc.err)
		}
	}
	if code, out, _ := ltigenRun(t, "", "help", "oauth"); code != exitOK || !strings.Contains(out, "ltigen oauth verify") {
		t.Errorf("help oauth: exit %d\n%s", code, out)
	}
}

// TestOAuthVerifyGarbage feeds verify unparseable requests.
func TestOAuthVerifyGarbage(t *testing.T) {
	for _, raw := range []string{"", "not a request", "POST / HTTP/1.1\r\nContent-Length: 99\r\n\r\nshort"} {
		code, _, errs := ltigenRun(t, "", "oauth", "verify", "--secret", "s", writeTemp(t, "r", raw))
		if code != exitProblem || errs == "" {
			t.Errorf("%q: exit %d, stderr %q", raw, code, errs)
		}
	}
}
