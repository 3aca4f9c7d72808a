package consumer

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
)

// ResultSourcedID returns the lis_result_sourcedid of a user in a link. It
// names both, so that the Result and basic outcomes services find the link
// (and with it the tool that may write the result) without a lookup table;
// authorisation, not secrecy, guards it.
func ResultSourcedID(linkID, userID string) string {
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(linkID)) + "." + enc.EncodeToString([]byte(userID))
}

// errBadSourcedID is the error of a sourcedId the consumer did not issue.
var errBadSourcedID = errors.New("consumer: malformed sourcedId")

// parseSourcedID returns the link and user a sourcedId names.
func parseSourcedID(s string) (linkID, userID string, err error) {
	a, b, ok := strings.Cut(s, ".")
	if !ok || a == "" || b == "" {
		return "", "", errBadSourcedID
	}
	enc := base64.RawURLEncoding
	l, err1 := enc.DecodeString(a)
	u, err2 := enc.DecodeString(b)
	if err1 != nil || err2 != nil {
		return "", "", errBadSourcedID
	}
	return string(l), string(u), nil
}

// stableID derives a fixed UUID-shaped identifier from its parts, for
// values that must not change between restarts (the profile's guid).
func stableID(parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	x := hex.EncodeToString(h[:16])
	return x[0:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:32]
}
