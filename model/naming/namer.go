package naming

import "strconv"

// Namer hands out unique Go identifiers within one scope, such as the
// types of a generated package or the fields of one struct. The first
// request for an identifier gets it; later requests that map to the same
// identifier get a numeric suffix in request order ("Course", "Course2",
// "Course3"; "_2" after a name ending in a digit). A Namer is not safe for
// concurrent use.
type Namer struct {
	taken map[string]bool
}

// NewNamer returns a Namer whose scope already holds reserved, such as the
// names of methods the generated code adds.
func NewNamer(reserved ...string) *Namer {
	n := &Namer{taken: make(map[string]bool, len(reserved))}
	n.Reserve(reserved...)
	return n
}

// Reserve marks identifiers as taken without handing them out.
func (n *Namer) Reserve(ids ...string) {
	for _, id := range ids {
		n.taken[id] = true
	}
}

// Taken reports whether id has been handed out or reserved.
func (n *Namer) Taken(id string) bool { return n.taken[id] }

// Name returns a unique exported identifier for the model name.
func (n *Namer) Name(name string) string { return n.claim(GoName(name)) }

// Unexported returns a unique unexported identifier for the model name.
func (n *Namer) Unexported(name string) string { return n.claim(Unexported(name)) }

// Claim returns id itself when it is free, and otherwise id with the
// first free suffix; either way the result is then taken.
func (n *Namer) Claim(id string) string { return n.claim(id) }

func (n *Namer) claim(base string) string {
	if base == "" {
		base = "Unnamed"
	}
	id := base
	sep := ""
	if last := base[len(base)-1]; '0' <= last && last <= '9' {
		sep = "_"
	}
	for i := 2; n.taken[id]; i++ {
		id = base + sep + strconv.Itoa(i)
	}
	n.taken[id] = true
	return id
}
