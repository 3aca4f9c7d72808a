// Package lti2 holds the LTI 2.0 standard model: UML files in XMI, written
// with the LTI profile (profile/lti.profile.uml), and embedded in the
// binary so that ltigen works with no model files named.
//
// The files, each a model a person can open in a UML tool:
//
//   - lti.uml: the LTI core vocabulary, the simple types and the LTI media
//     types;
//   - lis.uml: the LIS v2 Result and MembershipContainer;
//   - services.uml: the REST services, and LTI 1.1 Basic Outcomes;
//   - messages.uml: the browser-posted messages and their returns;
//   - vocabulary.uml: capabilities, substitution variables and roles;
//   - profile/lti.profile.uml: the LTI profile itself.
package lti2

import (
	"embed"
	"fmt"
	"io/fs"
	"path"

	"github.com/ltiforge/ltiforge/model/uml"
)

//go:embed *.uml profile/*.uml
var files embed.FS

// Files returns the standard model's files.
func Files() fs.FS { return files }

// Sources returns every file of the standard model, the profile included,
// named "lti2/<file>" so that diagnostics point into the model and
// relative hrefs between the files resolve.
func Sources() ([]uml.Source, error) {
	var out []uml.Source
	err := fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) != ".uml" {
			return err
		}
		data, err := files.ReadFile(p)
		if err != nil {
			return fmt.Errorf("reading embedded model file %s: %w", p, err)
		}
		out = append(out, uml.Source{Path: path.Join("lti2", p), Data: data})
		return nil
	})
	return out, err
}
