package oauth1

import (
	"slices"
	"testing"
)

func TestEncode(t *testing.T) {
	for in, want := range map[string]string{
		"":             "",
		"AZaz09-._~":   "AZaz09-._~",
		" ":            "%20",
		"+":            "%2B",
		"*":            "%2A",
		"!'()":         "%21%27%28%29",
		"%":            "%25",
		"é":            "%C3%A9",
		"東":            "%E6%9D%B1",
		"\x00\xff":     "%00%FF",
		":/?#[]@$&=;,": "%3A%2F%3F%23%5B%5D%40%24%26%3D%3B%2C",
		"about:blank":  "about%3Ablank",
		"a\r\nb":       "a%0D%0Ab",
	} {
		if got := Encode(in); got != want {
			t.Errorf("Encode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNormalizeURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"HTTP://Example.COM/Path", "http://example.com/Path"},
		{"http://example.com:80/a", "http://example.com/a"},
		{"https://example.com:443/a", "https://example.com/a"},
		{"http://example.com:443/a", "http://example.com:443/a"},
		{"https://example.com:80/a", "https://example.com:80/a"},
		{"http://example.com", "http://example.com/"},
		{"http://example.com/a/?q=1#f", "http://example.com/a/"},
		{"http://user:pw@example.com/a", "http://example.com/a"},
		{"http://[2001:DB8::1]:8080/a", "http://[2001:db8::1]:8080/a"},
		{"http://example.com/a%2Fb", "http://example.com/a%2Fb"},
		{"http://example.com:/a", "http://example.com/a"},
	}
	for _, tc := range tests {
		got, err := NormalizeURL(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("NormalizeURL(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"ftp://example.com/", "http:///a", "http://example.com:99999/", "http://example.com:0/", "/relative"} {
		if got, err := NormalizeURL(bad); err == nil {
			t.Errorf("NormalizeURL(%q) = %q, want an error", bad, got)
		}
	}
}

func TestParseForm(t *testing.T) {
	tests := []struct {
		in   string
		want []Param
		err  bool
	}{
		{"", nil, false},
		{"a=1&b=2&a=3", []Param{{"a", "1"}, {"b", "2"}, {"a", "3"}}, false},
		{"a+b=c+d%2B", []Param{{"a b", "c d+"}}, false},
		{"foo&&bar=", []Param{{"foo", ""}, {"bar", ""}}, false},
		{"a==b", []Param{{"a", "=b"}}, false},
		{"n=%C3%A9%e6%9d%b1", []Param{{"n", "é東"}}, false},
		{"a=%", nil, true},
		{"a=%4", nil, true},
		{"a=%zz", nil, true},
		{"a;b=1", []Param{{"a;b", "1"}}, false},
	}
	for _, tc := range tests {
		got, err := ParseForm(tc.in)
		if (err != nil) != tc.err || !tc.err && !slices.Equal(got, tc.want) {
			t.Errorf("ParseForm(%q) = %v, %v; want %v (error %v)", tc.in, got, err, tc.want, tc.err)
		}
	}
}

func TestParseAuthorization(t *testing.T) {
	tests := []struct {
		in   string
		want []Param
		err  bool
	}{
		{`OAuth realm="r", oauth_a="1", oauth_b="x%20y%2B+"`, []Param{{"oauth_a", "1"}, {"oauth_b", "x y++"}}, false},
		{`oauth oauth_a="1",oauth_b="2"`, []Param{{"oauth_a", "1"}, {"oauth_b", "2"}}, false},
		{"OAuth  oauth_a = \"1\" ,\toauth_a=\"2\"", []Param{{"oauth_a", "1"}, {"oauth_a", "2"}}, false},
		{`OAuth oauth_a=token`, []Param{{"oauth_a", "token"}}, false},
		{`OAuth oauth_a="q\"uo\\te"`, []Param{{"oauth_a", `q"uo\te`}}, false},
		{`OAuth`, nil, false},
		{`OAuthx a="1"`, nil, true},
		{`Basic dXNlcg==`, nil, true},
		{`OAuth a="1`, nil, true},
		{`OAuth a="1" b="2"`, nil, true},
		{`OAuth a="%zz"`, nil, true},
		{`OAuth ="1"`, nil, true},
	}
	for _, tc := range tests {
		got, err := ParseAuthorization(tc.in)
		if (err != nil) != tc.err || !tc.err && !slices.Equal(got, tc.want) {
			t.Errorf("ParseAuthorization(%q) = %v, %v; want %v (error %v)", tc.in, got, err, tc.want, tc.err)
		}
	}
}

// TestRoundTripCharacters signs and verifies parameters holding every
// byte class: duplicates, UTF-8, reserved characters, CR LF, "+" and "%".
func TestAuthorizationRoundTrip(t *testing.T) {
	ps := []Param{{"oauth_x", "a b+c%d\"e\\f,g=h"}, {"oauth_y", "東京"}, {"oauth_x", ""}}
	got, err := ParseAuthorization(AuthorizationHeader(ps))
	if err != nil || !slices.Equal(got, ps) {
		t.Errorf("round trip: %v, %v", got, err)
	}
}
