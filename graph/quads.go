package graph

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/cayleygraph/quad"
)

// How the domain types are laid out as quads. Every record is a node named by
// an IRI in the urn:leydigkg: namespace; a link is a node of its own, with its
// evidence items as nodes hanging off it, so that any number of quotes and
// references can support one causal claim.
//
//	<urn:leydigkg:link:gnrh_increases_lh> <rdf:type> <urn:leydigkg:Link> .
//	<urn:leydigkg:link:gnrh_increases_lh> <urn:leydigkg:subject> <urn:leydigkg:entity:gnrh> .
//	<urn:leydigkg:link:gnrh_increases_lh> <urn:leydigkg:effect> "INCREASES" .
//	<urn:leydigkg:link:gnrh_increases_lh> <urn:leydigkg:evidence> <urn:leydigkg:link:gnrh_increases_lh#evidence-0> .
//	<urn:leydigkg:link:gnrh_increases_lh#evidence-0> <urn:leydigkg:quote> "It sends a signal, ..." .
const ns = "urn:leydigkg:"

// Predicates and classes of the quad vocabulary.
var (
	rdfType = quad.IRI("rdf:type")

	classEntity    = quad.IRI(ns + "Entity")
	classLink      = quad.IRI(ns + "Link")
	classEvidence  = quad.IRI(ns + "Evidence")
	classSource    = quad.IRI(ns + "Source")
	classReference = quad.IRI(ns + "Reference")

	pName        = quad.IRI(ns + "name")
	pKind        = quad.IRI(ns + "kind")
	pDescription = quad.IRI(ns + "description")
	pSynonym     = quad.IRI(ns + "synonym")
	pXref        = quad.IRI(ns + "xref")
	pSubject     = quad.IRI(ns + "subject")
	pObject      = quad.IRI(ns + "object")
	pEffect      = quad.IRI(ns + "effect")
	pPredicate   = quad.IRI(ns + "predicate")
	pMechanism   = quad.IRI(ns + "mechanism")
	pConfidence  = quad.IRI(ns + "confidence")
	pEvidence    = quad.IRI(ns + "evidence")
	pPosition    = quad.IRI(ns + "position")
	pQuote       = quad.IRI(ns + "quote")
	pSection     = quad.IRI(ns + "section")
	pSource      = quad.IRI(ns + "source")
	pReference   = quad.IRI(ns + "reference")
	pTitle       = quad.IRI(ns + "title")
	pCitation    = quad.IRI(ns + "citation")
	pAuthors     = quad.IRI(ns + "authors")
	pJournal     = quad.IRI(ns + "journal")
	pYear        = quad.IRI(ns + "year")
	pCategory    = quad.IRI(ns + "category")
	pPublication = quad.IRI(ns + "publication")
	pKnowledge   = quad.IRI(ns + "knowledgeSource")
)

// authorSep joins a reference's authors into one literal, keeping their order.
const authorSep = "; "

func entityIRI(id string) quad.IRI    { return quad.IRI(ns + "entity:" + id) }
func linkIRI(id string) quad.IRI      { return quad.IRI(ns + "link:" + id) }
func sourceIRI(id string) quad.IRI    { return quad.IRI(ns + "source:" + id) }
func referenceIRI(id string) quad.IRI { return quad.IRI(ns + "reference:" + id) }
func evidenceIRI(link string, i int) quad.IRI {
	return quad.IRI(ns + "link:" + link + "#evidence-" + strconv.Itoa(i))
}

// idOf strips the prefix of one of the record IRIs above.
func idOf(v quad.Value, prefix string) (string, bool) {
	iri, ok := v.(quad.IRI)
	if !ok {
		return "", false
	}
	return strings.CutPrefix(string(iri), ns+prefix)
}

// quadsOf lays out every record of b as quads.
func quadsOf(b *Batch) []quad.Quad {
	var qs []quad.Quad
	add := func(s quad.Value, p quad.IRI, o quad.Value) {
		qs = append(qs, quad.Quad{Subject: s, Predicate: p, Object: o})
	}
	str := func(s quad.Value, p quad.IRI, v string) {
		if v != "" {
			add(s, p, quad.String(v))
		}
	}
	for _, src := range b.Sources {
		n := sourceIRI(src.ID)
		add(n, rdfType, classSource)
		str(n, pTitle, src.Title)
	}
	for _, r := range b.References {
		n := referenceIRI(r.ID)
		add(n, rdfType, classReference)
		str(n, pCitation, r.Citation)
		str(n, pAuthors, strings.Join(r.Authors, authorSep))
		str(n, pTitle, r.Title)
		str(n, pJournal, r.Journal)
		if r.Year != 0 {
			add(n, pYear, quad.Int(r.Year))
		}
	}
	for _, e := range b.Entities {
		n := entityIRI(e.ID)
		add(n, rdfType, classEntity)
		str(n, pName, e.Name)
		str(n, pKind, string(e.Kind))
		str(n, pDescription, e.Description)
		for _, s := range uniq(e.Synonyms) {
			str(n, pSynonym, s)
		}
		for _, x := range uniq(e.Xrefs) {
			str(n, pXref, x)
		}
		for _, c := range uniq(e.Categories) {
			str(n, pCategory, c)
		}
	}
	for _, l := range b.Links {
		n := linkIRI(l.ID)
		add(n, rdfType, classLink)
		add(n, pSubject, entityIRI(l.Subject))
		add(n, pObject, entityIRI(l.Object))
		str(n, pEffect, string(l.Effect))
		str(n, pPredicate, l.Predicate)
		str(n, pMechanism, l.Mechanism)
		add(n, pConfidence, quad.Float(l.Confidence))
		for _, p := range uniq(l.Publications) {
			str(n, pPublication, p)
		}
		str(n, pKnowledge, l.KnowledgeSource)
		for i, ev := range l.Evidence {
			en := evidenceIRI(l.ID, i)
			add(n, pEvidence, en)
			add(en, rdfType, classEvidence)
			add(en, pPosition, quad.Int(i))
			str(en, pQuote, ev.Quote)
			str(en, pSection, ev.Section)
			add(en, pSource, sourceIRI(ev.Source))
			for _, r := range uniq(ev.References) {
				add(en, pReference, referenceIRI(r))
			}
		}
	}
	return qs
}

// uniq drops repeated values of a list (a synonym listed twice), so that
// no quad is written twice: some backends refuse that within one
// transaction. Every other quad has a subject of its own record, so lists
// are the only source of repeats, and they are short.
func uniq(vs []string) []string {
	if len(vs) > 32 {
		seen := make(map[string]bool, len(vs))
		out := make([]string, 0, len(vs))
		for _, v := range vs {
			if !seen[v] {
				seen[v] = true
				out = append(out, v)
			}
		}
		return out
	}
	for i := 1; i < len(vs); i++ {
		if slices.Contains(vs[:i], vs[i]) {
			out := slices.Clone(vs[:i])
			for _, v := range vs[i+1:] {
				if !slices.Contains(out, v) {
					out = append(out, v)
				}
			}
			return out
		}
	}
	return vs
}

// decoder rebuilds domain records from the quads of a store.
type decoder struct {
	nodes map[quad.Value]map[quad.IRI][]quad.Value
}

func newDecoder() *decoder {
	return &decoder{nodes: map[quad.Value]map[quad.IRI][]quad.Value{}}
}

func (d *decoder) add(q quad.Quad) {
	p, ok := q.Predicate.(quad.IRI)
	if !ok {
		return
	}
	m := d.nodes[q.Subject]
	if m == nil {
		m = map[quad.IRI][]quad.Value{}
		d.nodes[q.Subject] = m
	}
	m[p] = append(m[p], q.Object)
}

func (d *decoder) str(n quad.Value, p quad.IRI) string {
	vs := d.nodes[n][p]
	if len(vs) == 0 {
		return ""
	}
	return quad.ToString(vs[0])
}

func (d *decoder) strs(n quad.Value, p quad.IRI) []string {
	vs := d.nodes[n][p]
	if len(vs) == 0 {
		return nil
	}
	out := make([]string, 0, len(vs))
	for _, v := range vs {
		out = append(out, quad.ToString(v))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func (d *decoder) num(n quad.Value, p quad.IRI) float64 {
	vs := d.nodes[n][p]
	if len(vs) == 0 {
		return 0
	}
	switch v := vs[0].(type) {
	case quad.Float:
		return float64(v)
	case quad.Int:
		return float64(v)
	default:
		f, _ := strconv.ParseFloat(quad.ToString(v), 64)
		return f
	}
}

func (d *decoder) ids(n quad.Value, p quad.IRI, prefix string) []string {
	var out []string
	for _, v := range d.nodes[n][p] {
		if id, ok := idOf(v, prefix); ok {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

func (d *decoder) id(n quad.Value, p quad.IRI, prefix string) string {
	for _, v := range d.nodes[n][p] {
		if id, ok := idOf(v, prefix); ok {
			return id
		}
	}
	return ""
}

// records turns the decoded nodes back into domain records.
// Nodes of other classes (quads another tool put in the same store) are left
// alone.
func (d *decoder) records() records {
	var entities []*Entity
	var links []*Link
	var refs []*Reference
	var sources []*Source
	for n, preds := range d.nodes {
		for _, class := range preds[rdfType] {
			switch class {
			case classEntity:
				id, _ := idOf(n, "entity:")
				entities = append(entities, &Entity{
					ID:          id,
					Name:        d.str(n, pName),
					Kind:        Kind(d.str(n, pKind)),
					Description: d.str(n, pDescription),
					Synonyms:    d.strs(n, pSynonym),
					Xrefs:       d.strs(n, pXref),
					Categories:  d.strs(n, pCategory),
				})
			case classLink:
				id, _ := idOf(n, "link:")
				l := &Link{
					ID:         id,
					Subject:    d.id(n, pSubject, "entity:"),
					Object:     d.id(n, pObject, "entity:"),
					Effect:     Effect(d.str(n, pEffect)),
					Predicate:  d.str(n, pPredicate),
					Mechanism:  d.str(n, pMechanism),
					Confidence: d.num(n, pConfidence),

					Publications:    d.strs(n, pPublication),
					KnowledgeSource: d.str(n, pKnowledge),
				}
				type positioned struct {
					pos int
					ev  Evidence
				}
				var evs []positioned
				for _, en := range d.nodes[n][pEvidence] {
					evs = append(evs, positioned{int(d.num(en, pPosition)), Evidence{
						Quote:      d.str(en, pQuote),
						Section:    d.str(en, pSection),
						Source:     d.id(en, pSource, "source:"),
						References: d.ids(en, pReference, "reference:"),
					}})
				}
				slices.SortFunc(evs, func(a, b positioned) int { return cmp.Compare(a.pos, b.pos) })
				for _, e := range evs {
					l.Evidence = append(l.Evidence, e.ev)
				}
				links = append(links, l)
			case classReference:
				id, _ := idOf(n, "reference:")
				r := &Reference{
					ID:       id,
					Citation: d.str(n, pCitation),
					Title:    d.str(n, pTitle),
					Journal:  d.str(n, pJournal),
					Year:     int(d.num(n, pYear)),
				}
				if a := d.str(n, pAuthors); a != "" {
					r.Authors = strings.Split(a, authorSep)
				}
				refs = append(refs, r)
			case classSource:
				id, _ := idOf(n, "source:")
				sources = append(sources, &Source{ID: id, Title: d.str(n, pTitle)})
			}
		}
	}
	return records{entities: entities, links: links, refs: refs, sources: sources}
}

// QuadsOf lays out the records of b as quads, as Apply writes them: the
// layout described at the top of this file.
func QuadsOf(b *Batch) []quad.Quad { return quadsOf(b) }

// IsOwnIRI reports whether v names a record of this package's quad layout
// (an IRI under urn:leydigkg:).
func IsOwnIRI(v quad.Value) bool {
	iri, ok := v.(quad.IRI)
	return ok && strings.HasPrefix(string(iri), ns)
}

// Decoder rebuilds records from quads in this package's layout, fed one at
// a time in any order; quads of other vocabularies are ignored.
type Decoder struct{ d *decoder }

// NewDecoder returns an empty Decoder.
func NewDecoder() *Decoder { return &Decoder{newDecoder()} }

// Add feeds one quad.
func (d *Decoder) Add(q quad.Quad) { d.d.add(q) }

// Batch returns the records fed so far, each kind sorted by id, and for
// each record the subject node it was decoded from (records.Entities[i]
// from nodes.Entities[i], and so on).
func (d *Decoder) Batch() (*Batch, *BatchNodes) {
	r := d.d.records()
	b := &Batch{}
	nodes := &BatchNodes{}
	slices.SortFunc(r.sources, func(x, y *Source) int { return cmp.Compare(x.ID, y.ID) })
	slices.SortFunc(r.refs, func(x, y *Reference) int { return cmp.Compare(x.ID, y.ID) })
	slices.SortFunc(r.entities, func(x, y *Entity) int { return cmp.Compare(x.ID, y.ID) })
	slices.SortFunc(r.links, func(x, y *Link) int { return cmp.Compare(x.ID, y.ID) })
	for _, x := range r.sources {
		b.Sources = append(b.Sources, *x)
		nodes.Sources = append(nodes.Sources, sourceIRI(x.ID))
	}
	for _, x := range r.refs {
		b.References = append(b.References, *x)
		nodes.References = append(nodes.References, referenceIRI(x.ID))
	}
	for _, x := range r.entities {
		b.Entities = append(b.Entities, *x)
		nodes.Entities = append(nodes.Entities, entityIRI(x.ID))
	}
	for _, x := range r.links {
		b.Links = append(b.Links, *x)
		nodes.Links = append(nodes.Links, linkIRI(x.ID))
	}
	return b, nodes
}

// BatchNodes are the quad nodes a decoded Batch's records came from.
type BatchNodes struct {
	Sources, References, Entities, Links []quad.Value
}

// Records returns everything the store holds as one Batch, each kind sorted
// by id: the whole graph, for an export.
func (s *Store) Records(ctx context.Context) (*Batch, error) {
	d := NewDecoder()
	if err := s.Quads(ctx, func(q quad.Quad) error { d.Add(q); return nil }); err != nil {
		return nil, err
	}
	b, _ := d.Batch()
	return b, nil
}
