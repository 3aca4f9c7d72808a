package outcomes

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ltiforge/ltiforge/generated/lti2"
	"github.com/ltiforge/ltiforge/runtime/launch"
	"github.com/ltiforge/ltiforge/runtime/oauth1"
)

// The interop tests drive the npm package ims-lti 3.0.2 (omsmith/ims-lti,
// a peer library nobody here wrote) from the scripts in testdata/imslti.
// They need node and the installed package:
//
//	(cd runtime/outcomes/testdata/imslti && npm ci --no-audit --no-fund)
//
// and skip, saying so, without them.

// imsLTI returns the node binary and the harness directory, or skips.
func imsLTI(t *testing.T) (node, dir string) {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("interop with npm ims-lti skipped: node is not installed")
	}
	dir, err = filepath.Abs(filepath.Join("testdata", "imslti"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "ims-lti", "package.json")); err != nil {
		t.Skip("interop with npm ims-lti skipped: testdata/imslti/node_modules/ims-lti is missing " +
			"(run: cd runtime/outcomes/testdata/imslti && npm ci --no-audit --no-fund)")
	}
	return node, dir
}

// runScript runs a harness script and decodes the JSON object it prints.
func runScript(t *testing.T, node, dir string, stdin []byte, script string, args ...string) map[string]any {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, append([]string{script}, args...)...)
	cmd.Dir = dir
	cmd.Stdin = bytes.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("node %s %s: %v\nstdout: %s\nstderr: %s", script, strings.Join(args, " "), err, stdout.Bytes(), stderr.Bytes())
	}
	var out map[string]any
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("node %s printed %q (stderr %q): %v", script, stdout.Bytes(), stderr.Bytes(), err)
	}
	return out
}

// TestInteropIMSLTIOutcomeService sends replaceResult, readResult and
// deleteResult from ims-lti's OutcomeService to our Handler. The service
// URL carries a query parameter, which both sides must sign.
func TestInteropIMSLTIOutcomeService(t *testing.T) {
	node, dir := imsLTI(t)
	f := newFixture(t)
	ctx := context.Background()
	outcome := func(creds oauth1.Credentials, args ...string) map[string]any {
		t.Helper()
		return runScript(t, node, dir, nil, "outcomes.js", append([]string{args[0], f.url, creds.Key, creds.Secret}, args[1:]...)...)
	}
	wantStored := func(sid string, score float64, lang string) {
		t.Helper()
		s, l, ok, err := f.store.Read(ctx, sid)
		if err != nil || !ok || s != score || l != lang {
			t.Errorf("store holds %s = %v %q (ok %v, err %v), want %v %q", sid, s, l, ok, err, score, lang)
		}
	}

	steps := []struct {
		name  string
		creds oauth1.Credentials
		args  []string
		ok    bool
		score any    // the score read, when ok
		error string // a substring of the error, when not ok
		check func()
	}{
		{"replace", nodeCreds, []string{"replace", "sid-1", "0.85"}, true, nil, "", func() { wantStored("sid-1", 0.85, "en") }},
		{"read", nodeCreds, []string{"read", "sid-1"}, true, 0.85, "", nil},
		{"replace with language", nodeCreds, []string{"replace", "sid-1", "0.4", "de-CH"}, true, nil, "", func() { wantStored("sid-1", 0.4, "de-CH") }},
		{"replace 1", nodeCreds, []string{"replace", "course-7:user-42:link-3", "1"}, true, nil, "", func() { wantStored("course-7:user-42:link-3", 1, "en") }},
		{"replace 0", nodeCreds, []string{"replace", "sid-2", "0"}, true, nil, "", func() { wantStored("sid-2", 0, "en") }},
		{"read 0", nodeCreds, []string{"read", "sid-2"}, true, 0.0, "", nil},
		{"delete", nodeCreds, []string{"delete", "sid-1"}, true, nil, "", func() {
			if _, _, ok, _ := f.store.Read(ctx, "sid-1"); ok {
				t.Errorf("store still holds sid-1 after deleteResult")
			}
		}},
		// An empty textString (no grade) is a success for us; ims-lti
		// turns it into an error because it parses the score as a float.
		{"read after delete", nodeCreds, []string{"read", "sid-1"}, false, nil, "Invalid score response", nil},
		{"unknown sourcedId", nodeCreds, []string{"replace", "sid-nobody", "0.5"}, false, nil, "unknown sourcedId", func() {
			if _, _, ok, _ := f.store.Read(ctx, "sid-nobody"); ok {
				t.Errorf("store holds sid-nobody")
			}
		}},
		{"another consumer's sourcedId", nodeOther, []string{"read", "sid-1"}, false, nil, "unknown sourcedId", nil},
		{"wrong secret", oauth1.Credentials{Key: nodeCreds.Key, Secret: "wrong"}, []string{"replace", "sid-2", "0.9"}, false, nil, "bad signature", func() { wantStored("sid-2", 0, "en") }},
		{"unknown key", oauth1.Credentials{Key: "nobody", Secret: "x"}, []string{"delete", "sid-2"}, false, nil, "unknown key", func() { wantStored("sid-2", 0, "en") }},
	}
	for _, st := range steps {
		out := outcome(st.creds, st.args...)
		if ok, _ := out["ok"].(bool); ok != st.ok {
			t.Errorf("%s: ims-lti reported %v, want ok=%v", st.name, out, st.ok)
			continue
		}
		if st.ok && st.score != nil && out["score"] != st.score {
			t.Errorf("%s: ims-lti read score %v, want %v", st.name, out["score"], st.score)
		}
		if !st.ok {
			if msg, _ := out["error"].(string); !strings.Contains(msg, st.error) {
				t.Errorf("%s: ims-lti error %q, want it to contain %q", st.name, msg, st.error)
			}
		}
		if st.check != nil {
			st.check()
		}
	}
}

// TestInteropIMSLTINonASCIISourcedID records a defect of ims-lti 3.0.2:
// it sets Content-Length to the body's length in UTF-16 code units, not
// bytes, so a body with non-ASCII characters is cut short. Our handler must
// refuse such a request (the body hash no longer matches, or the XML is
// incomplete) without storing anything, and answer with a POX envelope.
func TestInteropIMSLTINonASCIISourcedID(t *testing.T) {
	node, dir := imsLTI(t)
	f := newFixture(t)
	out := runScript(t, node, dir, nil, "outcomes.js", "replace", f.url, nodeCreds.Key, nodeCreds.Secret, "sid-ü", "0.5")
	if ok, _ := out["ok"].(bool); ok {
		t.Fatalf("ims-lti reported success for a non-ASCII sourcedId (its Content-Length defect fixed?): %v", out)
	}
	if msg, _ := out["error"].(string); !strings.Contains(msg, "body hash mismatch") {
		t.Errorf("ims-lti error %q, want our body hash mismatch reply", msg)
	}
	if f.store.Len() != 0 {
		t.Errorf("store holds %d results, want 0", f.store.Len())
	}
}

// TestInteropIMSLTIProvider has ims-lti's Provider validate launches our
// launch.Consumer signs, and refuse them once tampered with.
func TestInteropIMSLTIProvider(t *testing.T) {
	node, dir := imsLTI(t)
	ctx := context.Background()
	base := launch.Request{
		URL: "https://tool.example.org/lti/launch?course=7&mode=quiz",
		Message: launch.Message{
			Version:      launch.LTI1,
			ResourceLink: launch.ResourceLink{ID: "rl-120988f929", Title: "Quiz 1", Description: "Line one\nline two"},
			User: launch.User{ID: "u-292832126", FullName: "Zoë d'Artagnan (*test*)", Email: "zoe+lti@example.org",
				SourcedID: "school.edu:user"},
			Roles:        []lti2.Role{"Instructor", "urn:lti:role:ims/lis/TeachingAssistant"},
			Context:      launch.Context{ID: "c-456434513", Title: "Design of Personal Environments ~ 100%", Label: "SI182"},
			Outcome:      launch.Outcome{ServiceURL: "https://lms.example.org/lti/outcomes", ResultSourcedID: "course-7:user-42:link-3"},
			ToolConsumer: launch.ToolConsumer{InstanceGUID: "lmsng.school.edu", ProductFamilyCode: "ltiforge"},
		},
		Custom:     []launch.Custom{{Name: "Chapter", Value: "3 & 4 = 7?"}},
		Extensions: []oauth1.Param{{Key: "note", Value: "a+b c"}},
	}
	signed := func(t *testing.T, req launch.Request, creds oauth1.Credentials) []oauth1.Param {
		t.Helper()
		form, err := (&launch.Consumer{Credentials: creds}).Build(ctx, &req)
		if err != nil {
			t.Fatalf("launch.Consumer.Build: %v", err)
		}
		return form.Params
	}
	toJSON := func(t *testing.T, ps []oauth1.Param) []byte {
		t.Helper()
		m := map[string]any{}
		for _, p := range ps {
			switch v := m[p.Key].(type) {
			case nil:
				m[p.Key] = p.Value
			case string:
				m[p.Key] = []string{v, p.Value}
			case []string:
				m[p.Key] = append(v, p.Value)
			}
		}
		data, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	set := func(ps []oauth1.Param, key, value string) []oauth1.Param {
		out := append([]oauth1.Param(nil), ps...)
		for i := range out {
			if out[i].Key == key {
				out[i].Value = value
			}
		}
		return out
	}
	withURL := func(u string) launch.Request { r := base; r.URL = u; return r }
	lti2Launch := base
	lti2Launch.Version = launch.LTI2

	tests := []struct {
		name   string
		url    string
		params []oauth1.Param
		secret string // the secret ims-lti checks with
		valid  bool
		error  string
	}{
		{"LTI-1p0 launch", base.URL, signed(t, base, nodeCreds), nodeCreds.Secret, true, ""},
		{"explicit default port", "https://tool.example.org:443/lti/launch", signed(t, withURL("https://tool.example.org:443/lti/launch"), nodeCreds), nodeCreds.Secret, true, ""},
		{"other port", "http://127.0.0.1:8080/launch", signed(t, withURL("http://127.0.0.1:8080/launch"), nodeCreds), nodeCreds.Secret, true, ""},
		{"tampered user_id", base.URL, set(signed(t, base, nodeCreds), "user_id", "u-1"), nodeCreds.Secret, false, "Invalid Signature"},
		{"tampered custom value", base.URL, set(signed(t, base, nodeCreds), "custom_chapter", "5"), nodeCreds.Secret, false, "Invalid Signature"},
		{"other query", "https://tool.example.org/lti/launch?course=8&mode=quiz", signed(t, base, nodeCreds), nodeCreds.Secret, false, "Invalid Signature"},
		{"wrong secret", base.URL, signed(t, base, nodeCreds), "not the secret", false, "Invalid Signature"},
		// ims-lti 3.0.2 knows only lti_version LTI-1p0.
		{"LTI-2p0 launch is outside ims-lti", base.URL, signed(t, lti2Launch, nodeCreds), nodeCreds.Secret, false, "Invalid LTI parameters"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := runScript(t, node, dir, toJSON(t, tc.params), "provider.js", tc.url, nodeCreds.Key, tc.secret)
			if valid, _ := out["valid"].(bool); valid != tc.valid {
				t.Fatalf("ims-lti Provider: %v, want valid=%v", out, tc.valid)
			}
			if msg, _ := out["error"].(string); !strings.Contains(msg, tc.error) {
				t.Errorf("ims-lti error %q, want it to contain %q", msg, tc.error)
			}
		})
	}
}

// TestInteropIMSLTISecretEncoding records a defect of ims-lti 3.0.2: its
// HMAC-SHA1 key is secret + "&" with the secret not percent-encoded, where
// RFC 5849 §3.4.2 encodes it. A secret with characters outside
// A-Za-z0-9-._~ therefore gives signatures the two sides disagree on, both
// ways. Tool consumers that issue secrets to ims-lti tools should keep to
// unreserved characters (hexadecimal, as most do).
func TestInteropIMSLTISecretEncoding(t *testing.T) {
	node, dir := imsLTI(t)
	f := newFixture(t)
	special := testCreds // its secret is "s3cr3t&+/ü"
	out := runScript(t, node, dir, nil, "outcomes.js", "replace", f.url, special.Key, special.Secret, "sid-1", "0.5")
	if msg, _ := out["error"].(string); out["ok"] != false || !strings.Contains(msg, "bad signature") {
		t.Errorf("ims-lti outcome signed with secret %q: %v, want our bad signature reply", special.Secret, out)
	}
	if f.store.Len() != 0 {
		t.Errorf("store holds %d results, want 0", f.store.Len())
	}

	req := launch.Request{URL: "https://tool.example.org/launch", Message: launch.Message{Version: launch.LTI1, ResourceLink: launch.ResourceLink{ID: "rl-1"}}}
	form, err := (&launch.Consumer{Credentials: special}).Build(context.Background(), &req)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, p := range form.Params {
		m[p.Key] = p.Value
	}
	data, _ := json.Marshal(m)
	out = runScript(t, node, dir, data, "provider.js", req.URL, special.Key, special.Secret)
	if out["valid"] != false {
		t.Errorf("ims-lti validated a launch signed with secret %q (its key encoding fixed?): %v", special.Secret, out)
	}
}
