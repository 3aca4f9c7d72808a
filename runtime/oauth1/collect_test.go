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
// signs, bytes outside the unreserved set, and bad escapes. Half the time
// its names and values are in canonical form (as EncodeForm writes them,
// and most consumers send), sometimes with a non-canonical piece mixed in,
// to exercise both the verifier's canonical path and its fallback.
func randomForm(r *rand.Rand) string {
	if r.IntN(2) == 0 {
		return randomCanonicalForm(r)
	}
	pieces := []string{"a", "b", "Z", "0", "9", "-", ".", "_", "~", "&", "=", "+", "%", "%2", "%41", "%7e", "%7E",
		"%20", "%25", "%3D", "%26", "%2B", "%C3%A9", "%c3%a9", "%00", "%FF", "%zz", " ", ":", "/", "é", "\x00", "\xff",
		"*", "%2A", "%2a", "%5F", "%e2%80%94", "oauth_", "roles", "abcdefghijklmnop", "https%3A%2F%2Flms.example.edu%2F"}
	var b strings.Builder
	for n := r.IntN(24); n > 0; n-- {
		b.WriteString(pieces[r.IntN(len(pieces))])
	}
	return b.String()
}

// randomCanonicalForm returns a form of canonically encoded names and
// values (decoded, they hold any bytes, UTF-8 and empty ones included),
// with an occasional non-canonical piece: lower-case hex, "+", an escaped
// unreserved byte, a raw reserved byte.
func randomCanonicalForm(r *rand.Rand) string {
	chars := []string{"a", "Z", "9", "-", ".", "_", "~", " ", "%", "&", "=", "+", "/", ":", "é", "—", "\x00", "\xff", "*", "oauth_", "roles", "lis_person_name_"}
	odd := []string{"%c3%a9", "+", "%41", "%7E", "*", "!", "'", "é", "%2a", "%zz", "%"}
	word := func() string {
		var b strings.Builder
		for n := r.IntN(12); n > 0; n-- {
			b.WriteString(chars[r.IntN(len(chars))])
		}
		return refEncode(b.String())
	}
	var b strings.Builder
	for n := r.IntN(10); n > 0; n-- {
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(word())
		if r.IntN(8) != 0 {
			b.WriteByte('=')
			b.WriteString(word())
		}
		if r.IntN(6) == 0 {
			b.WriteString(odd[r.IntN(len(odd))])
			b.WriteString(word())
		}
	}
	return b.String()
}

// TestCollectorDifferential checks the verifier's fast path against the
// plain implementations on random forms (see checkCollector), starting
// the sort from no previous order, a fitting one, or one that does not
// fit.
func TestCollectorDifferential(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	valid := 0
	for range 200000 {
		query, body := randomForm(r), randomForm(r)
		var hdr []Param
		if r.IntN(4) == 0 {
			hdr = []Param{{"oauth_x", randomForm(r)}, {randomForm(r), "v"}}
		}
		var prev []int
		switch r.IntN(4) {
		case 0:
			prev = []int{} // none
		case 1:
			prev = r.Perm(r.IntN(40)) // a permutation, of the right size or not
		case 2:
			prev = []int{1000}
		}
		if checkCollector(t, hdr, query, body, r.IntN(100)-50, prev) {
			valid++
		}
	}
	if valid < 20000 {
		t.Fatalf("only %d valid inputs", valid)
	}
}

// TestSortSignedLarge checks the base string of a form too large for the
// insertion sort to finish within its budget, in random order, then again
// from the order found.
func TestSortSignedLarge(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var ps []Param
	for i := range 500 {
		ps = append(ps, Param{fmt.Sprintf("k%03d", r.IntN(300)), fmt.Sprint(i%7, "é ", r.IntN(5))})
	}
	// A previous order that fits: a permutation of all but the third.
	prev := r.Perm(500)
	prev = slices.DeleteFunc(prev, func(i int) bool { return i == 3 })
	checkCollector(t, nil, "", EncodeForm(ps), 3, prev)
	checkCollector(t, nil, "", EncodeForm(ps), 3, nil)
}

// TestCollectorLimit checks the limit on parameters, alone and against a
// bad escape in the pair past it or at it, with empty pairs around.
func TestCollectorLimit(t *testing.T) {
	full := strings.Repeat("a=1&&", MaxParams-1)
	for _, tail := range []string{"b", "b&c", "b=%zz", "b&c=%zz", "&&b&&", "b=%4"} {
		checkCollector(t, []Param{{"h", "1"}}, "", full+tail, -1, nil)
		checkCollector(t, nil, full, tail, -1, nil)
	}
}

// checkCollector runs the fast path on the header parameters hdr, then
// query, then body, and checks it against the plain implementations: the
// same parameters (or the same error) as appendForm, each encoded twice
// as refEncode does, and the base string of all but one of them (at pick
// modulo their number; none when pick is negative) as refBaseString and
// BaseString write it, sorting from the previous order prev when it is
// not nil, and again from the order found. It reports whether the input
// was valid.
func checkCollector(t testing.TB, hdr []Param, query, body string, pick int, prev []int) bool {
	t.Helper()
	c := getCollector()
	defer putCollector(c)
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
		return false
	}
	var got []Param
	for _, s := range c.spans {
		k, v := string(c.dec[s.ks:s.ke]), string(c.dec[s.ke:s.ve])
		got = append(got, Param{k, v})
		if pair := string(c.enc[s.e0:s.e1]); pair != "%26"+refEncode(refEncode(k))+"%3D"+refEncode(refEncode(v)) ||
			string(c.enc[s.ek:s.ek+3]) != "%3D" {
			t.Fatalf("query %q body %q: (%q, %q) encoded as %q, %+v", query, body, k, v, pair, s)
		}
	}
	if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
		t.Fatalf("query %q body %q: params %q, want %q", query, body, got, want)
	}
	skip := -1
	if len(got) > 0 && pick >= 0 {
		skip = pick % len(got)
	}
	signed := slices.Clone(got)
	if skip >= 0 {
		signed = slices.Delete(signed, skip, skip+1)
	}
	ref := refBaseString("post", "http://example.com/p", signed)
	if old := BaseString("post", "http://example.com/p", signed); old != ref {
		t.Fatalf("BaseString differs from the reference:\n got %q\nwant %q", old, ref)
	}
	if prev != nil {
		c.prev = append(c.prev[:0], prev...)
	}
	n := len(c.dec)
	for range 2 {
		c.dec, c.order = c.dec[:n], c.order[:0]
		c.sortSigned(skip)
		c.buildBase("post", "http://example.com/p")
		if string(c.baseString()) != ref {
			t.Fatalf("query %q body %q:\n got %q\nwant %q", query, body, c.baseString(), ref)
		}
	}
	// The result's string: the base string, then the decoded names and
	// values it does not hold.
	all, nb := c.resultBytes(skip)
	if all[:nb] != ref || string(c.baseString()) != ref {
		t.Fatalf("query %q body %q: result base string %q, want %q", query, body, all[:nb], ref)
	}
	for i, s := range c.spans {
		if p := (Param{all[s.ks:s.ke], all[s.vs:s.ve]}); p != got[i] {
			t.Fatalf("query %q body %q: result parameter %d is %q, want %q", query, body, i, p, got[i])
		}
	}
	return true
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
