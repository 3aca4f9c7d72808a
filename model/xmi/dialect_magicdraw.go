package xmi

import "strings"

// magicDrawDialect is MagicDraw/Cameo, native XMI 2.5.1 or its Eclipse UML2
// export. Beyond the generic layer:
//   - the model root carries an "Author:…Created:…Title:…Comment:…"
//     comment the tool writes itself; it is not documentation;
//   - applications of MagicDraw's own profile (DiagramInfo,
//     ElementReferenceInText, InvisibleStereotype, auxiliaryResource…) are
//     tool bookkeeping, often about diagrams the reader skips, and are
//     dropped;
//   - bounds equal to the default live in modelExtension and are ignored
//     with the rest of xmi:Extension, which gives the UML defaults;
//   - library types referenced by *.mdzip#id are named by the last segment
//     of the sibling referenceExtension/@referentPath (see refs.go).
func magicDrawDialect(name string) *dialect {
	return &dialect{
		name:            name,
		skipComment:     isMagicDrawAuthorComment,
		keepApplication: func(uri string) bool { return !strings.HasSuffix(uri, "/MagicDrawProfile") },
	}
}

// isMagicDrawAuthorComment reports whether body is the comment MagicDraw
// adds to every new model ("Author:x.\nCreated:date.\nTitle:.\nComment:.").
func isMagicDrawAuthorComment(body string) bool {
	body = strings.TrimSpace(body)
	return strings.HasPrefix(body, "Author:") && strings.Contains(body, "Created:") && strings.Contains(body, "Title:")
}
