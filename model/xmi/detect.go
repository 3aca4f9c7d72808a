package xmi

import (
	"bytes"
	"encoding/xml"
	"io"
)

// Detect reports whether data looks like an XMI document: an xmi:XMI root
// (XMI 2.x, or the XMI 1.x "XMI" root with xmi.version, which Load then
// reports as unsupported), or a uml:Model, uml:Package or uml:Profile root
// carrying xmi:version or declaring an XMI namespace, as Modelio and
// Eclipse UML2 write it. Only the root start tag is read.
func Detect(data []byte) bool {
	d := xml.NewDecoder(bytes.NewReader(data))
	// Tag names are ASCII in every encoding tools use; decoding the rest
	// does not matter for the decision.
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	for range 256 {
		tok, err := d.RawToken()
		if err != nil {
			return false
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		ns := map[string]string{}
		xmiDeclared := false
		for _, a := range se.Attr {
			switch {
			case a.Name.Space == "xmlns":
				ns[a.Name.Local] = a.Value
				xmiDeclared = xmiDeclared || isXMINamespace(a.Value)
			case a.Name.Space == "" && a.Name.Local == "xmlns":
				ns[""] = a.Value
			}
		}
		switch se.Name.Local {
		case "XMI":
			if se.Name.Space == "" {
				_, v1 := attr(se, "", "xmi.version")
				return v1 || isXMINamespace(ns[""])
			}
			return isXMINamespace(ns[se.Name.Space])
		case "Model", "Package", "Profile":
			for _, a := range se.Attr {
				if a.Name.Local == "version" && isXMINamespace(ns[a.Name.Space]) {
					return true
				}
			}
			return xmiDeclared
		}
		return false
	}
	return false
}

func attr(se xml.StartElement, space, local string) (string, bool) {
	for _, a := range se.Attr {
		if a.Name.Space == space && a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}
