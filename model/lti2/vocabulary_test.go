package lti2

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ltiforge/ltiforge/internal/sharedtest"
	"github.com/ltiforge/ltiforge/model/uml"
	"github.com/ltiforge/ltiforge/model/umlfile"
)

// variableTTL is the LTI 2.0 Final variable vocabulary as purl.imsglobal.org
// served it, relative to the shared folder.
const variableTTL = "spec/contexts/vocab-lti-v2-variable.purl-wget-2015-05.ttl"

// finalVariableCount is the number of variables the 2.0 Final vocabulary
// defines, counted by hand:
//
//	grep -c '^ltiv:[^ ]* rdf:type ltiv:Variable' ../shared/spec/contexts/vocab-lti-v2-variable.purl-wget-2015-05.ttl
//
// The LTI 2.0 Final JSON-LD contexts hold 95 capability names: these 94
// variables and Result.autocreate.
const finalVariableCount = 94

// loadVocabulary loads vocabulary.uml alone and fails on any diagnostic: the
// file references nothing outside itself but its profile, which the reader
// does not need.
func loadVocabulary(t *testing.T) *uml.Graph {
	t.Helper()
	g, err := umlfile.Load(context.Background(), "vocabulary.uml")
	if err != nil {
		t.Fatalf("loading vocabulary.uml: %v", err)
	}
	for _, d := range g.Diagnostics {
		t.Errorf("vocabulary.uml: %s", d)
	}
	return g
}

// enumeration returns the enumeration with the qualified name, failing the
// test when it is missing or not an enumeration.
func enumeration(t *testing.T, g *uml.Graph, qualifiedName string) *uml.Classifier {
	t.Helper()
	c := g.Lookup(qualifiedName)
	if c == nil || c.Kind != uml.KindEnumeration {
		t.Fatalf("no enumeration %s in vocabulary.uml", qualifiedName)
	}
	if c.Stereotype("Enumerable") == nil {
		t.Errorf("%s lacks «Enumerable»", qualifiedName)
	}
	return c
}

// since returns a variable's since tag, with the profile's default.
func since(st *uml.StereotypeApplication) string {
	if v, ok := st.Tags["since"]; ok {
		return v
	}
	return "2.0"
}

// TestFinalVariablesMatchVocabulary checks that the Variable literals with
// since=2.0 are exactly the variables the LTI 2.0 Final vocabulary defines,
// read from the Turtle file by a parser independent of the model reader.
func TestFinalVariablesMatchVocabulary(t *testing.T) {
	want := turtleInstances(string(sharedtest.Read(t, variableTTL)), "ltiv:", "ltiv:Variable")
	if len(want) != finalVariableCount {
		t.Fatalf("%s defines %d variables, want %d (the hand count)", variableTTL, len(want), finalVariableCount)
	}
	g := loadVocabulary(t)
	var got []string
	for _, lit := range enumeration(t, g, "LTI2::Variables::Variable").Literals {
		if st := lit.Stereotype("Variable"); st != nil && since(st) == "2.0" {
			got = append(got, lit.Name)
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if slices.Equal(got, want) {
		return
	}
	for _, name := range want {
		if _, found := slices.BinarySearch(got, name); !found {
			t.Errorf("2.0 Final variable %s is missing, or not tagged since=2.0", name)
		}
	}
	for _, name := range got {
		if _, found := slices.BinarySearch(want, name); !found {
			t.Errorf("variable %s is tagged since=2.0 but is not in the 2.0 Final vocabulary", name)
		}
	}
}

// TestVariablesHaveSource checks that every Variable literal is a «Variable»
// with a source sentence, a known since value, and a name used once.
func TestVariablesHaveSource(t *testing.T) {
	g := loadVocabulary(t)
	seen := map[string]bool{}
	for _, lit := range enumeration(t, g, "LTI2::Variables::Variable").Literals {
		if seen[lit.Name] {
			t.Errorf("variable %s is listed twice", lit.Name)
		}
		seen[lit.Name] = true
		st := lit.Stereotype("Variable")
		if st == nil {
			t.Errorf("literal %s of Variable lacks «Variable»", lit.Name)
			continue
		}
		if strings.TrimSpace(st.Tags["source"]) == "" {
			t.Errorf("variable %s has no source", lit.Name)
		}
		if s := since(st); s != "2.0" && s != "1.2" && s != "2.x" {
			t.Errorf("variable %s: since=%q, want 2.0, 1.2 or 2.x", lit.Name, s)
		}
	}
}

// roleURN gives, for each role kind, the form of its URN or IRI.
var roleURN = map[string]*regexp.Regexp{
	"context":     regexp.MustCompile(`^urn:lti:role:ims/lis/([A-Za-z]+(?:/[A-Za-z]+)?)$`),
	"institution": regexp.MustCompile(`^urn:lti:instrole:ims/lis/[A-Za-z]+$`),
	"system":      regexp.MustCompile(`^urn:lti:sysrole:ims/lis/[A-Za-z]+$`),
	"membership":  regexp.MustCompile(`^http://purl\.imsglobal\.org/vocab/lis/v2/membership#[A-Za-z]+$`),
}

// TestRoles checks that every Role literal has a well-formed URN of its
// kind, that no URN or name is used twice, that a context role's short form
// is its URN's tail, and that every context sub-role's role is listed.
func TestRoles(t *testing.T) {
	g := loadVocabulary(t)
	urns := map[string]string{}
	names := map[string]bool{}
	kinds := map[string]int{}
	for _, lit := range enumeration(t, g, "LTI2::Roles::Role").Literals {
		if names[lit.Name] {
			t.Errorf("role name %s is used twice", lit.Name)
		}
		names[lit.Name] = true
		st := lit.Stereotype("Role")
		if st == nil {
			t.Errorf("literal %s of Role lacks «Role»", lit.Name)
			continue
		}
		urn, kind, short := st.Tags["urn"], st.Tags["kind"], st.Tags["short"]
		kinds[kind]++
		if other, dup := urns[urn]; dup {
			t.Errorf("roles %s and %s share the URN %q", other, lit.Name, urn)
		}
		urns[urn] = lit.Name
		re := roleURN[kind]
		if re == nil {
			t.Errorf("role %s: kind=%q, want context, institution, system or membership", lit.Name, kind)
			continue
		}
		m := re.FindStringSubmatch(urn)
		if m == nil {
			t.Errorf("role %s: %s URN %q is not of the form %s", lit.Name, kind, urn, re)
			continue
		}
		switch {
		case kind == "context" && short != m[1]:
			t.Errorf("role %s: short=%q, want %q (the URN's tail)", lit.Name, short, m[1])
		case kind != "context" && short != "":
			t.Errorf("role %s: a %s role has no short form, but short=%q", lit.Name, kind, short)
		}
	}
	const contextRole = "urn:lti:role:ims/lis/"
	for urn, name := range urns {
		tail, ok := strings.CutPrefix(urn, contextRole)
		if !ok {
			continue
		}
		if parent, _, sub := strings.Cut(tail, "/"); sub {
			if _, listed := urns[contextRole+parent]; !listed {
				t.Errorf("role %s is a sub-role of %s, which is not listed", name, parent)
			}
		}
	}
	for kind := range roleURN {
		if kinds[kind] == 0 {
			t.Errorf("no %s roles", kind)
		}
	}
}

// TestMessageVariablesExist checks that messages.uml loads cleanly with
// the files it references (lti.uml for the XSD types, the profile), and
// that every «Parameter» that names a variable names one of vocabulary.uml.
// Problems the other files report are theirs to test.
func TestMessageVariablesExist(t *testing.T) {
	g, err := umlfile.Load(context.Background(), "vocabulary.uml", "messages.uml", "lti.uml", "profile/lti.profile.uml")
	if err != nil {
		t.Fatalf("loading: %v", err)
	}
	for _, d := range g.Diagnostics {
		if d.Pos.File == "vocabulary.uml" || d.Pos.File == "messages.uml" {
			t.Errorf("%s", d)
		}
	}
	vars := map[string]bool{}
	for _, lit := range enumeration(t, g, "LTI2::Variables::Variable").Literals {
		vars[lit.Name] = true
	}
	n := 0
	for _, c := range g.Classifiers() {
		for _, a := range c.Attributes {
			st := a.Stereotype("Parameter")
			if st == nil || st.Tags["variable"] == "" {
				continue
			}
			n++
			if v := st.Tags["variable"]; !vars[v] {
				t.Errorf("%s: variable %q is not a literal of Variable", a.QualifiedName, v)
			}
		}
	}
	if n == 0 {
		t.Error("no «Parameter» in messages.uml names a variable")
	}
}

// turtleInstances returns the subjects, written as prefixed names starting
// with prefix, that a Turtle document declares of class (a prefixed name)
// with "rdf:type" or "a". It is a minimal reader for the IMS vocabulary
// files: it skips comments, IRIs and string literals (long ones included),
// splits statements at a full stop followed by white space, and their
// predicate-object lists at semicolons; it does not expand prefixes.
func turtleInstances(doc, prefix, class string) []string {
	var out []string
	for _, stmt := range turtleStatements(doc) {
		stmt = strings.TrimSpace(stmt)
		fields := strings.Fields(stmt)
		if len(fields) == 0 || !strings.HasPrefix(fields[0], prefix) {
			continue
		}
		subject := fields[0]
		for _, po := range strings.Split(stmt[len(subject):], ";") {
			f := strings.Fields(po)
			if len(f) < 2 || (f[0] != "rdf:type" && f[0] != "a") {
				continue
			}
			for _, obj := range strings.Split(strings.Join(f[1:], " "), ",") {
				if strings.TrimSpace(obj) == class {
					out = append(out, strings.TrimPrefix(subject, prefix))
				}
			}
		}
	}
	return out
}

// turtleStatements splits a Turtle document into statements with strings,
// IRIs and comments blanked out (each replaced by one space).
func turtleStatements(doc string) []string {
	var stmts []string
	var cur strings.Builder
	for i := 0; i < len(doc); {
		switch c := doc[i]; {
		case strings.HasPrefix(doc[i:], `"""`):
			j := i + 3
			for j < len(doc) && !strings.HasPrefix(doc[j:], `"""`) {
				if doc[j] == '\\' {
					j++
				}
				j++
			}
			i = j + 3
			cur.WriteByte(' ')
		case c == '"':
			j := i + 1
			for j < len(doc) && doc[j] != '"' {
				if doc[j] == '\\' {
					j++
				}
				j++
			}
			i = j + 1
			cur.WriteByte(' ')
		case c == '<':
			end := strings.IndexByte(doc[i:], '>')
			if end < 0 {
				return stmts
			}
			i += end + 1
			cur.WriteByte(' ')
		case c == '#':
			end := strings.IndexByte(doc[i:], '\n')
			if end < 0 {
				end = len(doc) - i
			}
			i += end
		case c == '.' && (i+1 == len(doc) || strings.ContainsRune(" \t\r\n", rune(doc[i+1]))):
			stmts = append(stmts, cur.String())
			cur.Reset()
			i++
		default:
			cur.WriteByte(c)
			i++
		}
	}
	return stmts
}
