package staruml

import (
	"maps"
	"os"
	"strings"
	"testing"

	"github.com/ltiforge/ltiforge/internal/sharedtest"
	"github.com/ltiforge/ltiforge/model/uml"
)

func TestParseMultiplicity(t *testing.T) {
	tests := []struct {
		in   string
		want uml.Multiplicity
		err  string
	}{
		{"", uml.One, ""},
		{"  ", uml.One, ""},
		{"1", uml.One, ""},
		{"2", uml.Multiplicity{Lower: 2, Upper: 2}, ""},
		{"0..1", uml.Multiplicity{Lower: 0, Upper: 1}, ""},
		{"*", uml.Multiplicity{Lower: 0, Upper: uml.Unlimited}, ""},
		{"1..*", uml.Multiplicity{Lower: 1, Upper: uml.Unlimited}, ""},
		{" 2 .. 5 ", uml.Multiplicity{Lower: 2, Upper: 5}, ""},
		{"1..x", uml.Multiplicity{}, `the upper bound "x" is not a whole number`},
		{"3..1", uml.Multiplicity{}, "the lower bound 3 is greater than the upper bound 1"},
		{"*..1", uml.Multiplicity{}, `the lower bound cannot be "*"`},
		{"..1", uml.Multiplicity{}, "the lower bound is missing"},
		{"-1", uml.Multiplicity{}, `the bound "-1" is not a whole number`},
		{"0..0", uml.Multiplicity{}, "the upper bound is 0"},
		{"99999999999999999999", uml.Multiplicity{}, "too large"},
	}
	for _, tt := range tests {
		got, err := parseMultiplicity(tt.in)
		switch {
		case tt.err == "" && (err != nil || got != tt.want):
			t.Errorf("parseMultiplicity(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("parseMultiplicity(%q) error %v; want one containing %q", tt.in, err, tt.err)
		}
	}
}

func TestParseAttachments(t *testing.T) {
	tests := []struct {
		in   string
		want map[string]string
	}{
		{"uri=http://purl.imsglobal.org/vocab/lti/v2/lti#\nprefix=lti\n",
			map[string]string{"uri": "http://purl.imsglobal.org/vocab/lti/v2/lti#", "prefix": "lti"}},
		{"#2\r\n", map[string]string{"#2": ""}},
		{"xsd:attr\n\n  skip:A,B \n", map[string]string{"xsd:attr": "", "skip:A,B": ""}},
		{"k=a\nk=b\nk=\n", map[string]string{"k": "a b"}},
		{"a = b = c", map[string]string{"a": "b = c"}},
		{"\n \n", map[string]string{}},
	}
	for _, tt := range tests {
		if got := parseAttachments(tt.in); !maps.Equal(got, tt.want) {
			t.Errorf("parseAttachments(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestDetect(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want bool
	}{
		{"project", `<?xml version="1.0" encoding="UTF-8"?><XPD:PROJECT xmlns:XPD="http://www.staruml.com" version="1"/>`, true},
		{"BOM and comment", "\xef\xbb\xbf<!-- x --><XPD:PROJECT xmlns:XPD=\"http://www.staruml.com\"/>", true},
		{"other prefix", `<p:PROJECT xmlns:p="http://www.staruml.com"/>`, true},
		{"latin-1 declaration", `<?xml version="1.0" encoding="ISO-8859-1"?><XPD:PROJECT xmlns:XPD="http://www.staruml.com"/>`, true},
		{"wrong namespace", `<XPD:PROJECT xmlns:XPD="http://example.com"/>`, false},
		{"undeclared prefix", `<XPD:PROJECT/>`, false},
		{"XMI", `<xmi:XMI xmlns:xmi="http://www.omg.org/spec/XMI/20131001"/>`, false},
		{"empty", ``, false},
		{"not XML", `{"@context": "x"}`, false},
	}
	for _, tt := range tests {
		if got := Detect([]byte(tt.in)); got != tt.want {
			t.Errorf("%s: Detect = %v, want %v", tt.name, got, tt.want)
		}
	}
	if p := sharedtest.Glob("ims-model/uml/roster.uml"); len(p) == 1 {
		data, err := os.ReadFile(p[0])
		if err != nil || !Detect(data) {
			t.Errorf("Detect(roster.uml) = false (read error: %v)", err)
		}
	}
}

func TestParseValue(t *testing.T) {
	enum := &uml.Classifier{Kind: uml.KindEnumeration}
	post := &uml.Literal{Element: uml.Element{Name: "POST"}}
	enum.Literals = []*uml.Literal{post}
	tests := []struct {
		in   string
		typ  *uml.Classifier
		kind uml.ValueKind
		text string
	}{
		{`"a b"`, nil, uml.ValueString, "a b"},
		{"42", nil, uml.ValueInteger, "42"},
		{"-1.5", nil, uml.ValueReal, "-1.5"},
		{"True", nil, uml.ValueBoolean, "true"},
		{"null", nil, uml.ValueNull, "null"},
		{"HttpMethod.POST", enum, uml.ValueLiteral, "POST"},
		{"Inf", nil, uml.ValueExpression, "Inf"},
		{"a + b", nil, uml.ValueExpression, "a + b"},
	}
	for _, tt := range tests {
		v := parseValue(tt.in, tt.typ)
		if v == nil || v.Kind != tt.kind || v.Text != tt.text {
			t.Errorf("parseValue(%q) = %+v, want %s %q", tt.in, v, tt.kind, tt.text)
		}
	}
	if v := parseValue("POST", enum); v.Literal != post {
		t.Error("literal value not linked to its literal")
	}
}
