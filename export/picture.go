package export

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/goccy/go-graphviz"

	"github.com/leydigkg/leydigkg/graph"
)

// KindColors fills each kind's nodes in pictures.
var KindColors = map[graph.Kind]string{
	graph.Hormone:     "#f6c85f",
	graph.Cell:        "#9dd866",
	graph.Process:     "#8dd3c7",
	graph.Therapy:     "#bebada",
	graph.GeneProduct: "#80b1d3",
	graph.Molecule:    "#fdb462",
	graph.Anatomy:     "#fccde5",
	graph.Condition:   "#fb8072",
}

// Edge looks: INCREASES green with an arrow, DECREASES red, dashed, with a
// bar (the biologist's ⊣).
const (
	increaseColor = "#1a9641"
	decreaseColor = "#d7191c"
)

// Picture is what a drawing shows: entities, links, and a title.
type Picture struct {
	Title    string
	Entities []*graph.Entity
	Links    []*graph.Link
}

// BatchPicture draws every entity and link of b.
func BatchPicture(title string, b *graph.Batch) *Picture {
	p := &Picture{Title: title}
	for i := range b.Entities {
		p.Entities = append(p.Entities, &b.Entities[i])
	}
	for i := range b.Links {
		p.Links = append(p.Links, &b.Links[i])
	}
	return p.sorted()
}

// PathPicture draws one causal chain, its net effect in the title.
func PathPicture(p graph.Path) *Picture {
	title := ""
	if len(p.Entities) > 0 {
		title = fmt.Sprintf("%s → %s: net %s (confidence %.2f)", p.Entities[0].Name, p.Entities[len(p.Entities)-1].Name, p.NetEffect, p.Confidence)
	}
	return (&Picture{Title: title, Entities: p.Entities, Links: p.Links}).sorted()
}

// TracePicture draws every chain of a trace; the title gives the net
// effect (or how many chains have each).
func TracePicture(res *graph.TraceResult) *Picture {
	p := &Picture{}
	seenE, seenL := map[string]bool{}, map[string]bool{}
	addE := func(e *graph.Entity) {
		if e != nil && !seenE[e.ID] {
			seenE[e.ID] = true
			p.Entities = append(p.Entities, e)
		}
	}
	addE(res.From)
	addE(res.To)
	count := map[graph.Effect]int{}
	for _, path := range res.Paths {
		count[path.NetEffect]++
		for _, e := range path.Entities {
			addE(e)
		}
		for _, l := range path.Links {
			if !seenL[l.ID] {
				seenL[l.ID] = true
				p.Links = append(p.Links, l)
			}
		}
	}
	net := "no causal chain"
	switch {
	case len(res.Paths) == 0:
	case count[graph.Increases] == 0:
		net = "net DECREASES"
	case count[graph.Decreases] == 0:
		net = "net INCREASES"
	default:
		net = fmt.Sprintf("net INCREASES in %d chain(s), DECREASES in %d", count[graph.Increases], count[graph.Decreases])
	}
	if res.From != nil && res.To != nil {
		p.Title = fmt.Sprintf("%s → %s: %s", res.From.Name, res.To.Name, net)
	}
	return p.sorted()
}

func (p *Picture) sorted() *Picture {
	q := &Picture{Title: p.Title, Entities: slices.Clone(p.Entities), Links: slices.Clone(p.Links)}
	slices.SortFunc(q.Entities, func(x, y *graph.Entity) int { return cmp.Compare(x.ID, y.ID) })
	q.Entities = slices.CompactFunc(q.Entities, func(x, y *graph.Entity) bool { return x.ID == y.ID })
	slices.SortFunc(q.Links, func(x, y *graph.Link) int { return cmp.Compare(x.ID, y.ID) })
	q.Links = slices.CompactFunc(q.Links, func(x, y *graph.Link) bool { return x.ID == y.ID })
	return q
}

func dotQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", "")
	return `"` + r.Replace(s) + `"`
}

// DOT writes the picture in Graphviz's language.
func (p *Picture) DOT(w io.Writer) error {
	var b strings.Builder
	b.WriteString("digraph leydigkg {\n")
	fmt.Fprintf(&b, "  graph [label=%s, labelloc=t, fontname=\"Helvetica\", rankdir=LR];\n", dotQuote(p.Title))
	b.WriteString("  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];\n")
	b.WriteString("  edge [fontname=\"Helvetica\", fontsize=10];\n")
	for _, e := range p.Entities {
		fmt.Fprintf(&b, "  %s [label=%s, fillcolor=%s, tooltip=%s];\n", dotQuote(e.ID), dotQuote(e.Name+"\n"+string(e.Kind)), dotQuote(KindColors[e.Kind]), dotQuote(e.ID))
	}
	for _, l := range p.Links {
		fmt.Fprintf(&b, "  %s -> %s [%s, tooltip=%s];\n", dotQuote(l.Subject), dotQuote(l.Object), dotEdge(l.Effect), dotQuote(l.ID))
	}
	p.dotLegend(&b)
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// dotEdge is the style of a link of effect e: INCREASES a green arrow,
// DECREASES a red dashed line ending in a bar.
func dotEdge(e graph.Effect) string {
	if e == graph.Decreases {
		return fmt.Sprintf("color=%s, fontcolor=%s, label=\"decreases\", arrowhead=tee, style=dashed", dotQuote(decreaseColor), dotQuote(decreaseColor))
	}
	return fmt.Sprintf("color=%s, fontcolor=%s, label=\"increases\", arrowhead=normal", dotQuote(increaseColor), dotQuote(increaseColor))
}

// dotLegend draws a legend in a box of its own: a swatch for each kind
// the picture shows, and one arrow of each effect it shows. Its node ids
// start with a space, which no entity id has.
func (p *Picture) dotLegend(b *strings.Builder) {
	kinds := map[graph.Kind]bool{}
	for _, e := range p.Entities {
		kinds[e.Kind] = true
	}
	effects := map[graph.Effect]bool{}
	for _, l := range p.Links {
		effects[l.Effect] = true
	}
	if len(kinds) == 0 && len(effects) == 0 {
		return
	}
	b.WriteString("  subgraph cluster_legend {\n    label=\"legend\"; fontsize=10; color=\"#999999\";\n")
	for _, k := range graph.Kinds {
		if kinds[k] {
			fmt.Fprintf(b, "    %s [label=%s, fillcolor=%s, fontsize=9];\n", dotQuote(" legend "+string(k)), dotQuote(string(k)), dotQuote(KindColors[k]))
		}
	}
	for _, e := range []graph.Effect{graph.Increases, graph.Decreases} {
		if effects[e] {
			from, to := dotQuote(" legend "+string(e)+" from"), dotQuote(" legend "+string(e)+" to")
			fmt.Fprintf(b, "    %s [label=\"\", shape=point, width=0.05];\n    %s [label=\"\", shape=point, width=0.05];\n", from, to)
			fmt.Fprintf(b, "    %s -> %s [%s];\n", from, to, dotEdge(e))
		}
	}
	b.WriteString("  }\n")
}

// DOTString is DOT into a string.
func (p *Picture) DOTString() string {
	var b strings.Builder
	p.DOT(&b)
	return b.String()
}

func mermaidText(s string) string {
	r := strings.NewReplacer(`"`, "#quot;", "\n", " ", "\r", "", "<", "#lt;", ">", "#gt;")
	return `"` + r.Replace(s) + `"`
}

// Mermaid writes the picture as a Mermaid flowchart: INCREASES as -->
// arrows, DECREASES as --x (a cross end), coloured by classDef per kind.
func (p *Picture) Mermaid(w io.Writer) error {
	var b strings.Builder
	if p.Title != "" {
		t, _ := json.Marshal(strings.ReplaceAll(p.Title, "\n", " ")) // a JSON string is a YAML string
		fmt.Fprintf(&b, "---\ntitle: %s\n---\n", t)
	}
	b.WriteString("flowchart LR\n")
	ids := map[string]string{}
	for i, e := range p.Entities {
		ids[e.ID] = fmt.Sprintf("n%d", i)
		fmt.Fprintf(&b, "  n%d[%s]:::%s\n", i, mermaidText(e.Name), strings.ToLower(string(e.Kind)))
	}
	node := func(id string) string {
		if n, ok := ids[id]; ok {
			return n
		}
		n := fmt.Sprintf("n%d", len(ids))
		ids[id] = n
		fmt.Fprintf(&b, "  %s[%s]\n", n, mermaidText(id))
		return n
	}
	var inc, dec []string
	for i, l := range p.Links {
		if l.Effect == graph.Decreases {
			fmt.Fprintf(&b, "  %s --x|decreases| %s\n", node(l.Subject), node(l.Object))
			dec = append(dec, fmt.Sprint(i))
		} else {
			fmt.Fprintf(&b, "  %s -->|increases| %s\n", node(l.Subject), node(l.Object))
			inc = append(inc, fmt.Sprint(i))
		}
	}
	for _, k := range graph.Kinds {
		fmt.Fprintf(&b, "  classDef %s fill:%s\n", strings.ToLower(string(k)), KindColors[k])
	}
	if len(inc) > 0 {
		fmt.Fprintf(&b, "  linkStyle %s stroke:%s,color:%s\n", strings.Join(inc, ","), increaseColor, increaseColor)
	}
	if len(dec) > 0 {
		fmt.Fprintf(&b, "  linkStyle %s stroke:%s,color:%s,stroke-dasharray:5 3\n", strings.Join(dec, ","), decreaseColor, decreaseColor)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// MermaidString is Mermaid into a string.
func (p *Picture) MermaidString() string {
	var b strings.Builder
	p.Mermaid(&b)
	return b.String()
}

// SVG renders the picture in-process with Graphviz compiled to WebAssembly
// (github.com/goccy/go-graphviz): no cgo, no dot binary.
func (p *Picture) SVG(ctx context.Context, w io.Writer) error {
	return RenderSVG(ctx, w, []byte(p.DOTString()))
}

// RenderSVG lays out a DOT graph with dot and writes it as SVG.
func RenderSVG(ctx context.Context, w io.Writer, dot []byte) error {
	gv, err := graphviz.New(ctx)
	if err != nil {
		return fmt.Errorf("graphviz: %w", err)
	}
	defer gv.Close()
	g, err := graphviz.ParseBytes(dot)
	if err != nil {
		return fmt.Errorf("graphviz: parse: %w", err)
	}
	defer g.Close()
	var buf bytes.Buffer
	if err := gv.Render(ctx, g, graphviz.SVG, &buf); err != nil {
		return fmt.Errorf("graphviz: render: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}
