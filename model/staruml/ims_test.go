package staruml

import (
	"slices"
	"strings"
	"testing"

	"github.com/ltiforge/ltiforge/model/uml"
)

// TestLTIv2Elements checks named elements of LTI_v2.uml against what the
// file says, read by hand.
func TestLTIv2Elements(t *testing.T) {
	g := load(t, "LTI_v2.uml", readShared(t, "LTI_v2.uml"))

	type attrWant struct {
		class, attr, typ string
		library          bool
		mult             string
		agg              uml.Aggregation
		end              bool
	}
	for _, w := range []attrWant{
		{"BaseUrlChoice", "default_base_url", "anyURI", true, "1", "", false},
		{"BaseUrlChoice", "secure_base_url", "anyURI", true, "0..1", "", false},
		// No Multiplicity written: UML's default [1..1] (the package doc
		// gives the evidence from IMS's own RDF output).
		{"Contact", "email", "normalizedString", false, "1", "", false},
		{"ServiceProvider", "timestamp", "dateTime", true, "1", "", false},
		// Typed through a Type_ reference.
		{"ServiceProvider", "provider_name", "LocalizedName", false, "1", "", false},
		// Type_ names LocalizedText; the stale TypeExpression says LocalizedString.
		{"ServiceProvider", "description", "LocalizedText", false, "0..1", "", false},
		{"ServiceOwner", "service_owner_name", "LocalizedName", false, "2", "", false},
		// Association ends, now attributes of the class at the other end.
		{"ToolProxy", "tool_profile", "ToolProfile", false, "1", uml.AggregationShared, true},
		{"ToolProxy", "security_contract", "SecurityContract", false, "1", uml.AggregationComposite, true},
		{"SecurityContract", "tool_service", "ServiceProfile", false, "*", uml.AggregationComposite, true},
		{"MessageType", "http_method", "HttpMethod", false, "1..*", uml.AggregationComposite, true},
		{"ToolProfile", "base_url_choice", "BaseUrlChoice", false, "1..*", uml.AggregationComposite, true},
	} {
		p := attribute(t, classifier(t, g, w.class), w.attr)
		if p.Type == nil || p.Type.Name != w.typ {
			t.Errorf("%s.%s: type %q, want %s", w.class, w.attr, p.TypeName(), w.typ)
		} else if (p.Type.Library != "") != w.library {
			t.Errorf("%s.%s: type library %q, want library=%v", w.class, w.attr, p.Type.Library, w.library)
		}
		if got := p.Multiplicity.String(); got != w.mult {
			t.Errorf("%s.%s: multiplicity %s, want %s", w.class, w.attr, got, w.mult)
		}
		if p.Aggregation != w.agg {
			t.Errorf("%s.%s: aggregation %q, want %q", w.class, w.attr, p.Aggregation, w.agg)
		}
		if (p.Association != nil) != w.end || !p.Navigable || p.Owner == nil || p.Owner.Name != w.class {
			t.Errorf("%s.%s: association %v, navigable %v, owner %v", w.class, w.attr, p.Association != nil, p.Navigable, p.Owner)
		}
		if p.Pos.File != "LTI_v2.uml" || p.Pos.Line == 0 {
			t.Errorf("%s.%s: position %v", w.class, w.attr, p.Pos)
		}
	}

	// The ToolProxy–ToolProfile association keeps both ends in file order:
	// the named end, now ToolProxy.tool_profile, and the unnamed end at
	// the whole, which the association owns.
	tp := attribute(t, classifier(t, g, "ToolProxy"), "tool_profile")
	a := tp.Association
	if a.ID != "Bj2u3xCq7UOw7LZqPhemEQAA" || len(a.Ends) != 2 || a.Ends[0] != tp {
		t.Fatalf("tool_profile's association: id %s, %d ends", a.ID, len(a.Ends))
	}
	whole := a.Ends[1]
	if whole.Name != "" || whole.Owner != nil || whole.Type.Name != "ToolProxy" || !slices.Contains(a.OwnedEnds, whole) {
		t.Errorf("the whole's end: name %q, owner %v, type %s", whole.Name, whole.Owner, whole.TypeName())
	}
	if tp.Pos.Line != 8177 {
		t.Errorf("tool_profile at line %d, want 8177 (its UMLAssociationEnd start tag)", tp.Pos.Line)
	}

	// Own attributes come before the association ends.
	var names []string
	for _, p := range classifier(t, g, "BaseUrlChoice").Attributes {
		names = append(names, p.Name)
	}
	if want := []string{"default_base_url", "secure_base_url", "selector"}; !slices.Equal(names, want) {
		t.Errorf("BaseUrlChoice attributes %v, want %v", names, want)
	}

	email := attribute(t, classifier(t, g, "Contact"), "email")
	if len(email.Constraints) != 1 || email.Constraints[0].Name != "ValueSpace" || email.Constraints[0].Body != "String(1..1024)" {
		t.Errorf("Contact.email constraints: %+v", email.Constraints)
	}

	enum := classifier(t, g, "HttpMethod")
	var lits []string
	for _, l := range enum.Literals {
		lits = append(lits, l.Name)
	}
	if enum.Kind != uml.KindEnumeration || !slices.Equal(lits, []string{"POST", "GET", "PUT", "DELETE"}) {
		t.Errorf("HttpMethod: kind %s, literals %v", enum.Kind, lits)
	}

	// Generalization Child ToolProfile → Parent ProductProfile.
	tpr := classifier(t, g, "ToolProfile")
	if len(tpr.Generals) != 1 || tpr.Generals[0].Name != "ProductProfile" {
		t.Errorf("ToolProfile generals: %v", tpr.Generals)
	}
	if !classifier(t, g, "Endpoint").Abstract || classifier(t, g, "Contact").Abstract {
		t.Error("IsAbstract not read: Endpoint should be abstract and Contact not")
	}

	// A package's Attachments become tags, and uri its URI.
	var core *uml.Package
	for _, p := range g.Packages() {
		if p.Name == "LTI Core" {
			core = p
		}
	}
	if core == nil {
		t.Fatal("no package LTI Core")
	}
	app := core.Stereotype("attachments")
	if app == nil || app.Profile != "staruml" || app.Tags["uri"] != "http://purl.imsglobal.org/vocab/lti/v2/lti#" || app.Tags["prefix"] != "lti" {
		t.Errorf("LTI Core attachments: %+v", app)
	}
	if core.URI != "http://purl.imsglobal.org/vocab/lti/v2/lti#" || core.Kind != uml.KindPackage {
		t.Errorf("LTI Core: URI %q kind %s", core.URI, core.Kind)
	}
	// An end's "#1" line is a tag with an empty value.
	if app := tp.Stereotype("attachments"); app == nil || len(app.Tags) != 1 || app.Tags["#1"] != "" {
		t.Errorf("tool_profile attachments: %+v", app)
	}

	if st := classifier(t, g, "BaseUrlChoice").Stereotype("embeddable"); st == nil || st.Profile != "staruml" || st.Pos.Line == 0 {
		t.Errorf("BaseUrlChoice stereotype: %+v", st)
	}

	// HTML documentation is converted.
	fam := classifier(t, g, "ProductFamily")
	if fam.Doc == "" || strings.Contains(fam.Doc, "<p>") || strings.Contains(fam.Doc, "</p>") || !strings.Contains(fam.Doc, "product family") {
		t.Errorf("ProductFamily doc not converted: %q", fam.Doc)
	}

	// «simpleType» facets are values, not types.
	ml := attribute(t, classifier(t, g, "VariableName"), "maxLength")
	pat := attribute(t, classifier(t, g, "VariableName"), "pattern")
	if ml.Type != nil || ml.Default == nil || ml.Default.Kind != uml.ValueInteger || ml.Default.Text != "128" {
		t.Errorf("VariableName.maxLength: type %v default %+v", ml.Type, ml.Default)
	}
	if pat.Default == nil || pat.Default.Text != `\S*` {
		t.Errorf("VariableName.pattern: default %+v", pat.Default)
	}

	// UML objects: extensible-enumeration members.
	var user *uml.Instance
	for _, p := range g.Packages() {
		for _, in := range p.Instances {
			if in.Name == "User.id" {
				user = in
			}
		}
	}
	if user == nil || len(user.Classifiers) != 1 || user.Classifiers[0].Name != "Variable" || user.Doc == "" {
		t.Errorf("instance User.id: %+v", user)
	}

	// The IMS file has one half-deleted association and generalization;
	// they are reported as warnings, positioned, and skipped.
	var warned []int
	for _, d := range g.Diagnostics {
		warned = append(warned, d.Pos.Line)
	}
	if !slices.Equal(warned, []int{10939, 10966}) {
		t.Errorf("diagnostics at lines %v, want 10939 and 10966:\n%s", warned, g.Diagnostics.Error())
	}
	for _, p := range classifier(t, g, "ToolProxyBinding").Attributes {
		if p.Name == "tool_proxy" {
			t.Error("the incomplete tool_proxy end became an attribute")
		}
	}
}

// TestRootsAndFiles checks what Load adds to the graph itself.
func TestRootsAndFiles(t *testing.T) {
	g := load(t, "LIS_Result.uml", readShared(t, "LIS_Result.uml"))
	if !slices.Equal(g.Files, []string{"LIS_Result.uml"}) {
		t.Errorf("Files = %v", g.Files)
	}
	if len(g.Roots) != 1 || g.Roots[0].Name != "Data Model" || g.Roots[0].Kind != uml.KindModel || g.Roots[0].Owner != nil {
		t.Fatalf("Roots = %+v", g.Roots)
	}
	if g.Lookup("Data Model::LIS Outcomes::Result") == nil {
		t.Error("Result not found by qualified name after Finish")
	}
}
