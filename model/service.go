package model

// Service is a «RestService»: a set of HTTP operations exchanging media
// types.
type Service struct {
	Origin Origin `json:"origin"`
	Name   string `json:"name"`
	GoName string `json:"goName"`
	// MediaTypes are the names of the media types the service exchanges.
	MediaTypes []string     `json:"mediaTypes"`
	Operations []*Operation `json:"operations"`
	Doc        string       `json:"doc,omitempty"`
}

// Operation is one «HttpOperation»: an HTTP method on a URL template.
type Operation struct {
	Origin Origin `json:"origin"`
	Name   string `json:"name"`
	GoName string `json:"goName"`
	Method string `json:"method"`
	// Path is the URL template (RFC 6570) relative to the service's base.
	Path string `json:"path"`
	// Offer is the endpoint's name in a Tool Consumer Profile.
	Offer string `json:"offer,omitempty"`
	// Request and Response are media type names, for Content-Type and
	// Accept.
	Request  []string `json:"request"`
	Response []string `json:"response"`
	Status   []Status `json:"status"`
	// Pox is the LTI 1.1 POX operation name, if any.
	Pox          string   `json:"pox,omitempty"`
	PathParams   []*Param `json:"pathParams"`
	QueryParams  []*Param `json:"queryParams"`
	HeaderParams []*Param `json:"headerParams"`
	// Body is the request body's media type name, when an in parameter
	// is typed by a «MediaType» class; Result likewise for the return
	// parameter.
	Body   string `json:"body,omitempty"`
	Result string `json:"result,omitempty"`
	Doc    string `json:"doc,omitempty"`
}

// Status is one possible response status of an operation.
type Status struct {
	Code    int    `json:"code"`
	Meaning string `json:"meaning"`
}

// Param is a path, query or header parameter of an operation.
type Param struct {
	Origin Origin `json:"origin"`
	// Name is the template variable or query parameter name.
	Name   string `json:"name"`
	GoName string `json:"goName"`
	// Header is the HTTP header a «HeaderParam» reads.
	Header string `json:"header,omitempty"`
	// Values lists a «QueryParam»'s allowed values when closed.
	Values      []string    `json:"values,omitempty"`
	Cardinality Cardinality `json:"cardinality"`
	Type        TypeRef     `json:"type"`
	Doc         string      `json:"doc,omitempty"`
}
