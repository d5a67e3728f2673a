package layout

import (
	"github.com/cayleygraph/quad"

	"github.com/leydigkg/leydigkg/graph"
)

// Most links of a large store are rows of a network, each a node holding
// its edge's four fields (as addIDs gathers them: its class, subject,
// object and effect) and then its plain evidence item: its source, and
// perhaps its knowledge level, agent and where it was read. rowLink makes
// such a link in one pass over its fields, where link looks each field up
// in turn (some fifteen passes; at 3·10⁶ links, a third of opening a
// store). The link is the one link makes of the node: any node of another
// shape is left to link, and TestRowLinkIsLink holds the two to it.

// rowLinks turns the fast path on (tests turn it off, to compare).
var rowLinks = true

// rowLink is the link of node n, whose value is v, when n holds a row of
// a network and nothing more; ok is false for any other node.
func rowLink(v quad.Value, n *dnode) (l *graph.Link, ok bool) {
	ps := n.props
	if !rowLinks || !n.edge || len(ps) < 4 || len(ps) > 8 || ps[0].p != rdfType || ps[0].o != classLink ||
		ps[1].p != pSubject || ps[2].p != pObject || ps[3].p != pEffect {
		return nil, false
	}
	var src, level, agent, at quad.Value
	for _, x := range ps[4:] {
		var slot *quad.Value
		switch x.p {
		case pSource:
			slot = &src
		case pLevel:
			slot = &level
		case pAgent:
			slot = &agent
		case pAt:
			slot = &at
		default:
			return nil, false
		}
		if *slot != nil || x.o == nil {
			return nil, false // a field twice, or a value missing: link says which counts
		}
		*slot = x.o
	}
	id, _ := idOf(v, "link:")
	sub, _ := idOf(ps[1].o, "entity:")
	obj, _ := idOf(ps[2].o, "entity:")
	l = &graph.Link{ID: id, Subject: sub, Object: obj, Effect: graph.Effect(toString(ps[3].o)), Predicate: defaultPredicate}
	if s, _ := idOf(src, "source:"); s != "" {
		l.Evidence = []graph.Evidence{{Source: s, KnowledgeLevel: graph.KnowledgeLevel(toString(level)),
			AgentType: graph.AgentType(toString(agent)), At: toString(at)}}
	}
	return l, true
}

// toString is quad.ToString of v, "" for none (as dnode.str reads it).
func toString(v quad.Value) string {
	if v == nil {
		return ""
	}
	return quad.ToString(v)
}
