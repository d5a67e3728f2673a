package layout

import (
	"github.com/cayleygraph/quad"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/internal/index"
)

// Most links of a large store are rows of a network, each a node holding
// its edge's four fields (as addIDs gathers them: its class, subject,
// object and effect) and then its plain evidence item: its source, and
// perhaps its knowledge level, agent and where it was read. rowLink makes
// such a link in one pass over its fields, where link looks each field up
// in turn (some fifteen passes; at 3·10⁶ links, a third of opening a
// store). The link is the one link makes of the node: any node of another
// shape is left to link, and TestRowLinkIsLink holds the two to it.
//
// Opening a store makes no link of such a node at all where it can: it
// gives the index a row link (index.RowLink), the link's fields with its
// ends numbered (indexRow), which TestRowLinkIsLink holds to link too.

// fastRows turns the fast paths on: rowLink, and row links for an index
// (tests turn them off, to compare).
var fastRows = true

// row is what a node holding a row of a network holds: its edge's
// subject, object and effect, and its plain evidence item's fields.
type row struct{ sub, obj, effect, src, level, agent, at quad.Value }

// rowOf is the row node n holds; ok is false for a node of any other
// shape.
func rowOf(n *dnode) (r row, ok bool) {
	ps := n.props
	if !fastRows || !n.edge || len(ps) < 4 || len(ps) > 8 || ps[0].p != rdfType || ps[0].o != linkClass ||
		ps[1].p != pSubject || ps[2].p != pObject || ps[3].p != pEffect {
		return r, false
	}
	r.sub, r.obj, r.effect = ps[1].o, ps[2].o, ps[3].o
	for _, x := range ps[4:] {
		var slot *quad.Value
		switch x.p {
		case pSource:
			slot = &r.src
		case pLevel:
			slot = &r.level
		case pAgent:
			slot = &r.agent
		case pAt:
			slot = &r.at
		default:
			return r, false
		}
		if *slot != nil || x.o == nil {
			return r, false // a field twice, or a value missing: link says which counts
		}
		*slot = x.o
	}
	return r, true
}

// rowLink is the link of node n, whose value is v, when n holds a row of
// a network and nothing more; ok is false for any other node.
func rowLink(v quad.Value, n *dnode) (l *graph.Link, ok bool) {
	r, ok := rowOf(n)
	if !ok {
		return nil, false
	}
	// An end or source of our namespace but not of its kind (another
	// tool's IRI) reads as none in link (dnode.id), where idOf still cuts
	// the namespace: such a node is left to link.
	sub, okS := idOf(r.sub, "entity:")
	obj, okO := idOf(r.obj, "entity:")
	src, okSrc := idOf(r.src, "source:")
	if !okS || !okO || r.src != nil && !okSrc {
		return nil, false
	}
	id, _ := idOf(v, "link:")
	l = &graph.Link{ID: id, Subject: sub, Object: obj, Effect: graph.Effect(toString(r.effect)), Predicate: defaultPredicate}
	if src != "" {
		l.Evidence = []graph.Evidence{{Source: src, KnowledgeLevel: graph.KnowledgeLevel(toString(r.level)),
			AgentType: graph.AgentType(toString(r.agent)), At: toString(r.at)}}
	}
	return l, true
}

// rowWorker makes row links (indexRow) on one core. It keeps the last
// row's subject (rows in id order come by subject, mostly: an id names its
// ends) and its At's file (rows of one file then share one string, which
// index.New interns without reading it).
type rowWorker struct {
	// The entities at a row's ends are found by the store's numbers of
	// the edge's ends (dnode.sub, obj): byID, the decoder's, gives the
	// node, ends.at its entity record's place. By a number the decoder
	// did not meet as a node's (a value of two numbers), ends.byIRI finds
	// them by value.
	byID   []int32
	ends   entityNumbers
	sub    uint32 // the last subject's number (0: none)
	subNum int32
	file   string
}

// entity is the place of the entity record of the node whose value is v,
// and whose store number is id; ok is false for none, and for an entity
// whose IRI is not an entity's (entitiesByID numbers only those: a link
// reads such an end as none, dnode.id).
func (w *rowWorker) entity(id uint32, v quad.Value) (num int32, ok bool) {
	if id != 0 && int(id) < len(w.byID) {
		if at := w.byID[id]; at != 0 {
			e := w.ends.at[at-1]
			return e - 1, e != 0
		}
	}
	if iri, isIRI := v.(quad.IRI); isIRI {
		num, ok = w.ends.byIRI[string(iri)]
	}
	return num, ok
}

// indexRow sets *rl to the link of node n, as index.New takes it without
// a graph.Link, when it can: n holds a row (rowOf) whose ends are entities
// of the records, whose effect is one a row link holds, and whose item
// index.RowLink.SetItem takes.
func (w *rowWorker) indexRow(n *dnode, rl *index.RowLink) bool {
	r, ok := rowOf(n)
	if !ok {
		return false
	}
	if n.sub == 0 || n.sub != w.sub {
		num, ok := w.entity(n.sub, r.sub)
		if !ok {
			return false
		}
		w.sub, w.subNum = n.sub, num
	}
	obj, ok := w.entity(n.obj, r.obj)
	effect := graph.Effect(toString(r.effect))
	src, okSrc := idOf(r.src, "source:")
	if !ok || !okSrc || !effect.Valid() || !rl.SetItem(src, graph.KnowledgeLevel(toString(r.level)), graph.AgentType(toString(r.agent)), toString(r.at)) {
		return false
	}
	// An edge's node is that of its label, an IRI of a link (addIDs): its
	// id is what follows the prefix, cut without reading the IRI again.
	rl.ID = string(n.v.(quad.IRI)[len(ns)+len("link:"):])
	rl.Sub, rl.Obj, rl.Neg, rl.Predicate = w.subNum, obj, effect == graph.Decreases, defaultPredicate
	if f := rl.File(); f == w.file {
		rl.ShareFile(w.file)
	} else {
		w.file = f
	}
	return true
}

// toString is quad.ToString of v, "" for none (as dnode.str reads it).
func toString(v quad.Value) string {
	if v == nil {
		return ""
	}
	return quad.ToString(v)
}
