package naming

// initialism returns the spelling of word (given in upper case) when it is
// an initialism. The table is a switch so that it is constant.
func initialism(upper string) (string, bool) {
	switch upper {
	case "ACL", "API", "ASCII", "CPU", "CSS", "DNS", "EOF", "GUID", "HMAC",
		"HTML", "HTTP", "HTTPS", "ID", "IMS", "IP", "IRI", "JSON", "JSONLD", "JWT",
		"LIS", "LMS", "LTI", "POX", "QTI", "REST", "RPC", "SHA1", "SHA256",
		"SMS", "SMTP", "SQL", "SSH", "TCP", "TLS", "TTL", "UDP", "UI", "UID",
		"URI", "URL", "URN", "UTF8", "UUID", "VM", "XML", "XSRF", "XSS":
		return upper, true
	case "OAUTH":
		return "OAuth", true
	}
	return "", false
}

// IsInitialism reports whether word, in any case, is one of the
// initialisms the package writes in upper case (or, for OAuth, in its own
// mixed case).
func IsInitialism(word string) bool {
	_, ok := initialism(toUpperASCII(word))
	return ok
}

func toUpperASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}
