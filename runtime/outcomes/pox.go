package outcomes

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Namespace is the XML namespace of LTI 1.1 Basic Outcomes POX envelopes.
const Namespace = "http://www.imsglobal.org/services/ltiv1p1/xsd/imsoms_v1p0"

// POXVersion is the imsx_version this package sends.
const POXVersion = "V1.0"

// The operations of LTI 1.1 Basic Outcomes, as imsx_operationRefIdentifier
// names them (the request element is the name plus "Request", the response
// element the name plus "Response").
const (
	// OpReplaceResult sets the score of a sourcedId.
	OpReplaceResult = "replaceResult"
	// OpReadResult reads the score of a sourcedId.
	OpReadResult = "readResult"
	// OpDeleteResult removes the score of a sourcedId.
	OpDeleteResult = "deleteResult"
)

// Limits of ParsePOX. Real POX messages are a few hundred bytes.
const (
	// MaxDocumentSize is the largest document ParsePOX accepts, in bytes.
	MaxDocumentSize = 1 << 20
	// MaxDepth is the deepest element nesting ParsePOX accepts.
	MaxDepth = 32
	// MaxElements is the most elements ParsePOX accepts in one document.
	MaxElements = 1024
	// MaxIdentifierLength bounds imsx_messageIdentifier and sourcedId, in
	// bytes.
	MaxIdentifierLength = 1024
	// MaxScoreLength bounds the textString of a score, in bytes.
	MaxScoreLength = 64
	// MaxLanguageLength bounds the language of a score, in bytes.
	MaxLanguageLength = 64
)

// DefaultLanguage is the language of a score whose language is absent.
const DefaultLanguage = "en"

// Request is a parsed POX request (imsx_POXEnvelopeRequest).
type Request struct {
	// Version is imsx_version (normally "V1.0"); it may be empty.
	Version string
	// MessageID is imsx_messageIdentifier; never empty.
	MessageID string
	// Operation is the name of the single element of imsx_POXBody without
	// its "Request" suffix: OpReplaceResult, OpReadResult, OpDeleteResult
	// or, for an operation this package does not know, whatever was asked
	// (Known reports which).
	Operation string
	// SourcedID is resultRecord/sourcedGUID/sourcedId, trimmed; never
	// empty for a known operation.
	SourcedID string
	// ScoreText is result/resultScore/textString of a replaceResult,
	// trimmed; never empty for replaceResult. ParseScore checks it.
	ScoreText string
	// Language is result/resultScore/language of a replaceResult, trimmed;
	// empty when absent.
	Language string
}

// Known reports whether r.Operation is one of the three operations of LTI
// 1.1 Basic Outcomes.
func (r *Request) Known() bool {
	switch r.Operation {
	case OpReplaceResult, OpReadResult, OpDeleteResult:
		return true
	}
	return false
}

// ParseError reports a POX request that ParsePOX could not accept. It
// carries what could be read before the fault, so that a reply can still
// refer to the request.
type ParseError struct {
	// MessageID is imsx_messageIdentifier when it could be read, else "".
	MessageID string
	// Operation is the operation when it could be read, else "".
	Operation string
	// Reason says what is wrong, for the imsx_description of the reply.
	Reason string
}

// Error implements error.
func (e *ParseError) Error() string {
	return "outcomes: malformed POX request: " + e.Reason
}

// ParsePOX parses a POX request envelope. It never expands entities (it
// refuses any DOCTYPE), and bounds the size, depth and element count of
// the document (see the package documentation). Unknown operations are
// not an error: the Request names them and Known reports false. Every
// other fault is a *ParseError.
func ParsePOX(data []byte) (*Request, error) {
	root, err := parseTree(data)
	if err != nil {
		return nil, &ParseError{Reason: err.Error()}
	}
	if root.space != Namespace || root.local != "imsx_POXEnvelopeRequest" {
		return nil, &ParseError{Reason: fmt.Sprintf("root element is {%s}%s, want {%s}imsx_POXEnvelopeRequest",
			clip(root.space), clip(root.local), Namespace)}
	}
	req := &Request{}
	perr := func(format string, args ...any) error {
		return &ParseError{MessageID: req.MessageID, Operation: req.Operation, Reason: fmt.Sprintf(format, args...)}
	}

	info, err := root.path("imsx_POXHeader", "imsx_POXRequestHeaderInfo")
	if err != nil {
		return nil, perr("%v", err)
	}
	if v, err := info.optionalText("imsx_version"); err != nil {
		return nil, perr("%v", err)
	} else {
		req.Version = v
	}
	id, err := info.requiredText("imsx_messageIdentifier", MaxIdentifierLength)
	if err != nil {
		return nil, perr("%v", err)
	}
	req.MessageID = id

	body, err := root.one("imsx_POXBody")
	if err != nil {
		return nil, perr("%v", err)
	}
	if len(body.children) != 1 {
		return nil, perr("imsx_POXBody holds %d elements, want exactly one operation", len(body.children))
	}
	opElem := body.children[0]
	if !inPOX(opElem.space) {
		return nil, perr("operation element %s is in namespace %q", clip(opElem.local), clip(opElem.space))
	}
	op, ok := strings.CutSuffix(opElem.local, "Request")
	if !ok || op == "" {
		req.Operation = clip(opElem.local)
		return nil, perr("operation element %s does not end in Request", clip(opElem.local))
	}
	req.Operation = clip(op)
	if !req.Known() {
		return req, nil
	}

	record, err := opElem.one("resultRecord")
	if err != nil {
		return nil, perr("%v", err)
	}
	guid, err := record.one("sourcedGUID")
	if err != nil {
		return nil, perr("%v", err)
	}
	sid, err := guid.requiredText("sourcedId", MaxIdentifierLength)
	if err != nil {
		return nil, perr("%v", err)
	}
	req.SourcedID = sid

	if req.Operation == OpReplaceResult {
		score, err := record.path("result", "resultScore")
		if err != nil {
			return nil, perr("%v", err)
		}
		text, err := score.requiredText("textString", MaxScoreLength)
		if err != nil {
			return nil, perr("%v", err)
		}
		req.ScoreText = text
		lang, err := score.optionalText("language")
		if err != nil {
			return nil, perr("%v", err)
		}
		if len(lang) > MaxLanguageLength {
			return nil, perr("language is longer than %d bytes", MaxLanguageLength)
		}
		req.Language = lang
	}
	return req, nil
}

// decimalRE is the lexical form of a score: an optionally signed decimal
// number without exponent, as xsd:decimal writes it.
var decimalRE = regexp.MustCompile(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$`)

// ParseScore parses the textString of a resultScore: a decimal number
// (no exponent, no NaN or infinity) in [0.0, 1.0], surrounding white space
// allowed.
func ParseScore(text string) (float64, error) {
	t := strings.TrimSpace(text)
	if len(t) > MaxScoreLength {
		return 0, fmt.Errorf("score is longer than %d bytes", MaxScoreLength)
	}
	if !decimalRE.MatchString(t) {
		return 0, fmt.Errorf("score %q is not a decimal number", t)
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil {
		return 0, fmt.Errorf("score %q is not a decimal number", t)
	}
	if v < 0 || v > 1 {
		return 0, fmt.Errorf("score %s is outside [0.0, 1.0]", t)
	}
	if v == 0 {
		v = 0 // turn -0 into 0
	}
	return v, nil
}

// FormatScore writes a score as a textString: the shortest decimal that
// reads back as the same float64, without exponent.
func FormatScore(score float64) string {
	return strconv.FormatFloat(score, 'f', -1, 64)
}

// languageRE is the shape of a BCP 47 language tag (e.g. en, en-US,
// zh-Hant-TW), checked loosely.
var languageRE = regexp.MustCompile(`^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$`)

// CheckLanguage reports whether lang has the shape of a BCP 47 language
// tag.
func CheckLanguage(lang string) error {
	if len(lang) > MaxLanguageLength || !languageRE.MatchString(lang) {
		return fmt.Errorf("language %q is not a language tag", clip(lang))
	}
	return nil
}

// statusInfo is the imsx_statusInfo of a reply.
type statusInfo struct {
	CodeMajor    CodeMajor `xml:"imsx_codeMajor"`
	Severity     Severity  `xml:"imsx_severity"`
	Description  string    `xml:"imsx_description"`
	MessageRef   string    `xml:"imsx_messageRefIdentifier"`
	OperationRef string    `xml:"imsx_operationRefIdentifier"`
}

// response is a parsed or to-be-written POX reply.
type response struct {
	MessageID string
	Status    statusInfo
	// Score and Language are the readResult result; HasScore is false when
	// the textString is empty (no grade).
	ScoreText string
	Language  string
	// HasResult reports that a readResultResponse/result/resultScore was
	// present (only read when parsing).
	HasResult bool
}

// The XML shapes written. encoding/xml escapes every value.
type (
	xmlResponseEnvelope struct {
		XMLName xml.Name          `xml:"http://www.imsglobal.org/services/ltiv1p1/xsd/imsoms_v1p0 imsx_POXEnvelopeResponse"`
		Header  xmlResponseHeader `xml:"imsx_POXHeader>imsx_POXResponseHeaderInfo"`
		Body    xmlResponseBody   `xml:"imsx_POXBody"`
	}
	xmlResponseHeader struct {
		Version   string     `xml:"imsx_version"`
		MessageID string     `xml:"imsx_messageIdentifier"`
		Status    statusInfo `xml:"imsx_statusInfo"`
	}
	xmlResponseBody struct {
		Replace *struct{}  `xml:"replaceResultResponse"`
		Read    *xmlResult `xml:"readResultResponse>result"`
		Delete  *struct{}  `xml:"deleteResultResponse"`
	}
	xmlResult struct {
		Score xmlScore `xml:"resultScore"`
	}
	xmlScore struct {
		Language   string `xml:"language"`
		TextString string `xml:"textString"`
	}
	xmlRequestEnvelope struct {
		XMLName xml.Name         `xml:"http://www.imsglobal.org/services/ltiv1p1/xsd/imsoms_v1p0 imsx_POXEnvelopeRequest"`
		Header  xmlRequestHeader `xml:"imsx_POXHeader>imsx_POXRequestHeaderInfo"`
		Body    xmlRequestBody   `xml:"imsx_POXBody"`
	}
	xmlRequestHeader struct {
		Version   string `xml:"imsx_version"`
		MessageID string `xml:"imsx_messageIdentifier"`
	}
	xmlRequestBody struct {
		Replace *xmlRecord `xml:"replaceResultRequest>resultRecord"`
		Read    *xmlRecord `xml:"readResultRequest>resultRecord"`
		Delete  *xmlRecord `xml:"deleteResultRequest>resultRecord"`
	}
	xmlRecord struct {
		SourcedID string     `xml:"sourcedGUID>sourcedId"`
		Result    *xmlResult `xml:"result,omitempty"`
	}
)

// encodeRequest writes the POX request envelope of r, which must name a
// known operation.
func encodeRequest(r *Request) ([]byte, error) {
	env := xmlRequestEnvelope{Header: xmlRequestHeader{Version: POXVersion, MessageID: r.MessageID}}
	rec := &xmlRecord{SourcedID: r.SourcedID}
	switch r.Operation {
	case OpReplaceResult:
		rec.Result = &xmlResult{Score: xmlScore{Language: r.Language, TextString: r.ScoreText}}
		env.Body.Replace = rec
	case OpReadResult:
		env.Body.Read = rec
	case OpDeleteResult:
		env.Body.Delete = rec
	default:
		return nil, fmt.Errorf("outcomes: cannot encode operation %q", r.Operation)
	}
	return marshalDoc(env)
}

// encodeResponse writes the POX reply envelope of r. The body holds the
// operation's response element on success, and is empty otherwise.
func encodeResponse(r *response) ([]byte, error) {
	env := xmlResponseEnvelope{Header: xmlResponseHeader{Version: POXVersion, MessageID: r.MessageID, Status: r.Status}}
	if r.Status.CodeMajor == CodeSuccess {
		switch r.Status.OperationRef {
		case OpReplaceResult:
			env.Body.Replace = &struct{}{}
		case OpReadResult:
			env.Body.Read = &xmlResult{Score: xmlScore{Language: r.Language, TextString: r.ScoreText}}
		case OpDeleteResult:
			env.Body.Delete = &struct{}{}
		}
	}
	return marshalDoc(env)
}

// marshalDoc writes v as an indented XML document with a declaration.
func marshalDoc(v any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("outcomes: encoding POX: %w", err)
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

// parseResponse parses a POX reply envelope.
func parseResponse(data []byte) (*response, error) {
	root, err := parseTree(data)
	if err != nil {
		return nil, err
	}
	if root.space != Namespace || root.local != "imsx_POXEnvelopeResponse" {
		return nil, fmt.Errorf("root element is {%s}%s, want {%s}imsx_POXEnvelopeResponse",
			clip(root.space), clip(root.local), Namespace)
	}
	info, err := root.path("imsx_POXHeader", "imsx_POXResponseHeaderInfo")
	if err != nil {
		return nil, err
	}
	resp := &response{}
	if resp.MessageID, err = info.optionalText("imsx_messageIdentifier"); err != nil {
		return nil, err
	}
	st, err := info.one("imsx_statusInfo")
	if err != nil {
		return nil, err
	}
	code, err := st.requiredText("imsx_codeMajor", 64)
	if err != nil {
		return nil, err
	}
	resp.Status.CodeMajor = CodeMajor(code)
	fields := []struct {
		name string
		dst  *string
	}{
		{"imsx_description", &resp.Status.Description},
		{"imsx_messageRefIdentifier", &resp.Status.MessageRef},
		{"imsx_operationRefIdentifier", &resp.Status.OperationRef},
	}
	for _, f := range fields {
		if *f.dst, err = st.optionalText(f.name); err != nil {
			return nil, err
		}
	}
	sev, err := st.optionalText("imsx_severity")
	if err != nil {
		return nil, err
	}
	resp.Status.Severity = Severity(sev)

	body, err := root.optional("imsx_POXBody")
	if err != nil || body == nil {
		return resp, err
	}
	read, err := body.optional("readResultResponse")
	if err != nil || read == nil {
		return resp, err
	}
	result, err := read.optional("result")
	if err != nil || result == nil {
		return resp, err
	}
	score, err := result.optional("resultScore")
	if err != nil || score == nil {
		return resp, err
	}
	resp.HasResult = true
	if resp.ScoreText, err = score.optionalText("textString"); err != nil {
		return nil, err
	}
	if resp.Language, err = score.optionalText("language"); err != nil {
		return nil, err
	}
	return resp, nil
}

// node is an element of a parsed document: its expanded name, its direct
// character data and its child elements.
type node struct {
	space, local string
	text         []byte
	children     []*node
}

// inPOX reports whether an element below the root is in an accepted
// namespace: the POX namespace, or none.
func inPOX(space string) bool { return space == Namespace || space == "" }

// find returns the children of n named local in an accepted namespace.
func (n *node) find(local string) []*node {
	var out []*node
	for _, c := range n.children {
		if c.local == local && inPOX(c.space) {
			out = append(out, c)
		}
	}
	return out
}

// optional returns the child named local, nil when there is none, and an
// error when there are several.
func (n *node) optional(local string) (*node, error) {
	cs := n.find(local)
	switch len(cs) {
	case 0:
		return nil, nil
	case 1:
		return cs[0], nil
	}
	return nil, fmt.Errorf("%s holds %d %s elements, want one", n.local, len(cs), local)
}

// one returns the single child named local.
func (n *node) one(local string) (*node, error) {
	c, err := n.optional(local)
	if err == nil && c == nil {
		err = fmt.Errorf("%s has no %s element", n.local, local)
	}
	return c, err
}

// path follows single children down the given names.
func (n *node) path(names ...string) (*node, error) {
	cur := n
	for _, name := range names {
		next, err := cur.one(name)
		if err != nil {
			return nil, err
		}
		cur = next
	}
	return cur, nil
}

// optionalText returns the trimmed text of the child named local, "" when
// it is absent. A child with element content is an error.
func (n *node) optionalText(local string) (string, error) {
	c, err := n.optional(local)
	if err != nil || c == nil {
		return "", err
	}
	if len(c.children) > 0 {
		return "", fmt.Errorf("%s holds elements, want text", local)
	}
	return strings.TrimSpace(string(c.text)), nil
}

// requiredText returns the trimmed text of the child named local, which
// must be present, non-empty and at most max bytes.
func (n *node) requiredText(local string, max int) (string, error) {
	if _, err := n.one(local); err != nil {
		return "", err
	}
	t, err := n.optionalText(local)
	if err != nil {
		return "", err
	}
	if t == "" {
		return "", fmt.Errorf("%s is empty", local)
	}
	if len(t) > max {
		return "", fmt.Errorf("%s is longer than %d bytes", local, max)
	}
	return t, nil
}

// errDirective is returned for a DOCTYPE or other <!...> declaration.
var errDirective = errors.New("DOCTYPE and other <!...> declarations are refused")

// parseTree parses data into a tree of elements, with encoding/xml in
// strict mode, refusing declarations and bounding size, depth and element
// count. Exactly one root element is required.
func parseTree(data []byte) (*node, error) {
	if len(data) > MaxDocumentSize {
		return nil, fmt.Errorf("document is larger than %d bytes", MaxDocumentSize)
	}
	if !utf8.Valid(data) {
		return nil, errors.New("document is not valid UTF-8")
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	// No Entity map and no CharsetReader: only the predefined entities are
	// known, and a document declaring another encoding is refused.
	var (
		root     *node
		stack    []*node
		elements int
	)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("XML syntax: %s", clip(err.Error()))
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if root != nil && len(stack) == 0 {
				return nil, errors.New("more than one root element")
			}
			if len(stack) >= MaxDepth {
				return nil, fmt.Errorf("elements nested deeper than %d", MaxDepth)
			}
			elements++
			if elements > MaxElements {
				return nil, fmt.Errorf("more than %d elements", MaxElements)
			}
			n := &node{space: t.Name.Space, local: t.Name.Local}
			if len(stack) == 0 {
				root = n
			} else {
				parent := stack[len(stack)-1]
				parent.children = append(parent.children, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			// The strict decoder has checked that it matches.
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) == 0 {
				if len(bytes.TrimSpace(t)) > 0 {
					return nil, errors.New("text outside the root element")
				}
				continue
			}
			top := stack[len(stack)-1]
			top.text = append(top.text, t...)
		case xml.Directive:
			return nil, errDirective
		case xml.Comment, xml.ProcInst:
			// Ignored. The decoder itself checks the encoding of the XML
			// declaration.
		}
	}
	if root == nil {
		return nil, errors.New("no root element")
	}
	if len(stack) != 0 {
		return nil, errors.New("unexpected end of document")
	}
	return root, nil
}

// clip shortens s for an error message.
func clip(s string) string {
	const max = 80
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
