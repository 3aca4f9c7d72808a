package staruml

import (
	"bytes"
	"encoding/xml"
	"io"
)

// Detect reports whether data is a StarUML 5 project (root element
// XPD:PROJECT in the http://www.staruml.com namespace).
//
// It reads only up to the root element's start tag.
func Detect(data []byte) bool {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	d := xml.NewDecoder(bytes.NewReader(data))
	// Element names are ASCII in every encoding a model file uses, so the
	// bytes can be read as they are whatever the declaration says.
	d.CharsetReader = func(_ string, in io.Reader) (io.Reader, error) { return in, nil }
	for {
		tok, err := d.Token()
		if err != nil {
			return false
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se.Name.Space == xpdNS && se.Name.Local == "PROJECT"
		}
	}
}
