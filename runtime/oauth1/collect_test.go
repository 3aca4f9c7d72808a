package oauth1

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"testing"
)

// refEncode is a deliberately plain RFC 5849 §3.6 encoder.
func refEncode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || strings.IndexByte("-._~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// refBaseString builds the base string the plain way: encode every name
// and value, sort the strings, join, encode again.
func refBaseString(method, baseURL string, params []Param) string {
	type kv struct{ k, v string }
	var enc []kv
	for _, p := range params {
		enc = append(enc, kv{refEncode(p.Key), refEncode(p.Value)})
	}
	sort.Slice(enc, func(i, j int) bool {
		if enc[i].k != enc[j].k {
			return enc[i].k < enc[j].k
		}
		return enc[i].v < enc[j].v
	})
	var parts []string
	for _, e := range enc {
		parts = append(parts, e.k+"="+e.v)
	}
	return refEncode(strings.ToUpper(method)) + "&" + refEncode(baseURL) + "&" + refEncode(strings.Join(parts, "&"))
}

// randomForm returns a form-like string that often holds escapes, plus
// signs, bytes outside the unreserved set, and bad escapes.
func randomForm(r *rand.Rand) string {
	pieces := []string{"a", "b", "Z", "0", "9", "-", ".", "_", "~", "&", "=", "+", "%", "%2", "%41", "%7e", "%7E",
		"%20", "%25", "%3D", "%26", "%2B", "%C3%A9", "%00", "%FF", "%zz", " ", ":", "/", "é", "\x00", "\xff", "oauth_", "roles"}
	var b strings.Builder
	for n := r.IntN(24); n > 0; n-- {
		b.WriteString(pieces[r.IntN(len(pieces))])
	}
	return b.String()
}

// TestCollectorDifferential checks the verifier's fast path against the
// plain implementations on random forms: the same parameters (or the same
// error) as ParseForm, and the same base string as refBaseString and
// BaseString.
func TestCollectorDifferential(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	valid := 0
	for range 200000 {
		query, body := randomForm(r), randomForm(r)
		var hdr []Param
		if r.IntN(4) == 0 {
			hdr = []Param{{"oauth_x", randomForm(r)}, {randomForm(r), "v"}}
		}
		c := getCollector()
		for _, p := range hdr {
			c.add(p.Key, p.Value)
		}
		errQ := addForm(c, query)
		var errB error
		if errQ == nil {
			errB = addForm(c, []byte(body))
		}
		want, wantErrQ := appendForm(slices.Clone(hdr), query)
		var wantErrB error
		if wantErrQ == nil {
			want, wantErrB = appendForm(want, body)
		}
		if errQ != wantErrQ || errB != wantErrB {
			t.Fatalf("query %q body %q: errors %v, %v; want %v, %v", query, body, errQ, errB, wantErrQ, wantErrB)
		}
		if errQ != nil || errB != nil {
			putCollector(c)
			continue
		}
		var got []Param
		for _, s := range c.spans {
			got = append(got, Param{string(c.dec[s.ks:s.ke]), string(c.dec[s.ke:s.ve])})
			if s.kEnc != (refEncode(string(c.dec[s.ks:s.ke])) != string(c.dec[s.ks:s.ke])) ||
				s.vEnc != (refEncode(string(c.dec[s.ke:s.ve])) != string(c.dec[s.ke:s.ve])) {
				t.Fatalf("query %q body %q: wrong encoding flags %+v", query, body, s)
			}
		}
		if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Fatalf("query %q body %q: params %q, want %q", query, body, got, want)
		}
		skip := -1
		if len(got) > 0 && r.IntN(2) == 0 {
			skip = r.IntN(len(got))
		}
		signed := slices.Clone(got)
		if skip >= 0 {
			signed = slices.Delete(signed, skip, skip+1)
		}
		c.sortSigned(skip)
		c.buildBase("post", "http://example.com/p")
		ref := refBaseString("post", "http://example.com/p", signed)
		if string(c.base) != ref {
			t.Fatalf("query %q body %q:\n got %q\nwant %q", query, body, c.base, ref)
		}
		if old := BaseString("post", "http://example.com/p", signed); old != ref {
			t.Fatalf("BaseString differs from the reference:\n got %q\nwant %q", old, ref)
		}
		putCollector(c)
		valid++
	}
	if valid < 20000 {
		t.Fatalf("only %d valid inputs", valid)
	}
}

// TestVerifyPooledKeys verifies launches for two consumers in turn, so the
// pooled HMAC is rekeyed, and checks a wrong secret still fails after the
// right one was used.
func TestVerifyPooledKeys(t *testing.T) {
	secrets := SecretMap{"k1": "s1", "k2": "s2-longer", "k3": "s1"}
	v := &Verifier{Secrets: secrets, Now: fixed(tNow)}
	for i := range 20 {
		key := []string{"k1", "k2", "k3"}[i%3]
		for _, secret := range []string{secrets[key], "wrong"} {
			ps, err := SignForm("POST", tURL, launchParams(), Credentials{key, secret},
				SignOptions{Now: fixed(tNow), Nonce: nonceOf(fmt.Sprint("n", i)), Method: []SignatureMethod{HMACSHA1, HMACSHA256}[i%2]})
			if err != nil {
				t.Fatal(err)
			}
			r := httptest.NewRequest("POST", tURL, strings.NewReader(""))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			_, err = v.Verify(context.Background(), r, []byte(EncodeForm(ps)))
			if ok := secret != "wrong"; ok != (err == nil) {
				t.Fatalf("%s with secret %q: %v", key, secret, err)
			}
		}
	}
}
