package oauth1

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// oauthlibPython returns a Python interpreter that can import oauthlib
// (Debian's python3-oauthlib lives under /usr/bin/python3, which a pyenv
// or venv python3 on PATH may not see), or skips.
func oauthlibPython(t *testing.T) string {
	t.Helper()
	for _, py := range []string{"python3", "/usr/bin/python3"} {
		path, err := exec.LookPath(py)
		if err != nil {
			continue
		}
		if exec.Command(path, "-c", "import oauthlib.oauth1").Run() == nil {
			return path
		}
	}
	t.Skip("python3 with oauthlib not found (install Debian's python3-oauthlib): skipping the interop test")
	return ""
}

// runPython runs a testdata script with in as JSON on stdin and decodes
// its JSON output into out.
func runPython(t *testing.T, py, script string, in, out any) {
	t.Helper()
	data, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, py, filepath.Join("testdata", script))
	cmd.Stdin = bytes.NewReader(data)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	res, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", script, err, stderr.String())
	}
	if err := json.Unmarshal(res, out); err != nil {
		t.Fatalf("%s: %v\n%s", script, err, res)
	}
}

// interopCase is one launch signed by one side and verified by the other.
type interopCase struct {
	Name      string      `json:"-"`
	URL       string      `json:"url"`
	Key       string      `json:"key"`
	Secret    string      `json:"secret"`
	Method    string      `json:"method"`
	Params    [][2]string `json:"params"`
	Timestamp string      `json:"timestamp,omitempty"`
	Nonce     string      `json:"nonce,omitempty"`
}

func interopCases() []interopCase {
	base := [][2]string{{"lti_message_type", "basic-lti-launch-request"}, {"lti_version", "LTI-1p0"}, {"resource_link_id", "rl-1"}}
	with := func(extra ...[2]string) [][2]string { return append(append([][2]string{}, base...), extra...) }
	return []interopCase{
		{Name: "plain", URL: "https://tool.example.com/launch", Params: with()},
		{Name: "query parameters", URL: "https://tool.example.com:8443/launch?course=7&a=b%20c", Params: with()},
		{Name: "duplicate keys", URL: "http://tool.example.com/launch?role=x&role=a", Params: with([2]string{"roles", "Instructor"}, [2]string{"roles", "Learner"}, [2]string{"role", "m"})},
		{Name: "UTF-8", URL: "https://tool.example.com/launch", Params: with([2]string{"lis_person_name_full", "Zoë Ångström 東京 🎓"}, [2]string{"context_title", "Ünïcödé"})},
		{Name: "reserved characters", URL: "https://tool.example.com/a/b;c", Params: with([2]string{"custom_x", "a+b=c&d; e/f?g#h [i] ~j %k *l 'm' (n) !o @p $q ,r :s"}, [2]string{"empty", ""}, [2]string{"lines", "one\r\ntwo"})},
		{Name: "HMAC-SHA256", URL: "https://tool.example.com/launch?x=1", Method: "HMAC-SHA256", Params: with([2]string{"user_id", "42"})},
	}
}

// TestInteropOauthlibSigns has oauthlib sign launches and our Verifier
// verify them.
func TestInteropOauthlibSigns(t *testing.T) {
	py := oauthlibPython(t)
	cases := interopCases()
	now := time.Now().Unix()
	for i := range cases {
		cases[i].Key, cases[i].Secret = "key-"+cases[i].Name, "secret &/"+cases[i].Name
		if cases[i].Method == "" {
			cases[i].Method = "HMAC-SHA1"
		}
	}
	var signed []struct {
		URI     string            `json:"uri"`
		Headers map[string]string `json:"headers"`
		Body    string            `json:"body"`
	}
	runPython(t, py, "oauthlib_sign.py", cases, &signed)
	if len(signed) != len(cases) {
		t.Fatalf("%d results for %d cases", len(signed), len(cases))
	}
	secrets := SecretMap{}
	for _, c := range cases {
		secrets[c.Key] = c.Secret
	}
	v := &Verifier{Secrets: secrets, Nonces: NewMemoryNonceStore(100, time.Hour), Now: fixed(now)}
	for i, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			s := signed[i]
			r, b := spec{method: "POST", url: s.URI, contentType: s.Headers["Content-Type"], body: s.Body}.request()
			res, err := v.Verify(context.Background(), r, b)
			if err != nil {
				t.Fatalf("Verify: %v\nbody: %s\nbase string: %s", err, s.Body, baseOf(err))
			}
			for _, p := range c.Params {
				found := false
				for _, q := range res.Params {
					found = found || q.Key == p[0] && q.Value == p[1]
				}
				if !found {
					t.Errorf("parameter %q=%q lost; got %v", p[0], p[1], res.Params)
				}
			}
		})
	}
}

// TestInteropOauthlibVerifies has SignForm and SignRequest sign requests
// and oauthlib verify them, comparing base strings too.
func TestInteropOauthlibVerifies(t *testing.T) {
	py := oauthlibPython(t)
	type req struct {
		Method  string            `json:"method"`
		URI     string            `json:"uri"`
		Headers map[string]string `json:"headers"`
		Body    string            `json:"body"`
		Secret  string            `json:"secret"`
	}
	var reqs []req
	var bases []string
	for _, c := range interopCases() {
		var ps []Param
		for _, p := range c.Params {
			ps = append(ps, Param{p[0], p[1]})
		}
		creds := Credentials{"key-" + c.Name, "secret &/" + c.Name}
		signed, err := SignForm("POST", c.URL, ps, creds, SignOptions{Method: SignatureMethod(c.Method), Callback: "about:blank"})
		if err != nil {
			t.Fatal(err)
		}
		body := EncodeForm(signed)
		reqs = append(reqs, req{"POST", c.URL, map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, body, creds.Secret})
		r, b := spec{method: "POST", url: c.URL, contentType: "application/x-www-form-urlencoded", body: body}.request()
		res, err := (&Verifier{Secrets: SecretMap{creds.Key: creds.Secret}}).Verify(context.Background(), r, b)
		if err != nil {
			t.Fatalf("%s: our own verification: %v", c.Name, err)
		}
		bases = append(bases, res.BaseString)
	}
	// A JSON service call with a body hash in the Authorization header.
	hr, _ := httpRequest("PUT", "https://lms.example.com/api/result/1?rlid=a%2Fb", `{"resultScore":0.5}`, "application/vnd.ims.lis.v2.result+json")
	if err := SignRequest(hr, []byte(`{"resultScore":0.5}`), Credentials{"k", "s"}, SignOptions{}); err != nil {
		t.Fatal(err)
	}
	reqs = append(reqs, req{"PUT", hr.URL.String(), map[string]string{"Content-Type": hr.Header.Get("Content-Type"), "Authorization": hr.Header.Get("Authorization")}, `{"resultScore":0.5}`, "s"})
	bases = append(bases, "")

	var verdicts []struct {
		Valid      bool   `json:"valid"`
		BaseString string `json:"base_string"`
	}
	runPython(t, py, "oauthlib_verify.py", reqs, &verdicts)
	if len(verdicts) != len(reqs) {
		t.Fatalf("%d verdicts for %d requests", len(verdicts), len(reqs))
	}
	for i, vd := range verdicts {
		if !vd.Valid {
			t.Errorf("oauthlib rejects request %d (%s %s)\nits base string: %s\nour base string: %s", i, reqs[i].Method, reqs[i].URI, vd.BaseString, bases[i])
		}
		if bases[i] != "" && !strings.EqualFold(vd.BaseString, bases[i]) {
			t.Errorf("request %d: base strings differ\noauthlib: %s\nours:     %s", i, vd.BaseString, bases[i])
		}
	}
}

func httpRequest(method, url, body, contentType string) (*http.Request, error) {
	r, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	r.Header.Set("Content-Type", contentType)
	return r, nil
}
