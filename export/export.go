package export

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/internal/format"
	"github.com/leydigkg/leydigkg/internal/layout"
	"github.com/leydigkg/leydigkg/kg"
)

// ErrFormat is an export format this package does not write.
var ErrFormat = errors.New("unknown export format")

// Writer writes an export: to one stream (One), or nodes and edges to
// two (Split); a format has one or both. One is given the batch and its
// picture.
type Writer struct {
	One   func(ctx context.Context, w io.Writer, b *graph.Batch, pic *Picture) error
	Split func(nodes, edges io.Writer, b *graph.Batch) error
}

// Writers are the formats an export writes, each with its writer.
var Writers = format.Registry[Writer]{
	{Format: format.NQuads, Codec: Writer{One: batchOnly(NQuads)},
		Help: "N-Quads in leydigkg's layout (loads into cayley unchanged)"},
	{Format: format.KGX, Codec: Writer{Split: KGX},
		Help: "KGX TSV: PATH_nodes.tsv and PATH_edges.tsv (needs --out PATH)"},
	{Format: format.KGXJSONL, Codec: Writer{One: batchOnly(func(w io.Writer, b *graph.Batch) error { return KGXJSONL(w, w, b) }), Split: KGXJSONL},
		Help: "KGX JSON Lines: PATH_nodes.jsonl and PATH_edges.jsonl, or both on stdout"},
	{Format: format.JSON, Codec: Writer{One: batchOnly(JSON)},
		Help: "one JSON document"},
	{Format: format.DOT, Codec: Writer{One: func(_ context.Context, w io.Writer, _ *graph.Batch, pic *Picture) error { return pic.DOT(w) }},
		Help: "a picture as Graphviz DOT (entities coloured by kind, DECREASES dashed red)"},
	{Format: format.Mermaid, Codec: Writer{One: func(_ context.Context, w io.Writer, _ *graph.Batch, pic *Picture) error { return pic.Mermaid(w) }},
		Help: "the picture as a Mermaid flowchart"},
	{Format: format.SVG, Codec: Writer{One: func(ctx context.Context, w io.Writer, _ *graph.Batch, pic *Picture) error { return pic.SVG(ctx, w) }},
		Help: "the picture as SVG"},
	{Format: format.CX2, Codec: Writer{One: picture((*Picture).CX2)},
		Help: "CX2 for NDEx and Cytoscape, with kind, xrefs, effect, belief, evidence (docs/exchange.md)"},
	{Format: format.Cytoscape, Codec: Writer{One: picture((*Picture).Cytoscape)},
		Help: "Cytoscape.js JSON (.cyjs; networkx.cytoscape_graph reads it), the same attributes"},
	{Format: format.GraphML, Codec: Writer{One: picture((*Picture).GraphML)},
		Help: "GraphML with typed attributes (networkx.read_graphml, Cytoscape, Gephi), the same attributes"},
	{Format: format.SIF, Codec: Writer{One: picture((*Picture).SIF)},
		Help: "signed SIF: subject, 1 or -1, object a line (CARNIVAL's and CellNOpt's networks)"},
}

func picture(write func(*Picture, io.Writer) error) func(context.Context, io.Writer, *graph.Batch, *Picture) error {
	return func(_ context.Context, w io.Writer, _ *graph.Batch, pic *Picture) error { return write(pic, w) }
}

func batchOnly(write func(io.Writer, *graph.Batch) error) func(context.Context, io.Writer, *graph.Batch, *Picture) error {
	return func(_ context.Context, w io.Writer, b *graph.Batch, _ *Picture) error { return write(w, b) }
}

// NQuads writes b as N-Quads in the store's own layout (layout.QuadsOf),
// sorted, with absolute IRIs only (layout.Absolute): rdf:type and the
// datatypes of numbers expanded, as RDF 1.1 N-Quads wants them. Each line
// is written once, as cayley's N-Quads writer writes it (appendTerm), into
// one buffer; the lines are sorted where they lie and written out in that
// order.
func NQuads(w io.Writer, b *graph.Batch) error {
	var text []byte
	var lines []nqLine
	var bad error
	layout.EachQuad(b, func(q quad.Quad) {
		q = layout.Absolute(q)
		if !q.IsValid() {
			bad = cmp.Or(bad, fmt.Errorf("%w: %v", quad.ErrInvalid, q))
			return
		}
		start := len(text)
		text = appendTerm(text, q.Subject)
		text = appendTerm(append(text, ' '), q.Predicate)
		text = appendTerm(append(text, ' '), q.Object)
		if q.Label != nil {
			text = appendTerm(append(text, ' '), q.Label)
		}
		text = append(text, " .\n"...)
		lines = append(lines, nqLine{start, len(text)})
	})
	if bad != nil {
		return bad
	}
	slices.SortFunc(lines, func(x, y nqLine) int { return bytes.Compare(text[x.start:x.end], text[y.start:y.end]) })
	bw := bufio.NewWriterSize(w, 64<<10)
	for _, l := range lines {
		if _, err := bw.Write(text[l.start:l.end]); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// nqLine is where one N-Quads line lies in NQuads' buffer.
type nqLine struct{ start, end int }

// appendTerm appends v as cayley's N-Quads writer writes it (v.String()),
// without building the string first.
func appendTerm(dst []byte, v quad.Value) []byte {
	switch v := v.(type) {
	case quad.IRI:
		return append(append(append(dst, '<'), v...), '>')
	case quad.BNode:
		return append(append(dst, "_:"...), v...)
	case quad.String:
		return appendQuoted(dst, string(v))
	case quad.TypedString:
		return appendTerm(append(appendQuoted(dst, string(v.Value)), "^^"...), v.Type)
	case quad.LangString:
		return append(append(appendQuoted(dst, string(v.Value)), '@'), v.Lang...)
	}
	return append(dst, v.String()...)
}

// appendQuoted quotes s as cayley's quad.String does: backslash, quote,
// newline, carriage return and tab escaped.
func appendQuoted(dst []byte, s string) []byte {
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\', '"':
			dst = append(dst, '\\', c)
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		default:
			dst = append(dst, c)
		}
	}
	return append(dst, '"')
}

// KGX columns this package writes. leydigkg_kind, leydigkg_category and
// leydigkg_alias hold what Biolink has no slot for: an entity's kind, its
// own categories (category gives an entity without any its kind's, as KGX
// wants one) and its old ids.
var (
	NodeColumns = []string{"id", "category", "name", "description", "xref", "synonym", "leydigkg_kind", "leydigkg_category", "leydigkg_alias"}
	EdgeColumns = []string{"id", "subject", "predicate", "object", "primary_knowledge_source", "knowledge_level",
		"agent_type", "publications", "qualified_predicate", "object_direction_qualifier", "negated",
		"aggregator_knowledge_source", "species_context_qualifier", "has_confidence_score",
		"leydigkg_cell_type", "leydigkg_tissue", "leydigkg_mechanism", "leydigkg_direct", "leydigkg_belief"}
)

func categories(e *graph.Entity) []string {
	if len(e.Categories) > 0 {
		return e.Categories
	}
	if c, ok := graph.KindCategories[e.Kind]; ok {
		return []string{c}
	}
	return nil
}

func nodeFields(e *graph.Entity) map[string]any {
	return map[string]any{
		"id": e.ID, "category": categories(e), "name": e.Name, "description": e.Description,
		"xref": sorted(e.Xrefs), "synonym": sorted(e.Synonyms), "leydigkg_kind": string(e.Kind),
		"leydigkg_category": sorted(e.Categories), // what the entity has: category may be its kind's
		"leydigkg_alias":    sorted(e.Aliases),
	}
}

// edgeFields gives a link's KGX edges: one for each source of its
// evidence and context of its items (negated, taxon, cell types, tissues,
// mechanism, directness, aggregators, score), as KGX expects, in source id
// order, a source's contexts in the order of their first items. The first
// edge keeps the link's id; a source's first edge otherwise adds @ and the
// source to it, its further ones @ and a count from 2 (ID@SOURCE@2). An
// edge carries the knowledge level and agent type of its first item, the
// publications of its items, its context, the source's own score as
// has_confidence_score, and the link's belief as leydigkg_belief. A link of
// a predicate that takes either sign states it as Biolink 4.x does:
// qualified_predicate biolink:causes and an object_direction_qualifier.
func edgeFields(l *graph.Link) []map[string]any {
	type group struct {
		first *graph.Evidence
		pubs  []string
	}
	var sources []string
	groups := map[string][]*group{}
	for j := range l.Evidence {
		e := &l.Evidence[j]
		if !slices.Contains(sources, e.Source) {
			sources = append(sources, e.Source)
		}
		gs := groups[e.Source]
		k := slices.IndexFunc(gs, func(g *group) bool { return sameContext(g.first, e) })
		if k < 0 {
			gs = append(gs, &group{first: e})
			groups[e.Source], k = gs, len(gs)-1
		}
		gs[k].pubs = append(gs[k].pubs, e.Publications...)
	}
	slices.Sort(sources)
	var out []map[string]any
	for i, src := range sources {
		for k, g := range groups[src] {
			id := l.ID
			if i > 0 || k > 0 {
				id += "@" + src
			}
			if k > 0 {
				id += "@" + strconv.Itoa(k+1)
			}
			first := g.first
			f := map[string]any{
				"id": id, "subject": l.Subject, "predicate": l.Predicate, "object": l.Object,
				"primary_knowledge_source": src, "knowledge_level": string(first.Level()), "agent_type": string(first.Agent()),
				"publications": sorted(g.pubs), "qualified_predicate": "", "object_direction_qualifier": "",
				"negated": first.Negated, "aggregator_knowledge_source": sorted(first.Aggregators),
				"species_context_qualifier": first.Taxon, "has_confidence_score": first.Score,
				"leydigkg_cell_type": sorted(first.CellTypes), "leydigkg_tissue": sorted(first.Tissues),
				"leydigkg_mechanism": first.Mechanism, "leydigkg_direct": first.Direct, "leydigkg_belief": &l.Confidence,
			}
			if graph.Predicates[l.Predicate] == "" {
				f["qualified_predicate"] = "biolink:causes"
				f["object_direction_qualifier"] = map[graph.Effect]string{graph.Increases: "upregulated", graph.Decreases: "downregulated"}[l.Effect]
			}
			out = append(out, f)
		}
	}
	return out
}

// sameContext reports whether two items of a source go on one KGX edge:
// the same negation and context.
func sameContext(x, y *graph.Evidence) bool {
	eq := func(a, b []string) bool { return slices.Equal(sorted(a), sorted(b)) }
	return x.Negated == y.Negated && x.Taxon == y.Taxon && x.Mechanism == y.Mechanism &&
		eq(x.CellTypes, y.CellTypes) && eq(x.Tissues, y.Tissues) && eq(x.Aggregators, y.Aggregators) &&
		(x.Direct == nil) == (y.Direct == nil) && (x.Direct == nil || *x.Direct == *y.Direct) &&
		(x.Score == nil) == (y.Score == nil) && (x.Score == nil || *x.Score == *y.Score)
}

// kgxValue is a field's value as KGX writes it: text, a list, or nothing
// (a false negation, an unset flag or number).
func kgxValue(v any) any {
	switch x := v.(type) {
	case bool:
		if x {
			return true
		}
		return nil
	case *bool:
		if x != nil {
			return *x
		}
		return nil
	case *float64:
		if x != nil {
			return *x
		}
		return nil
	}
	return v
}

func sorted(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return slices.Compact(out)
}

// KGX writes b as KGX TSV: a nodes file and an edges file. Lists are
// joined by |; a value holding a tab, a newline or | cannot be written
// and is an error (KGX TSV has no quoting).
func KGX(nodes, edges io.Writer, b *graph.Batch) error {
	write := func(w io.Writer, cols []string, rows []map[string]any) error {
		bw := bufio.NewWriter(w)
		bw.WriteString(strings.Join(cols, "\t") + "\n")
		for _, r := range rows {
			for i, c := range cols {
				if i > 0 {
					bw.WriteByte('\t')
				}
				var v string
				switch x := kgxValue(r[c]).(type) {
				case bool:
					v = strconv.FormatBool(x)
				case float64:
					v = strconv.FormatFloat(x, 'f', -1, 64)
				case string:
					if strings.ContainsAny(x, "\t\n\r") {
						return fmt.Errorf("kgx: %s %q of %v holds a tab or a newline", c, x, r["id"])
					}
					v = x
				case []string:
					for _, s := range x {
						if strings.ContainsAny(s, "\t\n\r|") {
							return fmt.Errorf("kgx: %s %q of %v holds a tab, a newline or |", c, s, r["id"])
						}
					}
					v = strings.Join(x, "|")
				}
				bw.WriteString(v)
			}
			bw.WriteByte('\n')
		}
		return bw.Flush()
	}
	ns, es := rows(b)
	if err := write(nodes, NodeColumns, ns); err != nil {
		return err
	}
	return write(edges, EdgeColumns, es)
}

func rows(b *graph.Batch) (nodes, edges []map[string]any) {
	ents := slices.Clone(b.Entities)
	slices.SortFunc(ents, func(x, y graph.Entity) int { return cmp.Compare(x.ID, y.ID) })
	links := slices.Clone(b.Links)
	slices.SortFunc(links, func(x, y graph.Link) int { return cmp.Compare(x.ID, y.ID) })
	for i := range ents {
		nodes = append(nodes, nodeFields(&ents[i]))
	}
	for i := range links {
		edges = append(edges, edgeFields(&links[i])...)
	}
	rels := slices.Clone(b.Relations)
	slices.SortFunc(rels, func(x, y graph.Relation) int { return cmp.Compare(x.Key(), y.Key()) })
	for i := range rels {
		edges = append(edges, relationFields(&rels[i])...)
	}
	return nodes, edges
}

// relationFields gives a part-of or subclass-of relation's KGX edges, as
// edgeFields does a link's: one for each source of its evidence, the
// first with the relation's key as id ("subject predicate object", what
// the loaders name an edge without one), without a sign or a score.
func relationFields(r *graph.Relation) []map[string]any {
	var sources []string
	for _, e := range r.Evidence {
		if !slices.Contains(sources, e.Source) {
			sources = append(sources, e.Source)
		}
	}
	slices.Sort(sources)
	out := make([]map[string]any, 0, len(sources))
	for i, src := range sources {
		var first *graph.Evidence
		var pubs []string
		for j := range r.Evidence {
			if e := &r.Evidence[j]; e.Source == src {
				if first == nil {
					first = e
				}
				pubs = append(pubs, e.Publications...)
			}
		}
		id := r.Key()
		if i > 0 {
			id += "@" + src
		}
		out = append(out, map[string]any{
			"id": id, "subject": r.Subject, "predicate": r.Predicate, "object": r.Object,
			"primary_knowledge_source": src, "knowledge_level": string(first.Level()), "agent_type": string(first.Agent()),
			"publications": sorted(pubs), "qualified_predicate": "", "object_direction_qualifier": "", "has_confidence_score": "",
		})
	}
	return out
}

// KGXJSONL writes b as KGX JSON Lines, nodes then edges; nodes and edges
// may be the same writer (one file the loaders read as both).
func KGXJSONL(nodes, edges io.Writer, b *graph.Batch) error {
	ns, es := rows(b)
	write := func(w io.Writer, cols []string, rows []map[string]any) error {
		bw := bufio.NewWriter(w)
		for _, r := range rows {
			// Fields in column order, empty ones left out but
			// leydigkg_category, where [] says "no categories" (category
			// then holds the kind's).
			var sb strings.Builder
			sb.WriteByte('{')
			n := 0
			for _, c := range cols {
				v := kgxValue(r[c])
				if v == nil {
					continue
				}
				if s, ok := v.(string); ok && s == "" {
					continue
				}
				if l, ok := v.([]string); ok && len(l) == 0 {
					if c != "leydigkg_category" {
						continue
					}
					v = []string{}
				}
				kb, _ := json.Marshal(c)
				vb, err := json.Marshal(v)
				if err != nil {
					return err
				}
				if n > 0 {
					sb.WriteByte(',')
				}
				sb.Write(kb)
				sb.WriteByte(':')
				sb.Write(vb)
				n++
			}
			sb.WriteString("}\n")
			bw.WriteString(sb.String())
		}
		return bw.Flush()
	}
	if err := write(nodes, NodeColumns, ns); err != nil {
		return err
	}
	return write(edges, EdgeColumns, es)
}

// JSON writes b as one JSON document: sources, references, entities and
// links, each sorted by id, and relations (when there are any) by subject,
// predicate and object.
func JSON(w io.Writer, b *graph.Batch) error {
	c := sortedBatch(b)
	emptyLists(c)
	doc := struct {
		Sources    []graph.Source    `json:"sources"`
		References []graph.Reference `json:"references"`
		Entities   []graph.Entity    `json:"entities"`
		Links      []graph.Link      `json:"links"`
		Relations  []graph.Relation  `json:"relations,omitempty"`
	}{c.Sources, c.References, c.Entities, c.Links, c.Relations}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// emptyLists writes the lists of c as every store gives them back: a list
// a record always has as [] when it is nil (a bolt store has no quad for an
// empty list), and a set (synonyms, xrefs, references, …) sorted, as a
// store reads it. A JSON export loaded into any store then exports the
// same bytes. c's lists are its own afterwards (c is sortedBatch's copy).
func emptyLists(c *graph.Batch) {
	set := func(l *[]string, always bool) {
		switch {
		case *l == nil && always:
			*l = []string{}
		case len(*l) > 1:
			*l = slices.Sorted(slices.Values(*l))
		}
	}
	evidence := func(evs *[]graph.Evidence) {
		*evs = slices.Clone(*evs)
		for i := range *evs {
			e := &(*evs)[i]
			set(&e.References, true)
			for _, l := range []*[]string{&e.Publications, &e.CellTypes, &e.Tissues, &e.Aggregators} {
				set(l, false)
			}
		}
	}
	for i := range c.Entities {
		e := &c.Entities[i]
		set(&e.Synonyms, true)
		set(&e.Xrefs, true)
		set(&e.Categories, false)
		set(&e.Aliases, false)
	}
	for i := range c.References {
		if c.References[i].Authors == nil {
			c.References[i].Authors = []string{}
		}
	}
	for i := range c.Links {
		l := &c.Links[i]
		set(&l.Aliases, false)
		evidence(&l.Evidence)
		if len(l.ShortcutOf) > 1 { // a set of chains, read back in the order of their words
			l.ShortcutOf = slices.Clone(l.ShortcutOf)
			slices.SortFunc(l.ShortcutOf, func(a, b []string) int { return strings.Compare(strings.Join(a, " "), strings.Join(b, " ")) })
		}
	}
	for i := range c.Relations {
		evidence(&c.Relations[i].Evidence)
	}
}

func sortedBatch(b *graph.Batch) *graph.Batch {
	c := &graph.Batch{
		Sources:    slices.Clone(b.Sources),
		References: slices.Clone(b.References),
		Entities:   slices.Clone(b.Entities),
		Links:      slices.Clone(b.Links),
		Relations:  slices.Clone(b.Relations),
	}
	slices.SortFunc(c.Relations, func(x, y graph.Relation) int { return cmp.Compare(x.Key(), y.Key()) })
	slices.SortFunc(c.Sources, func(x, y graph.Source) int { return cmp.Compare(x.ID, y.ID) })
	slices.SortFunc(c.References, func(x, y graph.Reference) int { return cmp.Compare(x.ID, y.ID) })
	slices.SortFunc(c.Entities, func(x, y graph.Entity) int { return cmp.Compare(x.ID, y.ID) })
	slices.SortFunc(c.Links, func(x, y graph.Link) int { return cmp.Compare(x.ID, y.ID) })
	return c
}

// Neighbourhood returns the entities within depth links of id (either
// direction), the links among them, and the sources and references their
// evidence cites: a Batch that loads on its own.
func Neighbourhood(ctx context.Context, s *kg.Store, id string, depth int) (*graph.Batch, error) {
	start, err := s.Resolve(ctx, id)
	if err != nil {
		return nil, err
	}
	seen := map[string]*graph.Entity{start.ID: start}
	links := map[string]*graph.Link{}
	frontier := []string{start.ID}
	for d := 0; d < depth && len(frontier) > 0; d++ {
		var next []string
		for _, n := range frontier {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			out, err := s.Outgoing(ctx, n, "", 0)
			if err != nil {
				return nil, err
			}
			in, err := s.Incoming(ctx, n, "", 0)
			if err != nil {
				return nil, err
			}
			for _, l := range append(out, in...) {
				links[l.ID] = l
				for _, end := range []string{l.Subject, l.Object} {
					if _, ok := seen[end]; !ok {
						e, err := s.Entity(ctx, end)
						if err != nil {
							return nil, err
						}
						seen[end] = e
						next = append(next, end)
					}
				}
			}
		}
		frontier = next
	}
	b := &graph.Batch{}
	for _, e := range seen {
		b.Entities = append(b.Entities, *e)
	}
	for _, l := range links {
		b.Links = append(b.Links, *l)
	}
	return withCitations(ctx, s, b)
}

// FromTrace returns the entities and links of a trace's chains, with the
// sources and references their evidence cites.
func FromTrace(ctx context.Context, s *kg.Store, res *graph.TraceResult) (*graph.Batch, error) {
	b := &graph.Batch{}
	ents := map[string]bool{}
	links := map[string]bool{}
	add := func(e *graph.Entity) {
		if !ents[e.ID] {
			ents[e.ID] = true
			b.Entities = append(b.Entities, *e)
		}
	}
	add(res.From)
	add(res.To)
	for _, p := range res.Paths {
		for _, e := range p.Entities {
			add(e)
		}
		for _, l := range p.Links {
			if !links[l.ID] {
				links[l.ID] = true
				b.Links = append(b.Links, *l)
			}
		}
	}
	return withCitations(ctx, s, b)
}

func withCitations(ctx context.Context, s *kg.Store, b *graph.Batch) (*graph.Batch, error) {
	srcs, refs := map[string]bool{}, map[string]bool{}
	for _, l := range b.Links {
		for _, ev := range l.Evidence {
			if ev.Source != "" && !srcs[ev.Source] {
				srcs[ev.Source] = true
				x, err := s.Source(ctx, ev.Source)
				if err != nil {
					return nil, err
				}
				b.Sources = append(b.Sources, *x)
			}
			for _, r := range ev.References {
				if !refs[r] {
					refs[r] = true
					x, err := s.Reference(ctx, r)
					if err != nil {
						return nil, err
					}
					b.References = append(b.References, *x)
				}
			}
		}
	}
	return sortedBatch(b), nil
}
