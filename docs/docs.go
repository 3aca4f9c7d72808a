// Package docs holds the project's hand-written documentation that the
// generator publishes: the LTI profile's specification (profile.md)
// becomes the profile page of the reference site (docs/reference), which
// the docs emitter (generator/docs) writes.
package docs

import _ "embed"

//go:embed profile.md
var profile []byte

// Profile returns the Markdown of the LTI UML profile's specification,
// docs/profile.md. The bytes are the caller's own.
func Profile() []byte { return append([]byte(nil), profile...) }
