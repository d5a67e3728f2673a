package layout

import (
	"cmp"
	"net/url"
	"slices"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/leydigkg/leydigkg/graph"
)

// The quad vocabulary of what is not causal (see the top of quads.go):
// relations, entities' old ids, links' shortcuts, references as cited.
var (
	classRelation = quad.IRI(ns + "Relation")

	// The direct quad of each relation predicate, between its entities.
	relationEdge = map[string]quad.IRI{
		graph.PartOf:     quad.IRI(ns + "partOf"),
		graph.SubclassOf: quad.IRI(ns + "subclassOf"),
	}

	pNote       = quad.IRI(ns + "note")
	pShortcutOf = quad.IRI(ns + "shortcutOf")
	pAsCited    = quad.IRI(ns + "asCited")
	pVolume     = quad.IRI(ns + "volume")
	pPages      = quad.IRI(ns + "pages")
	pDOI        = quad.IRI(ns + "doi")
	pPMID       = quad.IRI(ns + "pmid")
)

// relationIRI names a relation's node by its ends and predicate, each id
// path-escaped so that the slashes between them are unambiguous.
func relationIRI(r *graph.Relation) quad.IRI {
	pred := strings.TrimPrefix(r.Predicate, "biolink:")
	return quad.IRI(ns + "relation:" + url.PathEscape(r.Subject) + "/" + url.PathEscape(pred) + "/" + url.PathEscape(r.Object))
}

// eachStructureQuad emits the quads of b's relations and links' shortcut
// chains (entity aliases and reference fields are written with their
// records).
func eachStructureQuad(b *graph.Batch, add func(quad.Value, quad.IRI, quad.Value), str func(quad.Value, quad.IRI, string)) {
	for _, l := range b.Links {
		for _, chain := range uniq(joinChains(l.ShortcutOf)) {
			str(linkIRI(l.ID), pShortcutOf, chain)
		}
	}
	for i := range b.Relations {
		r := &b.Relations[i]
		if p, ok := relationEdge[r.Predicate]; ok {
			add(entityIRI(r.Subject), p, entityIRI(r.Object))
		}
		n := relationIRI(r)
		add(n, rdfType, classRelation)
		add(n, pSubject, entityIRI(r.Subject))
		str(n, pPredicate, r.Predicate)
		add(n, pObject, entityIRI(r.Object))
		str(n, pNote, r.Note)
		for j := range r.Evidence {
			en := itemIRI(n, j)
			add(n, pEvidence, en)
			evidenceNode(en, &r.Evidence[j], add, str)
		}
	}
}

func joinChains(chains [][]string) []string {
	out := make([]string, len(chains))
	for i, c := range chains {
		out[i] = strings.Join(c, " ")
	}
	return out
}

// shortcutsOf reads a link node's shortcut chains, in order.
func shortcutsOf(n *dnode) [][]string {
	var out [][]string
	for _, c := range n.strs(pShortcutOf) {
		out = append(out, strings.Fields(c))
	}
	return out
}

// referenceExtras reads what a reference's node says beyond its citation.
func referenceExtras(r *graph.Reference, n *dnode) {
	r.AsCited, r.Volume, r.Pages = n.str(pAsCited), n.str(pVolume), n.str(pPages)
	r.DOI, r.PMID, r.Note = n.str(pDOI), n.str(pPMID), n.str(pNote)
}

// relation rebuilds a relation from its node and its evidence nodes.
func (d *decoder) relation(n *dnode) *graph.Relation {
	r := &graph.Relation{
		Subject:   n.id(pSubject, "entity:"),
		Predicate: n.str(pPredicate),
		Object:    n.id(pObject, "entity:"),
		Note:      n.str(pNote),
	}
	type positioned struct {
		pos int
		ev  graph.Evidence
	}
	var evs []positioned
	for _, x := range n.props {
		en := d.lookup(x.o)
		if x.p != pEvidence || en == nil {
			continue
		}
		ev := en.evidence()
		if ev.References == nil {
			ev.References = []string{} // as a curated file reads "references: []"
		}
		evs = append(evs, positioned{position(x.o, en), ev})
	}
	slices.SortFunc(evs, func(a, b positioned) int { return cmp.Compare(a.pos, b.pos) })
	for _, e := range evs {
		r.Evidence = append(r.Evidence, e.ev)
	}
	return r
}
