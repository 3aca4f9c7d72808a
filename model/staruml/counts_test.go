package staruml

import (
	"bytes"
	"encoding/xml"
	"io"
	"regexp"
	"testing"

	"github.com/ltiforge/ltiforge/model/uml"
)

// fileCounts are numbers read from a StarUML file without the reader under
// test: regexps over the raw text and a plain encoding/xml token stream.
type fileCounts struct {
	classes, attributes, enums, literals int
	// endAttributes counts association ends that become class attributes:
	// named, not IsNavigable=False, in a two-ended association whose ends
	// both name a participant that is a UMLClass or UMLEnumeration.
	endAttributes int
}

// countObjects counts the XPD:OBJ start tags of one metaclass. Views
// never nest model objects, so the raw count is the model count.
func countObjects(data []byte, typ string) int {
	re := regexp.MustCompile(`<XPD:OBJ [^>]*type="` + typ + `"`)
	return len(re.FindAll(data, -1))
}

func independentCounts(t *testing.T, data []byte) fileCounts {
	t.Helper()
	c := fileCounts{
		classes:    countObjects(data, "UMLClass"),
		attributes: countObjects(data, "UMLAttribute"),
		enums:      countObjects(data, "UMLEnumeration"),
		literals:   countObjects(data, "UMLEnumerationLiteral"),
	}
	type end struct {
		name, navigable, participant string
	}
	type frame struct {
		typ, guid string
		field     string // name of the ATTR/REF being read
		end       *end
		ends      []*end
	}
	classifiers := map[string]bool{}
	var assocs [][]*end
	var stack []*frame
	var text bytes.Buffer
	dec := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("independent counter: %v", err)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			attrs := map[string]string{}
			for _, a := range tk.Attr {
				attrs[a.Name.Local] = a.Value
			}
			switch tk.Name.Local {
			case "OBJ":
				f := &frame{typ: attrs["type"], guid: attrs["guid"]}
				if f.typ == "UMLClass" || f.typ == "UMLEnumeration" {
					classifiers[f.guid] = true
				}
				if f.typ == "UMLAssociationEnd" {
					f.end = &end{}
				}
				stack = append(stack, f)
			case "ATTR", "REF":
				if len(stack) > 0 {
					stack[len(stack)-1].field = attrs["name"]
				}
				text.Reset()
			}
		case xml.CharData:
			text.Write(tk)
		case xml.EndElement:
			switch tk.Name.Local {
			case "ATTR", "REF":
				if len(stack) == 0 {
					continue
				}
				f := stack[len(stack)-1]
				if f.end != nil {
					switch f.field {
					case "Name":
						f.end.name = text.String()
					case "IsNavigable":
						f.end.navigable = text.String()
					case "Participant":
						f.end.participant = text.String()
					}
				}
			case "OBJ":
				f := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				if f.end != nil && len(stack) > 0 {
					parent := stack[len(stack)-1]
					parent.ends = append(parent.ends, f.end)
				}
				if f.typ == "UMLAssociation" {
					assocs = append(assocs, f.ends)
				}
			}
		}
	}
	for _, ends := range assocs {
		if len(ends) != 2 || !classifiers[ends[0].participant] || !classifiers[ends[1].participant] {
			continue
		}
		for _, e := range ends {
			if e.name != "" && e.navigable != "False" {
				c.endAttributes++
			}
		}
	}
	return c
}

// graphCounts counts the same things in the loaded graph.
func graphCounts(g *uml.Graph) fileCounts {
	var c fileCounts
	for _, k := range g.Classifiers() {
		switch k.Kind {
		case uml.KindClass:
			c.classes++
		case uml.KindEnumeration:
			c.enums++
		}
		c.literals += len(k.Literals)
		for _, a := range k.Attributes {
			if a.Association != nil {
				c.endAttributes++
			} else {
				c.attributes++
			}
		}
	}
	return c
}

// TestIMSFilesCounts loads each IMS file with no error and checks that the
// graph holds as many classes, attributes, enumerations, literals and
// end-attributes as the file, counted independently.
func TestIMSFilesCounts(t *testing.T) {
	// Figures from a manual read of the files (grep for the OBJ types, a
	// Python scan of the association ends), so that a broken counter cannot
	// make both sides agree on a wrong number such as zero.
	floors := map[string]fileCounts{
		"LTI_v2.uml":     {classes: 66, attributes: 70, enums: 1, literals: 4, endAttributes: 55},
		"LTI_v2p1.uml":   {classes: 53, attributes: 58, enums: 1, literals: 4, endAttributes: 42},
		"LIS_Result.uml": {classes: 2, attributes: 1, endAttributes: 1},
		"roster.uml":     {classes: 4, endAttributes: 3},
	}
	for _, name := range imsFiles {
		t.Run(name, func(t *testing.T) {
			data := readShared(t, name)
			g := load(t, name, data)
			if n := g.Diagnostics.Errors(); n != 0 {
				t.Fatalf("%d errors:\n%s", n, g.Diagnostics.Error())
			}
			want := independentCounts(t, data)
			if want != floors[name] {
				t.Errorf("independent count %+v, expected the manual figures %+v", want, floors[name])
			}
			if got := graphCounts(g); got != want {
				t.Errorf("graph holds %+v, file holds %+v", got, want)
			}
		})
	}
}
