package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/ltiforge/ltiforge/runtime/oauth1"
)

const oauthUsage = `Usage:
  ltigen oauth verify --secret S [--url URL] [--now UNIX] REQUEST_FILE|-
  ltigen oauth sign --key K --secret S [--method HMAC-SHA1|HMAC-SHA256] [-X METHOD] URL
                    [--param k=v]... [--body FILE --content-type T] [--now UNIX] [--nonce N]

verify reads a raw HTTP request (as a proxy log shows it, or as "curl -v"
prints it: "> " prefixes are stripped, and lines after the request's
headers that carry no curl prefix are its body), checks its OAuth 1.0a
signature with the secret S, and prints the normalised parameters, the
signature base string and the verdict with its cause. --url gives the URL
the client used (behind a TLS-terminating proxy the request line does not
show it); without it the URL is the request line's absolute URL, or
http:// + Host + path. --now pins the clock (Unix seconds) so an old
request can be checked. Nonces are not checked (there is no store).

sign writes a signed raw HTTP request to standard output: a form POST of
the --param fields (a launch), or, with --body, a request with that body,
an oauth_body_hash and an Authorization header. The method defaults to
POST when there are parameters or a body, GET otherwise; with GET the
parameters go into the query.

Exit status: 0 valid (verify) or written (sign); 1 invalid or unreadable;
2 usage error.

Flags:
`

func runOAuth(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, oauthUsage)
		return exitUsage
	}
	switch args[0] {
	case "verify":
		return runOAuthVerify(ctx, args[1:], stdout, stderr)
	case "sign":
		return runOAuthSign(ctx, args[1:], stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, oauthUsage)
		return exitOK
	}
	fmt.Fprintf(stderr, "ltigen oauth: unknown subcommand %q (want verify or sign)\n\n", args[0])
	fmt.Fprint(stderr, oauthUsage)
	return exitUsage
}

// parseInterspersed parses flags that may come before or after the
// positional arguments, which it returns.
func parseInterspersed(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (pos []string, code int, ok bool) {
	for {
		if _, code, ok := parseFlags(fs, oauthUsage, args, stdout, stderr); !ok {
			return nil, code, false
		}
		if fs.NArg() == 0 {
			return pos, exitOK, true
		}
		rest := fs.Args()
		if rest[0] == "--" {
			return append(pos, rest[1:]...), exitOK, true
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// maxRequestFile bounds what verify reads.
const maxRequestFile = 16 << 20

func runOAuthVerify(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("oauth verify", flag.ContinueOnError)
	secret := fs.String("secret", "", "the consumer's shared `SECRET` (required)")
	rawURL := fs.String("url", "", "the `URL` the client used (scheme, host, port, path)")
	now := fs.Int64("now", 0, "verify as if the clock read `UNIX` seconds")
	pos, code, ok := parseInterspersed(fs, args, stdout, stderr)
	if !ok {
		return code
	}
	if len(pos) != 1 || *secret == "" {
		fmt.Fprint(stderr, "ltigen oauth verify: give --secret and one REQUEST_FILE (or - for standard input)\n\n")
		usageWriter{fs: fs, text: oauthUsage}.print(stderr)
		return exitUsage
	}
	var in io.Reader = os.Stdin
	if pos[0] != "-" {
		f, err := os.Open(pos[0])
		if err != nil {
			fmt.Fprintf(stderr, "ltigen oauth verify: %v\n", err)
			return exitProblem
		}
		defer f.Close()
		in = f
	}
	raw, err := io.ReadAll(io.LimitReader(in, maxRequestFile+1))
	if err != nil || len(raw) > maxRequestFile {
		fmt.Fprintf(stderr, "ltigen oauth verify: reading the request: %v\n", errOr(err, "longer than 16 MiB"))
		return exitProblem
	}
	r, body, err := readRawRequest(raw)
	if err != nil {
		fmt.Fprintf(stderr, "ltigen oauth verify: %v\n", err)
		return exitProblem
	}
	target := *rawURL
	if target == "" {
		if r.URL.IsAbs() {
			target = r.URL.String()
		} else {
			target = "http://" + r.Host + r.URL.EscapedPath()
			fmt.Fprintln(stdout, "note: no --url; assuming the client used http:// and the Host header")
		}
	}
	v := &oauth1.Verifier{Secrets: anyKey(*secret), MaxBody: maxRequestFile}
	if *now != 0 {
		v.Now = func() time.Time { return time.Unix(*now, 0) }
	}
	res, err := v.VerifyAt(ctx, r, body, target)
	var base string
	var e *oauth1.Error
	switch {
	case err == nil:
		base = res.BaseString
	case errors.As(err, &e):
		base = e.BaseString
	default:
		fmt.Fprintf(stderr, "ltigen oauth verify: %v\n", err)
		return exitProblem
	}
	if base != "" {
		printBase(stdout, base)
	}
	if err != nil {
		fmt.Fprintf(stdout, "\nverdict: INVALID\ncause:   %s\ndetail:  %s\n", e.Cause, e.Detail)
		return exitProblem
	}
	fmt.Fprintf(stdout, "\nverdict: VALID (consumer key %q, %s, timestamp %s)\n", res.ConsumerKey, res.Method, res.Timestamp.UTC().Format(time.RFC3339))
	return exitOK
}

func errOr(err error, s string) any {
	if err != nil {
		return err
	}
	return s
}

// printBase prints the URL, the normalised parameters (one a line) and the
// base string.
func printBase(w io.Writer, base string) {
	parts := strings.SplitN(base, "&", 3)
	if len(parts) == 3 {
		method := parts[0]
		u, _ := url.PathUnescape(parts[1])
		params, _ := url.PathUnescape(parts[2])
		fmt.Fprintf(w, "method:  %s\nurl:     %s\nnormalised parameters:\n", method, u)
		for _, p := range strings.Split(params, "&") {
			if p != "" {
				fmt.Fprintf(w, "  %s\n", p)
			}
		}
	}
	fmt.Fprintf(w, "base string:\n  %s\n", base)
}

// anyKey is a secret store that gives the one secret for every key.
type anyKey string

func (s anyKey) Secret(context.Context, string) (string, error) { return string(s), nil }

// readRawRequest parses a raw HTTP request, or the request part of a
// "curl -v" log.
func readRawRequest(raw []byte) (*http.Request, []byte, error) {
	raw = stripCurl(raw)
	// Split the head from the body at the first empty line.
	var head, body []byte
	if i := bytes.Index(raw, []byte("\r\n\r\n")); i >= 0 && (bytes.Index(raw, []byte("\n\n")) < 0 || i < bytes.Index(raw, []byte("\n\n"))) {
		head, body = raw[:i+2], raw[i+4:]
	} else if i := bytes.Index(raw, []byte("\n\n")); i >= 0 {
		head, body = raw[:i+1], raw[i+2:]
	} else {
		head = raw
	}
	r, err := http.ReadRequest(bufio.NewReader(io.MultiReader(bytes.NewReader(head), strings.NewReader("\r\n"))))
	if err != nil {
		return nil, nil, fmt.Errorf("parsing the request: %w", err)
	}
	if cl := r.Header.Get("Content-Length"); cl != "" {
		n, err := strconv.Atoi(cl)
		if err != nil || n < 0 {
			return nil, nil, fmt.Errorf("invalid Content-Length %q", cl)
		}
		if n > len(body) {
			return nil, nil, fmt.Errorf("the body has %d bytes, Content-Length says %d", len(body), n)
		}
		body = body[:n]
	} else {
		body = bytes.TrimSuffix(bytes.TrimSuffix(body, []byte("\n")), []byte("\r"))
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return r, body, nil
}

// stripCurl turns a "curl -v" log into a raw request: lines starting "> "
// (or a lone ">") lose the prefix; curl's other lines ("* ", "< ", "{ ",
// "} ") are dropped; other lines after the request's header block are the
// body. Input without "> " lines is returned as it is.
func stripCurl(raw []byte) []byte {
	lines := bytes.SplitAfter(raw, []byte("\n"))
	isCurl := false
	for _, l := range lines {
		if bytes.HasPrefix(l, []byte("> ")) {
			isCurl = true
			break
		}
	}
	if !isCurl {
		return raw
	}
	var out []byte
	inHead, headDone := false, false
	for _, l := range lines {
		t := bytes.TrimRight(l, "\r\n")
		switch {
		case !headDone && (bytes.HasPrefix(l, []byte("> ")) || len(t) == 1 && t[0] == '>'):
			inHead = true
			rest := bytes.TrimPrefix(bytes.TrimPrefix(t, []byte(">")), []byte(" "))
			out = append(append(out, rest...), '\r', '\n')
			if len(rest) == 0 {
				headDone = true
			}
		case bytes.HasPrefix(l, []byte("* ")), bytes.HasPrefix(l, []byte("< ")), bytes.HasPrefix(l, []byte("{ ")), bytes.HasPrefix(l, []byte("} ")):
			if inHead && !headDone {
				headDone = true
				out = append(out, '\r', '\n')
			}
		case headDone:
			out = append(out, l...)
		}
	}
	return out
}

// paramList is a repeatable k=v flag.
type paramList []oauth1.Param

func (p *paramList) String() string { return "" }

func (p *paramList) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok || k == "" {
		return errors.New("want k=v")
	}
	*p = append(*p, oauth1.Param{Key: k, Value: v})
	return nil
}

func runOAuthSign(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("oauth sign", flag.ContinueOnError)
	key := fs.String("key", "", "the consumer `KEY` (required)")
	secret := fs.String("secret", "", "the shared `SECRET` (required)")
	method := fs.String("method", "HMAC-SHA1", "signature `METHOD`: HMAC-SHA1 or HMAC-SHA256")
	httpMethod := fs.String("X", "", "HTTP `METHOD` (default POST with parameters or a body, GET otherwise)")
	var params paramList
	fs.Var(&params, "param", "a form field `k=v` (repeatable, order kept)")
	bodyFile := fs.String("body", "", "send the body in `FILE`, with a body hash")
	contentType := fs.String("content-type", "", "the body's content `TYPE` (required with --body)")
	now := fs.Int64("now", 0, "sign at `UNIX` seconds instead of now")
	nonce := fs.String("nonce", "", "use `N` as oauth_nonce instead of a random one")
	callback := fs.String("callback", "", "send oauth_callback=`V` (launches often use about:blank)")
	pos, code, ok := parseInterspersed(fs, args, stdout, stderr)
	if !ok {
		return code
	}
	usageErr := func(msg string) int {
		fmt.Fprintf(stderr, "ltigen oauth sign: %s\n\n", msg)
		usageWriter{fs: fs, text: oauthUsage}.print(stderr)
		return exitUsage
	}
	switch {
	case len(pos) != 1:
		return usageErr("give one URL")
	case *key == "" || *secret == "":
		return usageErr("--key and --secret are required")
	case *bodyFile != "" && len(params) > 0:
		return usageErr("--param and --body exclude each other")
	case *bodyFile != "" && *contentType == "":
		return usageErr("--body needs --content-type")
	}
	m := oauth1.SignatureMethod(*method)
	if m != oauth1.HMACSHA1 && m != oauth1.HMACSHA256 {
		return usageErr("--method must be HMAC-SHA1 or HMAC-SHA256")
	}
	target := pos[0]
	if _, err := oauth1.NormalizeURL(target); err != nil {
		return usageErr(fmt.Sprintf("URL %q: %v", target, err))
	}
	verb := strings.ToUpper(*httpMethod)
	if verb == "" {
		verb = http.MethodGet
		if len(params) > 0 || *bodyFile != "" {
			verb = http.MethodPost
		}
	}
	opts := oauth1.SignOptions{Method: m, Callback: *callback}
	if *now != 0 {
		opts.Now = func() time.Time { return time.Unix(*now, 0) }
	}
	if *nonce != "" {
		opts.Nonce = func() string { return *nonce }
	}
	creds := oauth1.Credentials{Key: *key, Secret: *secret}
	var r *http.Request
	var err error
	if *bodyFile != "" {
		body, rerr := os.ReadFile(*bodyFile)
		if rerr != nil {
			fmt.Fprintf(stderr, "ltigen oauth sign: %v\n", rerr)
			return exitProblem
		}
		if r, err = http.NewRequestWithContext(ctx, verb, target, nil); err == nil {
			r.Header.Set("Content-Type", *contentType)
			err = oauth1.SignRequest(r, body, creds, opts)
		}
	} else {
		var signed []oauth1.Param
		if signed, err = oauth1.SignForm(verb, target, params, creds, opts); err == nil {
			form := oauth1.EncodeForm(signed)
			if verb == http.MethodGet || verb == http.MethodHead {
				sep := "?"
				if strings.Contains(target, "?") {
					sep = "&"
				}
				r, err = http.NewRequestWithContext(ctx, verb, target+sep+form, nil)
			} else if r, err = http.NewRequestWithContext(ctx, verb, target, strings.NewReader(form)); err == nil {
				r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "ltigen oauth sign: %v\n", err)
		return exitProblem
	}
	r.Header.Set("User-Agent", "ltigen")
	if err := r.Write(stdout); err != nil {
		fmt.Fprintf(stderr, "ltigen oauth sign: %v\n", err)
		return exitProblem
	}
	return exitOK
}
