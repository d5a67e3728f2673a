package export

import (
	"bufio"
	"cmp"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/leydigkg/leydigkg/graph"
)

// Exchange formats for network tools: CX2 (NDEx, Cytoscape), Cytoscape.js
// JSON, GraphML and signed SIF. Each writes a Picture (its entities and
// links, sorted by id) with the same attributes:
//
//	nodes: name, kind, xrefs (and in CX2, where node ids are numbers, leydigkg_id)
//	edges: interaction ("increases" or "decreases"), effect (INCREASES or
//	       DECREASES), sign (1 or -1), predicate, confidence (the belief,
//	       0..1), evidence_count, sources (source ids), references
//	       (reference ids), publications (CURIEs), and in CX2 leydigkg_id
//
// An entity a link names but the picture lacks is added as a node named by
// its id, so that every edge's ends are nodes.

// Attr is an attribute the exchange formats write, with its type as CX2
// names it: string, double, integer or list_of_string.
type Attr struct{ Name, Type string }

// NodeAttrs and EdgeAttrs are the attributes of nodes and edges, in the
// order GraphML declares them.
var (
	NodeAttrs = []Attr{{"name", "string"}, {"kind", "string"}, {"xrefs", "list_of_string"}}
	EdgeAttrs = []Attr{{"interaction", "string"}, {"effect", "string"}, {"sign", "integer"}, {"predicate", "string"},
		{"confidence", "double"}, {"evidence_count", "integer"}, {"sources", "list_of_string"},
		{"references", "list_of_string"}, {"publications", "list_of_string"}, {"denied_by", "list_of_string"}}
)

// double is a float64 that JSON always writes with a decimal point or an
// exponent (1.0, not 1), so that readers that type values by their look
// (Python's json, NDEx) see a double where one is declared.
type double float64

func (d double) MarshalJSON() ([]byte, error) { return []byte(formatDouble(float64(d))), nil }

func formatDouble(f float64) string {
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if !strings.ContainsAny(s, ".eEn") { // n: NaN, Inf
		s += ".0"
	}
	return s
}

// network is a picture's nodes (with any missing ends added) and its
// asserted links. A link only negated evidence supports (a claim its
// sources deny) is no edge of a signed network: a tool reading the sign
// would take the denial for the claim.
func (p *Picture) network() ([]*graph.Entity, []*graph.Link) {
	q := p.sorted()
	have := map[string]bool{}
	for _, e := range q.Entities {
		have[e.ID] = true
	}
	nodes := q.Entities
	links := slices.DeleteFunc(slices.Clone(q.Links), func(l *graph.Link) bool { return !l.Asserted() })
	for _, l := range links {
		for _, end := range []string{l.Subject, l.Object} {
			if !have[end] {
				have[end] = true
				nodes = append(nodes, &graph.Entity{ID: end, Name: end})
			}
		}
	}
	slices.SortFunc(nodes, func(x, y *graph.Entity) int { return cmp.Compare(x.ID, y.ID) })
	return nodes, links
}

func list(s []string) []string {
	out := sorted(s)
	if out == nil {
		out = []string{}
	}
	return out
}

// nodeValues are an entity's attributes, by NodeAttrs' names.
func nodeValues(e *graph.Entity) map[string]any {
	return map[string]any{"name": e.Name, "kind": string(e.Kind), "xrefs": list(e.Xrefs)}
}

// edgeValues are a link's attributes, by EdgeAttrs' names: the evidence it
// rests on summed up as a count, the sources and references cited, and the
// publications; the sources of items that deny it apart (denied_by), so
// that a denial is not read as support.
func edgeValues(l *graph.Link) map[string]any {
	var srcs, refs, pubs, against []string
	count := 0
	for _, ev := range l.Evidence {
		if ev.Negated {
			if ev.Source != "" {
				against = append(against, ev.Source)
			}
			continue
		}
		count++
		if ev.Source != "" {
			srcs = append(srcs, ev.Source)
		}
		refs = append(refs, ev.References...)
		pubs = append(pubs, ev.Publications...)
	}
	return map[string]any{
		"interaction": strings.ToLower(string(l.Effect)), "effect": string(l.Effect), "sign": l.Effect.Sign(),
		"predicate": l.Predicate, "confidence": double(l.Confidence), "evidence_count": count,
		"sources": list(srcs), "references": list(refs), "publications": list(pubs), "denied_by": list(against),
	}
}

// CX2 writes the picture as CX2, the Cytoscape Exchange format version 2
// that NDEx and Cytoscape read: a JSON array of aspects, in the order the
// specification and ndex2's CX2Network.to_cx2 give them: the CXVersion
// header, metaData (each aspect's element count), attributeDeclarations
// (every attribute's type), networkAttributes (the title as name), nodes
// ({id, v}), edges ({id, s, t, v}) and status. Node and edge ids are
// numbers, in id order; leydigkg's ids are the leydigkg_id attribute.
func (p *Picture) CX2(w io.Writer) error {
	nodes, links := p.network()
	decl := func(attrs []Attr) map[string]any {
		m := map[string]any{"leydigkg_id": map[string]string{"d": "string"}}
		for _, a := range attrs {
			m[a.Name] = map[string]string{"d": a.Type}
		}
		return m
	}
	type cxNode struct {
		ID int64          `json:"id"`
		V  map[string]any `json:"v"`
	}
	type cxEdge struct {
		ID int64          `json:"id"`
		S  int64          `json:"s"`
		T  int64          `json:"t"`
		V  map[string]any `json:"v"`
	}
	ids := map[string]int64{}
	cxNodes := make([]cxNode, len(nodes))
	for i, e := range nodes {
		ids[e.ID] = int64(i)
		v := nodeValues(e)
		v["leydigkg_id"] = e.ID
		cxNodes[i] = cxNode{int64(i), v}
	}
	cxEdges := make([]cxEdge, len(links))
	for i, l := range links {
		v := edgeValues(l)
		v["leydigkg_id"] = l.ID
		cxEdges[i] = cxEdge{int64(i), ids[l.Subject], ids[l.Object], v}
	}
	type meta struct {
		ElementCount int    `json:"elementCount"`
		Name         string `json:"name"`
	}
	doc := []any{
		map[string]any{"CXVersion": "2.0", "hasFragments": false},
		map[string]any{"metaData": []meta{{1, "attributeDeclarations"}, {1, "networkAttributes"}, {len(cxNodes), "nodes"}, {len(cxEdges), "edges"}}},
		map[string]any{"attributeDeclarations": []any{map[string]any{
			"networkAttributes": map[string]any{"name": map[string]string{"d": "string"}},
			"nodes":             decl(NodeAttrs),
			"edges":             decl(EdgeAttrs),
		}}},
		map[string]any{"networkAttributes": []any{map[string]any{"name": p.Title}}},
		map[string]any{"nodes": cxNodes},
		map[string]any{"edges": cxEdges},
		map[string]any{"status": []any{map[string]any{"error": "", "success": true}}},
	}
	return writeJSON(w, doc)
}

func writeJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// Cytoscape writes the picture as Cytoscape.js JSON (what cy.json() and
// Cytoscape's .cyjs files hold, and networkx.cytoscape_graph reads):
// {data, directed, multigraph, elements: {nodes: [{data: {id, ...}}],
// edges: [{data: {id, source, target, ...}}]}}. A node's data repeats its
// id as value and an edge's as key, which NetworkX needs (two links may
// join the same two entities).
func (p *Picture) Cytoscape(w io.Writer) error {
	nodes, links := p.network()
	type element struct {
		Data map[string]any `json:"data"`
	}
	ns := make([]element, len(nodes))
	for i, e := range nodes {
		d := nodeValues(e)
		d["id"], d["value"] = e.ID, e.ID
		ns[i] = element{d}
	}
	es := make([]element, len(links))
	for i, l := range links {
		d := edgeValues(l)
		d["id"], d["key"], d["source"], d["target"] = l.ID, l.ID, l.Subject, l.Object
		es[i] = element{d}
	}
	doc := struct {
		Data       map[string]any `json:"data"`
		Directed   bool           `json:"directed"`
		Multigraph bool           `json:"multigraph"`
		Elements   struct {
			Nodes []element `json:"nodes"`
			Edges []element `json:"edges"`
		} `json:"elements"`
	}{Data: map[string]any{"name": p.Title}, Directed: true, Multigraph: true}
	doc.Elements.Nodes, doc.Elements.Edges = ns, es
	return writeJSON(w, doc)
}

// graphMLTypes maps the attributes' types to GraphML's attr.type. GraphML
// has no lists: a list is one string, its items joined by |.
var graphMLTypes = map[string]string{"string": "string", "double": "double", "integer": "int", "list_of_string": "string"}

func xmlText(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s)) // escapes & < > " ' and line ends, replaces what XML cannot hold
	return b.String()
}

func graphMLValue(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []string:
		return strings.Join(x, "|")
	case int:
		return strconv.Itoa(x)
	case double:
		return formatDouble(float64(x))
	}
	panic(fmt.Sprintf("graphml: value of type %T", v))
}

// GraphML writes the picture as GraphML (graphml.graphdrawing.org): a
// directed graph with typed <key> declarations (attr.name, attr.type:
// string, int or double) for the graph's name and every node and edge
// attribute; lists are strings joined by |. NetworkX (read_graphml),
// Cytoscape, Gephi and yEd read it.
func (p *Picture) GraphML(w io.Writer) error {
	nodes, links := p.network()
	bw := bufio.NewWriter(w)
	bw.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">
  <key id="g_name" for="graph" attr.name="name" attr.type="string"/>
`)
	keys := func(prefix, kind string, attrs []Attr) {
		for _, a := range attrs {
			fmt.Fprintf(bw, "  <key id=\"%s_%s\" for=\"%s\" attr.name=\"%s\" attr.type=\"%s\"/>\n", prefix, a.Name, kind, a.Name, graphMLTypes[a.Type])
		}
	}
	keys("n", "node", NodeAttrs)
	keys("e", "edge", EdgeAttrs)
	fmt.Fprintf(bw, "  <graph id=\"leydigkg\" edgedefault=\"directed\">\n    <data key=\"g_name\">%s</data>\n", xmlText(p.Title))
	data := func(prefix string, attrs []Attr, v map[string]any) {
		for _, a := range attrs {
			fmt.Fprintf(bw, "      <data key=\"%s_%s\">%s</data>\n", prefix, a.Name, xmlText(graphMLValue(v[a.Name])))
		}
	}
	for _, e := range nodes {
		fmt.Fprintf(bw, "    <node id=\"%s\">\n", xmlText(e.ID))
		data("n", NodeAttrs, nodeValues(e))
		bw.WriteString("    </node>\n")
	}
	for _, l := range links {
		fmt.Fprintf(bw, "    <edge id=\"%s\" source=\"%s\" target=\"%s\">\n", xmlText(l.ID), xmlText(l.Subject), xmlText(l.Object))
		data("e", EdgeAttrs, edgeValues(l))
		bw.WriteString("    </edge>\n")
	}
	bw.WriteString("  </graph>\n</graphml>\n")
	return bw.Flush()
}

// SIF writes the picture as a signed SIF: a line per link, "subject TAB
// sign TAB object", the sign 1 (INCREASES) or -1 (DECREASES), entities by
// id, no header. This is the prior-knowledge network of CARNIVAL (source,
// interaction, target with 1/-1) and the SIF CellNOpt's readSIF takes;
// Cytoscape reads it too (1 and -1 as the interaction). Lines are sorted;
// links that differ only in predicate give one line. An id holding a tab
// or a line end cannot be written and is an error.
func (p *Picture) SIF(w io.Writer) error {
	_, links := p.network()
	lines := make([]string, 0, len(links))
	for _, l := range links {
		for _, id := range []string{l.Subject, l.Object} {
			if strings.ContainsAny(id, "\t\r\n") {
				return fmt.Errorf("sif: entity id %q holds a tab or a line end", id)
			}
		}
		lines = append(lines, l.Subject+"\t"+strconv.Itoa(l.Effect.Sign())+"\t"+l.Object+"\n")
	}
	slices.Sort(lines)
	lines = slices.Compact(lines)
	_, err := io.WriteString(w, strings.Join(lines, ""))
	return err
}

// Exchange is the picture in one of the exchange formats by its name
// (cx2, cytoscape, graphml, sif), as a string. An unknown name or a
// failed write gives "" and the error.
func (p *Picture) Exchange(name string) (string, error) {
	var b strings.Builder
	var err error
	switch name {
	case "cx2":
		err = p.CX2(&b)
	case "cytoscape":
		err = p.Cytoscape(&b)
	case "graphml":
		err = p.GraphML(&b)
	case "sif":
		err = p.SIF(&b)
	default:
		err = fmt.Errorf("%w %q", ErrFormat, name)
	}
	if err != nil {
		return "", err
	}
	return b.String(), nil
}

// Resolve is Exchange for a GraphQL resolver: a thunk (graphql-go runs a
// resolver's func() (any, error) after the other fields) whose error is the
// field's.
func (p *Picture) Resolve(name string) func() (any, error) {
	return func() (any, error) { return p.Exchange(name) }
}
