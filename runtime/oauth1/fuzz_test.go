package oauth1

import (
	"slices"
	"strings"
	"testing"
)

// FuzzParseAuthorization checks that the header parser never panics, keeps
// its bounds, and reads back what AuthorizationHeader writes of what it
// parsed.
func FuzzParseAuthorization(f *testing.F) {
	for _, s := range []string{
		`OAuth realm="Example", oauth_consumer_key="9djdj82h48djs9d2", oauth_signature="bYT5CMsGcbgUdFHObYMEfcx6bsw%3D"`,
		`oauth a=b,c="d\"e"`, `OAuth`, `OAuth ,,, a="%E6%9D%B1"`, `OAuth a="1`, "OAuth\ta=\"\\\"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		ps, err := ParseAuthorization(h)
		if err != nil {
			return
		}
		if len(ps) > MaxParams {
			t.Fatalf("%d parameters", len(ps))
		}
		for _, p := range ps {
			if p.Key == "realm" {
				t.Fatal("realm kept")
			}
		}
		again, err := ParseAuthorization(AuthorizationHeader(ps))
		if err != nil || !slices.Equal(again, ps) && !(len(ps) == 0 && len(again) == 0) {
			t.Fatalf("round trip of %q: %v, %v", h, again, err)
		}
	})
}

// FuzzParams checks the form/query parser and the normalisation: no panic,
// EncodeForm reads back to the same parameters, and the normalised string
// is independent of parameter order.
func FuzzParams(f *testing.F) {
	for _, s := range []string{"a=1&b=2&a=3", "a+b=c%2Bd&&e", "x=%", "n=%C3%A9", "=&=", "a==b&c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ps, err := ParseForm(s)
		if err != nil {
			return
		}
		if len(ps) > MaxParams {
			t.Fatalf("%d parameters", len(ps))
		}
		again, err := ParseForm(EncodeForm(ps))
		if err != nil || !slices.Equal(again, ps) && !(len(ps) == 0 && len(again) == 0) {
			t.Fatalf("round trip of %q: %v, %v", s, again, err)
		}
		n := NormalizeParams(ps)
		rev := slices.Clone(ps)
		slices.Reverse(rev)
		if NormalizeParams(rev) != n {
			t.Fatalf("normalisation depends on order for %q", s)
		}
		for i := 0; i < len(n); i++ {
			if c := n[i]; !unreserved(c) && c != '%' && c != '=' && c != '&' {
				t.Fatalf("unencoded byte %q in %q", c, n)
			}
		}
		if strings.Contains(BaseString("POST", "http://x/", ps), "+") {
			t.Fatal("a + in the base string")
		}
	})
}

// FuzzCollector checks the verifier's fast path against the plain
// implementations (see checkCollector) on any query, body and header
// parameter.
func FuzzCollector(f *testing.F) {
	for _, s := range []string{
		"a=1&b=2&a=3", "a+b=c%2Bd&&e", "x=%", "n=%C3%A9&n=%c3%a9", "=&=", "a==b&c",
		"u=https%3A%2F%2Fx.example%2Fp%3Fq%3D1&t=Zo%C3%AB%20d%27Artagnan&r=%41%7E*!",
	} {
		f.Add(s, []byte(s), "oauth_x", s, 3)
	}
	f.Fuzz(func(t *testing.T, query string, body []byte, hk, hv string, pick int) {
		var hdr []Param
		if hk != "" {
			hdr = []Param{{hk, hv}}
		}
		checkCollector(t, hdr, query, string(body), pick, nil)
	})
}
