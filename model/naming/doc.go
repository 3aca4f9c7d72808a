// Package naming turns model names into Go identifiers. It is the one
// naming routine of ltiforge: every generator asks it, so a class, a
// property or a service has the same Go name in the Go types, the REST
// handlers and the documentation.
//
// # Rules
//
// A model name is split into words at every character that is not a letter
// or a digit ("tool_proxy_guid", "basic-lti-launch-request", "User.id",
// "@id", "Logical View") and at case changes inside a word ("resultScore",
// "HTTPMethod" → "HTTP", "Method"). Digits stay with the letters they
// follow or precede ("LTI-1p0" → "LTI", "1p0"). Each word is then written:
//
//   - as its initialism when it is one, whatever its case: "id", "Id" and
//     "ID" all give "ID" (the list is below); "oauth" gives "OAuth";
//   - as the initialism plus "s" for a plural initialism ("ids" → "IDs",
//     "urls" → "URLs");
//   - with only its first letter upper case when it is a whole part of
//     the name written in upper case but no initialism ("GET" → "Get",
//     "USER_ID" → "UserID"), the way net/http writes MethodGet; an acronym
//     inside camel case is kept ("NCName" → "NCName");
//   - otherwise with its first letter upper-cased and the rest as written
//     ("resultScore" → "Result" "Score").
//
// Accented Latin letters lose their accents ("Élève" → "Eleve"); other
// letters Go accepts in identifiers are kept. A name that would start with
// a digit, or with a letter that has no upper case, gets an "X" in front
// ("2fa" → "X2fa"); a name with no letters or digits at all becomes
// "Unnamed".
//
// Unexported names lower the first word: all of it for an initialism
// ("ID" → "id", "URLTemplate" → "urlTemplate", "OAuthNonce" →
// "oauthNonce"), otherwise its first letter. An unexported name that is a
// Go keyword or a predeclared identifier ("type", "string", "len") gets a
// "_" suffix.
//
// # Initialisms
//
// ACL, API, ASCII, CPU, CSS, DNS, EOF, GUID, HMAC, HTML, HTTP, HTTPS, ID,
// IMS, IP, IRI, JSON, JSONLD, JWT, LIS, LMS, LTI, POX, QTI, REST, RPC, SHA1,
// SHA256, SMS, SMTP, SQL, SSH, TCP, TLS, TTL, UDP, UI, UID, URI, URL, URN,
// UTF8, UUID, VM, XML, XSRF, XSS, and OAuth (mixed case, as the OAuth
// specifications write it). The list starts from golint's and adds the
// terms of LTI and its neighbours (LTI, LIS, LMS, IMS, IRI, URN, POX, QTI,
// JSONLD, HMAC, SHA1, JWT, OAuth). Abbreviations that are also ordinary
// words in LTI names ("tc", "tp", "ok") are deliberately left out.
//
// # Collisions
//
// A Namer hands out unique names within one scope (a Go package, a struct,
// a method set). The first request for a name gets it; later requests that
// map to the same identifier get a numeric suffix, "2", "3", … ("_2" when
// the name already ends in a digit), in the order they are asked for, so
// the result depends only on the order of the model.
package naming
