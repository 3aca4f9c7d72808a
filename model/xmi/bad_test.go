package xmi

import (
	"strings"
	"testing"

	"github.com/ltiforge/ltiforge/model/uml"
)

// head opens a minimal Eclipse UML2 document; the model element is on
// line 2, so a fragment's first line below it is line 3.
const head = `<xmi:XMI xmlns:xmi="http://www.omg.org/spec/XMI/20131001" xmlns:uml="http://www.eclipse.org/uml2/5.0.0/UML">
<uml:Model xmi:id="m" name="M">
`
const tail = `
</uml:Model>
</xmi:XMI>`

func TestBadInput(t *testing.T) {
	tests := []struct {
		name string
		data string
		// pos is the expected "file:line" of the diagnostic.
		pos string
		msg string
	}{
		{
			name: "truncated XML",
			data: head + `<packagedElement xmi:type="uml:Class" xmi:id="c" name="A">`,
			pos:  "bad.xmi:3",
			msg:  "malformed XML",
		},
		{
			name: "dangling idref",
			data: head + `<packagedElement xmi:type="uml:Class" xmi:id="c" name="A">
<ownedAttribute xmi:id="a" name="x" type="nowhere"/>
</packagedElement>` + tail,
			pos: "bad.xmi:4",
			msg: `dangling reference: type "nowhere" matches no xmi:id in bad.xmi`,
		},
		{
			name: "dangling idref child",
			data: head + `<packagedElement xmi:type="uml:Class" xmi:id="c" name="A">
<generalization xmi:id="g">
<general xmi:idref="gone"/>
</generalization>
</packagedElement>` + tail,
			pos: "bad.xmi:5",
			msg: `dangling reference: general "gone" matches no xmi:id in bad.xmi`,
		},
		{
			name: "duplicate id",
			data: head + `<packagedElement xmi:type="uml:Class" xmi:id="c" name="A"/>
<packagedElement xmi:type="uml:Class" xmi:id="c" name="B"/>` + tail,
			pos: "bad.xmi:4",
			msg: `duplicate xmi:id "c"; first used at bad.xmi:3`,
		},
		{
			name: "unknown primitive",
			data: head + `<packagedElement xmi:type="uml:Class" xmi:id="c" name="A">
<ownedAttribute xmi:id="a" name="x">
<type href="pathmap://UML_LIBRARIES/UMLPrimitiveTypes.library.uml#Strng"/>
</ownedAttribute>
</packagedElement>` + tail,
			pos: "bad.xmi:5",
			msg: `unknown primitive type "Strng" in library UMLPrimitiveTypes`,
		},
		{
			name: "declared koi8-r",
			data: `<?xml version="1.0" encoding="koi8-r"?>
<xmi:XMI xmlns:xmi="http://www.omg.org/spec/XMI/20131001"/>`,
			pos: "bad.xmi:1",
			msg: `"koi8-r", which is not supported`,
		},
		{
			name: "invalid UTF-8 bytes",
			data: head + "<packagedElement xmi:type=\"uml:Class\" xmi:id=\"c\" name=\"\xff\xfe\"/>" + tail,
			pos:  "bad.xmi:3",
			msg:  "invalid UTF-8",
		},
		{
			name: "empty file",
			data: "  \n",
			pos:  "bad.xmi:1",
			msg:  "file is empty",
		},
		{
			name: "unknown metaclass",
			data: head + `<packagedElement xmi:type="uml:Klass" xmi:id="c" name="A"/>` + tail,
			pos:  "bad.xmi:3",
			msg:  `unknown xmi:type "uml:Klass" on <packagedElement>: "Klass" is not a UML metaclass`,
		},
		{
			name: "undeclared xmi:type prefix",
			data: head + `<packagedElement xmi:type="foo:Class" xmi:id="c" name="A"/>` + tail,
			pos:  "bad.xmi:3",
			msg:  `unknown xmi:type "foo:Class" on <packagedElement>: the prefix "foo" is not declared`,
		},
		{
			name: "bad multiplicity value",
			data: head + `<packagedElement xmi:type="uml:Class" xmi:id="c" name="A">
<ownedAttribute xmi:id="a" name="x">
<upperValue xmi:type="uml:LiteralUnlimitedNatural" xmi:id="u" value="x"/>
</ownedAttribute>
</packagedElement>` + tail,
			pos: "bad.xmi:5",
			msg: `bad multiplicity: the upper bound "x" is not a whole number or *`,
		},
		{
			name: "negative lower bound",
			data: head + `<packagedElement xmi:type="uml:Class" xmi:id="c" name="A">
<ownedAttribute xmi:id="a" name="x">
<lowerValue xmi:type="uml:LiteralInteger" xmi:id="l" value="-3"/>
</ownedAttribute>
</packagedElement>` + tail,
			pos: "bad.xmi:5",
			msg: "bad multiplicity: the lower bound -3 is negative",
		},
		{
			name: "lower above upper",
			data: head + `<packagedElement xmi:type="uml:Class" xmi:id="c" name="A">
<ownedAttribute xmi:id="a" name="x">
<lowerValue xmi:type="uml:LiteralInteger" xmi:id="l" value="3"/>
<upperValue xmi:type="uml:LiteralUnlimitedNatural" xmi:id="u" value="2"/>
</ownedAttribute>
</packagedElement>` + tail,
			pos: "bad.xmi:4",
			msg: "bad multiplicity [3..2]: the lower bound is greater than the upper bound",
		},
		{
			name: "dangling stereotype base",
			data: head + `</uml:Model>
<P:S xmlns:P="http://example.org/p" xmi:id="s" base_Class="missing"/>
</xmi:XMI>`,
			pos: "bad.xmi:4",
			msg: `dangling reference: stereotype S base element "missing" matches no xmi:id`,
		},
		{
			name: "not XMI",
			data: `<project name="x"/>`,
			pos:  "bad.xmi:1",
			msg:  "not an XMI document: the root element is <project>",
		},
		{
			name: "XMI 1.x",
			data: `<XMI xmi.version="1.2"><XMI.content/></XMI>`,
			pos:  "bad.xmi:1",
			msg:  "XMI 1.x (UML 1.x) file, which is not supported",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := load(t, uml.Source{Path: "bad.xmi", Data: []byte(tt.data)})
			var found bool
			for _, d := range g.Diagnostics {
				if d.Severity == uml.Error && d.Pos.String() == tt.pos && strings.Contains(d.Message, tt.msg) {
					found = true
				}
			}
			if !found {
				t.Errorf("want an error at %s containing %q; got:\n%s", tt.pos, tt.msg, g.Diagnostics.Error())
			}
		})
	}
}
