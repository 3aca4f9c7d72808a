package xmi

// modelioDialect is Modelio's XMI export: uml:Model as the document root,
// an eAnnotations "Objing" block (skipped), HTML notes escaped into comment
// bodies (handled by doctext), local uml:PrimitiveTypes for types outside the
// OMG library, and constraints as model-level ownedRules whose
// constrainedElement names the property they restrict (attached to that
// property by the generic constraint rule).
func modelioDialect() *dialect { return genericDialect("modelio") }
