package docs

import (
	"fmt"
	"html"
	"strings"

	"github.com/ltiforge/ltiforge/model"
)

// Diagram geometry, in SVG user units (pixels at 100%).
const (
	boxW       = 216
	gapX       = 28
	gapY       = 56
	headH      = 22
	stereoH    = 14
	lineH      = 14
	padY       = 6
	margin     = 12
	perRow     = 4
	maxLines   = 12
	charsPerLn = 31
)

// edgeKind is the UML relation an edge draws.
type edgeKind int

const (
	// composition: an embedded value; filled diamond at the owner.
	composition edgeKind = iota
	// association: a reference by IRI; open arrow at the target.
	association
	// generalization: hollow triangle at the general class.
	generalization
)

// dnode is one class box.
type dnode struct {
	title  string
	stereo string
	lines  []string
	href   string
	focus  bool
	layer  int

	x, y, w, h int
}

// dedge is one line between boxes: from the owner (or the specialization)
// to the part (or the general class).
type dedge struct {
	from, to int
	kind     edgeKind
	label    string
}

// diagram is a class diagram in the making.
type diagram struct {
	title string
	nodes []*dnode
	edges []dedge
	at    map[*model.Class]int
}

func newDiagram(title string) *diagram {
	return &diagram{title: title, at: map[*model.Class]int{}}
}

// add adds a box for c (once) and returns its number.
func (d *diagram) add(c *model.Class, layer int, lines []string, href string) int {
	if i, ok := d.at[c]; ok {
		return i
	}
	var st []string
	if c.Abstract {
		st = append(st, "abstract")
	}
	if c.Addressable {
		st = append(st, "Addressable")
	}
	if c.Embeddable {
		st = append(st, "Embeddable")
	}
	stereo := ""
	if len(st) > 0 {
		stereo = "«" + strings.Join(st, ", ") + "»"
	}
	if len(lines) > maxLines {
		more := len(lines) - maxLines + 1
		lines = append(lines[:maxLines-1:maxLines-1], fmt.Sprintf("… %d more", more))
	}
	d.nodes = append(d.nodes, &dnode{title: c.Name, stereo: stereo, lines: lines, href: href, layer: layer})
	d.at[c] = len(d.nodes) - 1
	return len(d.nodes) - 1
}

// link adds an edge unless it is there already.
func (d *diagram) link(from, to int, kind edgeKind, label string) {
	if from == to {
		return
	}
	for _, e := range d.edges {
		if e.from == from && e.to == to && e.kind == kind {
			return
		}
	}
	d.edges = append(d.edges, dedge{from, to, kind, label})
}

// propLines are the lines of a class box: "term : Type [card]".
func propLines(props []*model.Property) []string {
	out := make([]string, 0, len(props))
	for _, p := range props {
		out = append(out, clip(fmt.Sprintf("%s : %s %s", p.Term, typeName(p.Type), p.Cardinality), charsPerLn))
	}
	return out
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// layout places the boxes: layers top to bottom, each layer's boxes in
// rows of at most perRow, rows centred.
func (d *diagram) layout() (width, height int) {
	maxLayer := 0
	for _, n := range d.nodes {
		n.w = boxW
		n.h = headH + padY + lineH*len(n.lines)
		if n.stereo != "" {
			n.h += stereoH
		}
		if n.layer > maxLayer {
			maxLayer = n.layer
		}
	}
	width = margin*2 + perRow*boxW + (perRow-1)*gapX
	y := margin
	for l := 0; l <= maxLayer; l++ {
		var layer []*dnode
		for _, n := range d.nodes {
			if n.layer == l {
				layer = append(layer, n)
			}
		}
		for len(layer) > 0 {
			k := min(perRow, len(layer))
			row := layer[:k]
			layer = layer[k:]
			rowW := k*boxW + (k-1)*gapX
			x := (width - rowW) / 2
			rowH := 0
			for _, n := range row {
				n.x, n.y = x, y
				x += boxW + gapX
				rowH = max(rowH, n.h)
			}
			y += rowH + gapY
		}
	}
	return width, y - gapY + margin
}

// svg draws the diagram. It is deterministic: boxes and edges come in
// the order they were added.
func (d *diagram) svg(root string) string {
	if len(d.nodes) == 0 {
		return ""
	}
	w, h := d.layout()
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="diagram" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" role="img" aria-label="%s">`, w, h, w, esc(d.title))
	b.WriteString(`<defs>` +
		`<marker id="m-gen" viewBox="0 0 12 12" refX="11" refY="6" markerWidth="12" markerHeight="12" orient="auto-start-reverse"><path d="M1,1 L11,6 L1,11 Z" fill="#fff" stroke="#333"/></marker>` +
		`<marker id="m-comp" viewBox="0 0 16 10" refX="1" refY="5" markerWidth="16" markerHeight="10" orient="auto-start-reverse"><path d="M1,5 L8,1 L15,5 L8,9 Z" fill="#333"/></marker>` +
		`<marker id="m-ref" viewBox="0 0 12 12" refX="11" refY="6" markerWidth="10" markerHeight="10" orient="auto-start-reverse"><path d="M1,1 L11,6 L1,11" fill="none" stroke="#333"/></marker>` +
		`</defs>`)
	for _, e := range d.edges {
		a, c := d.nodes[e.from], d.nodes[e.to]
		x1, y1, x2, y2 := ends(a, c)
		attrs := ""
		switch e.kind {
		case composition:
			attrs = ` marker-start="url(#m-comp)"`
		case association:
			attrs = ` marker-end="url(#m-ref)" stroke-dasharray="5,3"`
		case generalization:
			attrs = ` marker-end="url(#m-gen)"`
		}
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#333"%s/>`, x1, y1, x2, y2, attrs)
		if e.label != "" {
			// Near the part's end, where labels of edges from one
			// owner to different parts do not meet.
			lx, ly := x1+(x2-x1)*3/4+4, y1+(y2-y1)*3/4
			fmt.Fprintf(&b, `<text class="edge" x="%d" y="%d">%s</text>`, lx, ly, esc(clip(e.label, 28)))
		}
	}
	for _, n := range d.nodes {
		cls := "box"
		if n.focus {
			cls = "box focus"
		}
		if n.href != "" {
			fmt.Fprintf(&b, `<a href="%s">`, esc(rel(root, n.href)))
		}
		fmt.Fprintf(&b, `<g class="%s"><rect x="%d" y="%d" width="%d" height="%d" rx="3"/>`, cls, n.x, n.y, n.w, n.h)
		y := n.y
		if n.stereo != "" {
			y += stereoH
			fmt.Fprintf(&b, `<text class="stereo" x="%d" y="%d">%s</text>`, n.x+n.w/2, y-2, esc(n.stereo))
		}
		y += headH
		fmt.Fprintf(&b, `<text class="name" x="%d" y="%d">%s</text>`, n.x+n.w/2, y-6, esc(n.title))
		if len(n.lines) > 0 {
			fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" class="sep"/>`, n.x, y, n.x+n.w, y)
		}
		for i, l := range n.lines {
			fmt.Fprintf(&b, `<text class="prop" x="%d" y="%d">%s</text>`, n.x+6, y+lineH*(i+1), esc(l))
		}
		b.WriteString(`</g>`)
		if n.href != "" {
			b.WriteString(`</a>`)
		}
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// ends returns the end points of a line between two boxes: bottom to top
// when one is above the other, side to side when they share a row.
func ends(a, c *dnode) (x1, y1, x2, y2 int) {
	switch {
	case a.y+a.h <= c.y:
		return a.x + a.w/2, a.y + a.h, c.x + c.w/2, c.y
	case c.y+c.h <= a.y:
		return a.x + a.w/2, a.y, c.x + c.w/2, c.y + c.h
	case a.x < c.x:
		return a.x + a.w, a.y + headH/2, c.x, c.y + headH/2
	default:
		return a.x, a.y + headH/2, c.x + c.w, c.y + headH/2
	}
}

// esc escapes text for SVG markup.
func esc(s string) string { return html.EscapeString(s) }

// classDiagram draws c with its generalizations and the classes that use
// it above, and its specializations and the classes its properties hold
// below. page is the page the SVG is embedded in.
func (x *index) classDiagram(c *model.Class, page string) string {
	const maxGroup = 8
	d := newDiagram("Class diagram of " + c.Name)
	for i, s := range c.SuperClasses() {
		if i >= maxGroup {
			break
		}
		d.add(s, 0, nil, x.classPage[s])
	}
	var owners []*model.Property
	for _, p := range x.usedBy[c.Origin.QualifiedName] {
		if len(owners) < maxGroup {
			owners = append(owners, p)
		}
	}
	for _, p := range owners {
		if o := x.classByQN[p.Class]; o != nil {
			d.add(o, 0, nil, x.classPage[o])
		}
	}
	focus := d.add(c, 1, propLines(c.Properties), x.classPage[c])
	d.nodes[focus].focus = true
	for _, s := range c.SuperClasses() {
		if i, ok := d.at[s]; ok {
			d.link(focus, i, generalization, "")
		}
	}
	for _, p := range owners {
		if o := x.classByQN[p.Class]; o != nil {
			d.link(d.at[o], focus, edgeKindOf(p), p.Term+" "+p.Cardinality.String())
		}
	}
	for i, s := range x.subs[c] {
		if i >= maxGroup {
			break
		}
		d.link(d.add(s, 2, nil, x.classPage[s]), focus, generalization, "")
	}
	n := 0
	for _, p := range c.Properties {
		k := x.classByQN[p.Type.Name]
		if p.Type.Kind != model.TypeClass || k == nil || n >= maxGroup {
			continue
		}
		n++
		d.link(focus, d.add(k, 2, nil, x.classPage[k]), edgeKindOf(p), p.Term+" "+p.Cardinality.String())
	}
	return d.svg(page)
}

// mediaTypeDiagram draws the classes a media type's documents carry, in
// layers by distance from the root.
func (x *index) mediaTypeDiagram(mt *model.MediaType, page string) string {
	order, props := x.carried(mt)
	if len(order) == 0 {
		return ""
	}
	d := newDiagram("Class diagram of " + mt.Name)
	depth := map[*model.Class]int{order[0]: 0}
	for _, c := range order {
		dc := depth[c]
		for _, s := range x.subs[c] {
			if _, ok := depth[s]; !ok {
				depth[s] = dc + 1
			}
		}
		for _, s := range c.SuperClasses() {
			if _, ok := depth[s]; !ok {
				depth[s] = max(dc-1, 0)
			}
		}
		for _, p := range props[c] {
			if k := x.classByQN[p.Type.Name]; k != nil && p.Type.Kind == model.TypeClass && !reference(p) {
				if _, ok := depth[k]; !ok {
					depth[k] = dc + 1
				}
			}
		}
	}
	for _, c := range order {
		i := d.add(c, depth[c], propLines(props[c]), x.classPage[c])
		if c == order[0] {
			d.nodes[i].focus = true
		}
	}
	for _, c := range order {
		for _, s := range c.SuperClasses() {
			if j, ok := d.at[s]; ok {
				d.link(d.at[c], j, generalization, "")
			}
		}
		for _, p := range props[c] {
			if k := x.classByQN[p.Type.Name]; k != nil && p.Type.Kind == model.TypeClass {
				if j, ok := d.at[k]; ok {
					d.link(d.at[c], j, edgeKindOf(p), p.Term)
				}
			}
		}
	}
	return d.svg(page)
}

func edgeKindOf(p *model.Property) edgeKind {
	if reference(p) {
		return association
	}
	return composition
}
