package xmi

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/ltiforge/ltiforge/model/uml"
	"github.com/ltiforge/ltiforge/model/xmltree"
)

// counts are the figures compared between the reader and an independent
// count of the sample file. Definitions:
//   - classes: packagedElement elements whose xmi:type is uml:Class (not
//     template parameters, not stereotypes, nothing inside xmi:Extension);
//   - attributes: ownedAttribute children of those classes, which includes
//     the association ends the classes own;
//   - enums: packagedElement elements of xmi:type uml:Enumeration;
//   - literals: ownedLiteral children of those enumerations.
type counts struct {
	Classes, Attributes, Enums, Literals int
}

// countXML counts the sample with plain encoding/xml, independently of the
// reader: it trusts the "uml:" prefix as written and skips xmi:Extension
// subtrees, which is all these six files need.
func countXML(t *testing.T, data []byte) counts {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		if strings.EqualFold(label, "windows-1252") {
			return charmap.Windows1252.NewDecoder().Reader(r), nil
		}
		return nil, fmt.Errorf("counter: unexpected charset %q", label)
	}
	var c counts
	type frame struct{ class, enum bool }
	var stack []frame
	inExt := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("independent counter cannot read the sample: %v", err)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			if inExt > 0 || tk.Name.Local == "Extension" && strings.Contains(tk.Name.Space, "XMI") {
				inExt++
				continue
			}
			typ := ""
			for _, a := range tk.Attr {
				if a.Name.Local == "type" && strings.Contains(a.Name.Space, "XMI") {
					typ = a.Value
				}
			}
			var parent frame
			if len(stack) > 0 {
				parent = stack[len(stack)-1]
			}
			var f frame
			switch tk.Name.Local {
			case "packagedElement":
				f.class = typ == "uml:Class"
				f.enum = typ == "uml:Enumeration"
				if f.class {
					c.Classes++
				}
				if f.enum {
					c.Enums++
				}
			case "ownedAttribute":
				if parent.class {
					c.Attributes++
				}
			case "ownedLiteral":
				if parent.enum {
					c.Literals++
				}
			}
			stack = append(stack, f)
		case xml.EndElement:
			if inExt > 0 {
				inExt--
				continue
			}
			stack = stack[:len(stack)-1]
		}
	}
	return c
}

// countGraph counts the same things in what the reader built.
func countGraph(g *uml.Graph) counts {
	var c counts
	for _, cl := range g.Classifiers() {
		switch cl.Kind {
		case uml.KindClass:
			c.Classes++
			c.Attributes += len(cl.Attributes)
		case uml.KindEnumeration:
			c.Enums++
			c.Literals += len(cl.Literals)
		}
	}
	return c
}

func loadSample(t *testing.T, name string) (*uml.Graph, []byte) {
	t.Helper()
	data := readSample(t, name)
	g := uml.NewGraph()
	if err := Load(context.Background(), g, uml.Source{Path: name, Data: data}); err != nil {
		t.Fatalf("Load: %v", err)
	}
	g.Finish()
	return g, data
}

// TestSamples loads each shared sample and checks that it reads without
// errors, that the counts match an independent count of the file, and a
// few of the hand-counted figures (grep commands in the comments). The
// only warnings are the expected ones listed per sample.
func TestSamples(t *testing.T) {
	tests := []struct {
		file string
		// hand holds counts taken by hand with the grep commands noted.
		hand counts
		// warnings are substrings of the warnings the sample produces:
		//   - EA's duplicated return parameter on OperationHasParams;
		//   - Papyrus: Cell generalises an interface in Styles.uml, which
		//     is not among the loaded files.
		warnings []string
	}{
		{
			// f=magicdraw-xmi251-eventlogging.xmi
			// grep -c "<packagedElement xmi:type='uml:Class'" $f → 68
			// grep -c "<packagedElement xmi:type='uml:Enumeration'" $f → 3
			// grep -c "<ownedLiteral xmi:type='uml:EnumerationLiteral'" $f → 24
			//   (five more ownedLiterals lie in a profile snapshot inside
			//   the trailing xmi:Extension filePart)
			// every class with attributes is in package EventLogging, lines
			// 12–958, which holds no stereotype:
			// sed -n 12,958p $f | grep -c "<ownedAttribute " → 36
			file: "magicdraw-xmi251-eventlogging.xmi",
			hand: counts{Classes: 68, Enums: 3, Literals: 24, Attributes: 36},
		},
		{
			// f=ea-xmi21-classmodel.xmi
			// grep -c '<packagedElement xmi:type="uml:Class"' $f → 13
			//   (the two template parameters are ownedParameteredElements)
			// grep -c '<packagedElement xmi:type="uml:Enumeration"' $f → 1
			// grep -c '<ownedLiteral ' $f → 3
			// grep -c '<ownedAttribute ' $f → 16, less Interface1's
			//   Attribute1 and the profile's base_EnumerationLiteral → 14
			file:     "ea-xmi21-classmodel.xmi",
			hand:     counts{Classes: 13, Enums: 1, Literals: 3, Attributes: 14},
			warnings: []string{`operation "OperationHasParams" has 2 return parameters`},
		},
		{
			// f=magicdraw-eclipseuml2-export-pathmap.xmi
			// grep -c 'xmi:type="uml:Class"' $f → 1; grep -c '<ownedAttribute ' $f → 2
			file: "magicdraw-eclipseuml2-export-pathmap.xmi",
			hand: counts{Classes: 1, Attributes: 2},
		},
		{
			// f=modelio-hr-classmodel.xmi (only classes own attributes)
			// grep -c 'xmi:type="uml:Class"' $f → 8; grep -c '<ownedAttribute ' $f → 38
			file: "modelio-hr-classmodel.xmi",
			hand: counts{Classes: 8, Attributes: 38},
		},
		{
			// f=papyrus-author-interface-ecore-stereotype.xmi
			// grep -c 'xmi:type="uml:Class"' $f → 1; grep -c '<ownedAttribute ' $f → 2
			file: "papyrus-author-interface-ecore-stereotype.xmi",
			hand: counts{Classes: 1, Attributes: 2},
		},
		{
			// f=papyrus-builtintypes-enums-associations.xmi
			// grep -c 'packagedElement xmi:type="uml:Class"' $f → 9
			// grep -c 'xmi:type="uml:Enumeration"' $f → 2
			// grep -c '<ownedLiteral ' $f → 6
			// grep -c '<ownedAttribute ' $f → 10, of which cells (Row),
			//   location (Cell) and subItems (ListItem) are on interfaces → 7
			file:     "papyrus-builtintypes-enums-associations.xmi",
			hand:     counts{Classes: 9, Enums: 2, Literals: 6, Attributes: 7},
			warnings: []string{`general "pathmap://MODEL2DOC/STYLES/Styles.uml#_cPAPwC5ZEeud9Ihhf94UEg" points into pathmap://MODEL2DOC/STYLES/Styles.uml, which is not loaded`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			g, data := loadSample(t, tt.file)
			var warns []string
			for _, d := range g.Diagnostics {
				if d.Severity == uml.Error {
					t.Errorf("unexpected error: %s", d)
				} else {
					warns = append(warns, d.String())
				}
			}
			if len(warns) != len(tt.warnings) {
				t.Errorf("got %d warnings, want %d:\n%s", len(warns), len(tt.warnings), strings.Join(warns, "\n"))
			}
			for i, w := range tt.warnings {
				if i < len(warns) && !strings.Contains(warns[i], w) {
					t.Errorf("warning %d = %q, want it to contain %q", i, warns[i], w)
				}
			}
			got := countGraph(g)
			if want := countXML(t, data); got != want {
				t.Errorf("reader counts %+v, independent encoding/xml count %+v", got, want)
			}
			if got != tt.hand {
				t.Errorf("reader counts %+v, hand count %+v", got, tt.hand)
			}
		})
	}
}

// attr finds a classifier's attribute by name.
func attrOf(t *testing.T, g *uml.Graph, classifier, name string) *uml.Property {
	t.Helper()
	c := g.Lookup(classifier)
	if c == nil {
		t.Fatalf("classifier %s not found", classifier)
	}
	for _, a := range c.Attributes {
		if a.Name == name {
			return a
		}
	}
	t.Fatalf("%s has no attribute %s", classifier, name)
	return nil
}

// checkProp compares a property's type name, library and multiplicity.
func checkProp(t *testing.T, p *uml.Property, typeName, library, mult string) {
	t.Helper()
	if p.TypeName() != typeName {
		t.Errorf("%s: type %q, want %q (ref %q)", p.QualifiedName, p.TypeName(), typeName, p.TypeRef)
	}
	if p.Type != nil && p.Type.Library != library {
		t.Errorf("%s: type library %q, want %q", p.QualifiedName, p.Type.Library, library)
	}
	if got := p.Multiplicity.String(); got != mult {
		t.Errorf("%s: multiplicity %s, want %s", p.QualifiedName, got, mult)
	}
}

func TestSamplePapyrusBuiltInTypes(t *testing.T) {
	g, _ := loadSample(t, "papyrus-builtintypes-enums-associations.xmi")
	rows := attrOf(t, g, "BuiltInTypes::AbstractTable", "rows")
	checkProp(t, rows, "BuiltInTypes::Row", "", "*")
	if rows.Aggregation != uml.AggregationComposite || rows.Association == nil || !rows.Navigable {
		t.Errorf("rows: aggregation %q, association %v, navigable %v; want composite end of an association, navigable", rows.Aggregation, rows.Association, rows.Navigable)
	}
	if a := rows.Association; a != nil {
		if len(a.Ends) != 2 || a.Ends[0] != rows || a.Ends[1].Name != "abstracttable" || a.Ends[1].Navigable {
			t.Errorf("rows' association ends wrong: %+v", a.Ends)
		}
	}
	checkProp(t, attrOf(t, g, "BuiltInTypes::AbstractTable", "caption"), "EString", "EcorePrimitiveTypes", "1")
	loc := attrOf(t, g, "BuiltInTypes::Cell", "location")
	if loc.Default == nil || loc.Default.Kind != uml.ValueString || loc.Default.Text != "BODY" {
		t.Errorf("Cell.location default = %+v, want string BODY", loc.Default)
	}
	if c := g.Lookup("BuiltInTypes::BasicRow"); c == nil || len(c.Realizes) != 1 || c.Realizes[0].Name != "Row" {
		t.Errorf("BasicRow should realize Row: %+v", c)
	}
	// The href to BuiltInTypes.uml (the file's own deployed name) resolves here.
	if c := g.Lookup("BuiltInTypes::FileReferenceCell"); c == nil || len(c.Realizes) != 1 || c.Realizes[0].Name != "Cell" {
		t.Errorf("FileReferenceCell should realize Cell through its pathmap self-reference")
	}
	svg := g.Lookup("BuiltInTypes::ImageFormat").Literals[0]
	if st := svg.Stereotype("EEnumLiteral"); st == nil || st.Tags["literal"] != "svg" || st.Profile != "http://www.eclipse.org/uml2/schemas/Ecore/5" {
		t.Errorf("SVG stereotype = %+v, want Ecore EEnumLiteral literal=svg", svg.Stereotypes)
	}
	if doc := g.Lookup("BuiltInTypes::AbstractTable").Doc; doc != "Abstract class used to represent a Table in the Model2Doc API." {
		t.Errorf("AbstractTable doc = %q", doc)
	}
}

func TestSamplePapyrusAuthor(t *testing.T) {
	g, _ := loadSample(t, "papyrus-author-interface-ecore-stereotype.xmi")
	checkProp(t, attrOf(t, g, "Author::Author", "firstName"), "EString", "EcorePrimitiveTypes", "0..1")
	ia := g.Lookup("Author::IAuthor")
	if ia == nil || ia.Kind != uml.KindInterface || len(ia.Operations) != 6 {
		t.Fatalf("IAuthor = %+v, want an interface with 6 operations", ia)
	}
	op := ia.Operations[5]
	if op.Name != "buildMultiAuthorLabel" || !op.Static || len(op.Params) != 2 {
		t.Fatalf("operation 6 = %+v", op)
	}
	if p := op.Params[0]; p.Direction != uml.In || p.Type != ia || p.Multiplicity.String() != "*" {
		t.Errorf("authors parameter = %s %s [%s], want in IAuthor [*]", p.Direction, p.TypeName(), p.Multiplicity)
	}
	if r := op.Result(); r == nil || r.TypeName() != "EString" {
		t.Errorf("result = %+v, want EString", r)
	}
	if op.Doc != "This method allows to build a label for a collection of author." {
		t.Errorf("operation doc = %q", op.Doc)
	}
	model := g.Roots[0]
	if st := model.Stereotype("EPackage"); st == nil || st.Tags["packageName"] != "author" || st.Tags["basePackage"] != "org.eclipse.papyrus.model2doc.core" {
		t.Errorf("model stereotypes = %+v, want Ecore EPackage packageName=author", model.Stereotypes)
	}
	if model.URI != "http://www.eclipse.org/papyrus/model2doc/core/1.0.0/Author" {
		t.Errorf("model URI = %q", model.URI)
	}
}

func TestSampleMagicDrawEclipseExport(t *testing.T) {
	g, _ := loadSample(t, "magicdraw-eclipseuml2-export-pathmap.xmi")
	checkProp(t, attrOf(t, g, "Model::MyPackage::MyClass", "myString"), "String", "UMLPrimitiveTypes", "1")
	my := attrOf(t, g, "Model::MyPackage::MyClass", "myFloat")
	checkProp(t, my, "float", "JavaPrimitiveTypes", "1")
	if my.Visibility != uml.Private {
		t.Errorf("myFloat visibility %q, want private", my.Visibility)
	}
	if g.Roots[0].Doc != "" {
		t.Errorf("MagicDraw's Author/Created comment should be skipped, got doc %q", g.Roots[0].Doc)
	}
	for _, p := range g.Packages() {
		if len(p.Stereotypes) > 0 {
			t.Errorf("%s: MagicDraw profile bookkeeping should be dropped, got %+v", p.QualifiedName, p.Stereotypes[0])
		}
	}
}

func TestSampleMagicDrawNative(t *testing.T) {
	g, _ := loadSample(t, "magicdraw-xmi251-eventlogging.xmi")
	checkProp(t, attrOf(t, g, "Data::EventLogging::Event", "Description"), "String", "UMLPrimitiveTypes", "0..1")
	// Both bounds moved into modelExtension: the defaults [1..1] apply.
	checkProp(t, attrOf(t, g, "Data::EventLogging::Event", "Id"), "String", "UMLPrimitiveTypes", "1")
	checkProp(t, attrOf(t, g, "Data::EventLogging::Event", "Disposition"), "Data::EventLogging::EventDispositionType", "", "1")
	// Typed through UML_Standard_Profile.mdzip#id, named by referentPath.
	checkProp(t, attrOf(t, g, "Data::EventLogging::ElectionEventLogDocumentation", "GeneratedDate"), "date", "UML_Standard_Profile", "1")
	// Lower bound in modelExtension (1), upper "*" in the model.
	checkProp(t, attrOf(t, g, "Data::EventLogging::ElectionEventLogDocumentation", "EventIdDescription"), "Data::EventLogging::EventIdDescription", "", "1..*")
	dev := attrOf(t, g, "Data::EventLogging::ElectionEventLog", "Device")
	checkProp(t, dev, "Data::EventLogging::Device", "", "*")
	if dev.Aggregation != uml.AggregationComposite {
		t.Errorf("Device aggregation %q, want composite", dev.Aggregation)
	}
	log := g.Lookup("Data::EventLogging::ElectionEventLog")
	if st := log.Stereotype("Root"); st == nil || st.Profile != "http://www.magicdraw.com/schemas/XML_Schema.xmi" {
		t.Errorf("ElectionEventLog stereotypes = %+v, want XML_Schema Root", log.Stereotypes)
	}
	if !strings.HasPrefix(log.Doc, "ElectionEventLog is the root class.") {
		t.Errorf("ElectionEventLog doc = %q", log.Doc)
	}
	if g.Roots[0].Doc != "" {
		t.Errorf("the Author/Created comment should be skipped, root doc = %q", g.Roots[0].Doc)
	}
	if st := g.Roots[0].Stereotype("generation_options"); st == nil || st.Tags["snakecase_role_names"] != "false" {
		t.Errorf("model stereotypes = %+v, want generation_options with snakecase_role_names=false", g.Roots[0].Stereotypes)
	}
	xs := g.Lookup("Data::XML Schema::XML Schema")
	if xs == nil || xs.Kind != uml.KindStereotype || len(xs.Attributes) != 23 || xs.Attributes[0].Name != "targetNamespace" {
		t.Errorf("XML Schema stereotype = %+v, want 23 tag definitions starting with targetNamespace (base_Package left out)", xs)
	}
	for _, p := range g.Packages() {
		if p.Name == "XML Schema" && p.Kind != uml.KindProfile {
			t.Errorf("XML Schema package kind %q, want profile", p.Kind)
		}
	}
	dt := g.Lookup("Data::EventLogging::DeviceType")
	if len(dt.Literals) != 16 || dt.Literals[1].Name != "ballot-activation" {
		t.Errorf("DeviceType literals = %d, second %q", len(dt.Literals), dt.Literals[1].Name)
	}
}

func TestSampleEA21(t *testing.T) {
	g, _ := loadSample(t, "ea-xmi21-classmodel.xmi")
	const pkg = "EA_Model::Model::Package1::"
	checkProp(t, attrOf(t, g, pkg+"Class1", "MultiplicityAttribute"), "int", "EA_Java_Types_Package", "1..*")
	td := attrOf(t, g, pkg+"Class1", "TypedAttributeWithDefaultValue")
	checkProp(t, td, "string", "EA_Java_Types_Package", "1")
	if td.Default == nil || td.Default.Text != "initial_value" {
		t.Errorf("default = %+v, want initial_value", td.Default)
	}
	if a := attrOf(t, g, pkg+"Class1", "StaticAttribute"); !a.Static || a.Visibility != uml.Private {
		t.Errorf("StaticAttribute static=%v visibility=%q", a.Static, a.Visibility)
	}
	if a := attrOf(t, g, pkg+"ClassForVisibility", "Package"); a.Visibility != uml.PackageV {
		t.Errorf("Package attribute visibility %q", a.Visibility)
	}
	int0 := attrOf(t, g, pkg+"Class1", "MultiplicityAttribute").Type
	if int0 == nil || len(int0.Generals) != 1 || int0.Generals[0].QualifiedName != "UMLPrimitiveTypes::Integer" {
		t.Errorf("EAJava_int should generalise uml.xml#Integer: %+v", int0)
	}
	c1 := g.Lookup(pkg + "Class1")
	op := c1.Operations[0]
	if op.Name != "OperationHasParams" || len(op.Params) != 4 {
		t.Fatalf("OperationHasParams params = %d, want 4 after dropping the first return", len(op.Params))
	}
	if r := op.Result(); r == nil || r.Name != "return" || r.TypeName() != "string" {
		t.Errorf("kept return = %+v, want EA's own 'return' typed string", r)
	}
	if p := op.Params[0]; p.Name != "inparam" || p.TypeName() != "int" || p.Default == nil || p.Default.Text != "100" {
		t.Errorf("inparam = %+v", p)
	}
	if c := g.Lookup(pkg + "RealizingClass"); len(c.Realizes) != 1 || c.Realizes[0].Name != "Interface3" {
		t.Errorf("RealizingClass realizes %+v, want Interface3 (package-level uml:Realization)", c.Realizes)
	}
	if c := g.Lookup(pkg + "SubClass"); len(c.Generals) != 1 || c.Generals[0].Name != "SuperClass" {
		t.Errorf("SubClass generals %+v", c.Generals)
	}
	var asso *uml.Association
	for _, a := range g.Associations() {
		if a.Name == "assoName" {
			asso = a
		}
	}
	if asso == nil || len(asso.Ends) != 2 || asso.Ends[1].Name != "roleA" || asso.Ends[1].Multiplicity.String() != "*" || asso.Ends[0].Multiplicity.String() != "0..1" {
		t.Fatalf("assoName ends wrong: %+v", asso)
	}
	lit := g.Lookup(pkg + "Enumeration1").Literals[0]
	if st := lit.Stereotype("enum"); st == nil || st.Profile != "http://www.sparxsystems.com/profiles/thecustomprofile/1.0" {
		t.Errorf("Literal1 stereotypes = %+v", lit.Stereotypes)
	}
	prof := g.Roots[len(g.Roots)-1]
	if prof.Kind != uml.KindProfile || prof.URI != "http://www.sparxsystems.com/profiles/thecustomprofile/1.0" || len(prof.Classifiers) != 1 || prof.Classifiers[0].Kind != uml.KindStereotype {
		t.Errorf("EA's embedded profile = %+v", prof)
	}
}

func TestSampleModelio(t *testing.T) {
	g, _ := loadSample(t, "modelio-hr-classmodel.xmi")
	task := attrOf(t, g, "base::Job", "task")
	checkProp(t, task, "base::Task", "", "*")
	if task.Aggregation != uml.AggregationShared {
		t.Errorf("task aggregation %q", task.Aggregation)
	}
	checkProp(t, attrOf(t, g, "base::Job", "jobTitle"), "String", "UMLPrimitiveTypes", "1")
	start := attrOf(t, g, "base::JobHistory", "startDate")
	checkProp(t, start, "zonedDateTime", "", "1")
	if len(start.Constraints) != 1 || start.Constraints[0].Name != "required" {
		t.Errorf("startDate constraints = %+v, want the model-level rule 'required'", start.Constraints)
	}
	checkProp(t, attrOf(t, g, "base::Employee", "manager"), "base::Employee", "", "0..1")
	if !g.Lookup("base::Task").Abstract {
		t.Error("Task should be abstract")
	}
}

// TestFingerprint checks that each sample is recognised as XMI and read
// with its tool's dialect.
func TestFingerprint(t *testing.T) {
	want := map[string]string{
		"magicdraw-xmi251-eventlogging.xmi":             "magicdraw",
		"magicdraw-eclipseuml2-export-pathmap.xmi":      "eclipse-magicdraw",
		"ea-xmi21-classmodel.xmi":                       "ea-2.1",
		"modelio-hr-classmodel.xmi":                     "modelio",
		"papyrus-author-interface-ecore-stereotype.xmi": "eclipse",
		"papyrus-builtintypes-enums-associations.xmi":   "eclipse",
	}
	for name, dialect := range want {
		data := readSample(t, name)
		if !Detect(data) {
			t.Errorf("%s: Detect = false", name)
		}
		sc := &scan{}
		root, err := xmltree.Parse(data, xmltree.Options{Skip: sc.skip})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		f := &file{path: name, umlNS: map[string]bool{}}
		if got := fingerprint(f, root, sc).name; got != dialect {
			t.Errorf("%s: dialect %q, want %q", name, got, dialect)
		}
	}
}
