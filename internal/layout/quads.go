package layout

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/internal/index"
	"github.com/leydigkg/leydigkg/internal/par"

	"github.com/cayleygraph/quad"
)

// How the domain types are laid out as quads (layout 4). Every record is a
// node named by an IRI in the urn:leydigkg: namespace. A link is one quad
// from its subject's node to its object's, whose predicate is its effect
// and whose graph label is the link's own node; the link's other fields,
// and its evidence items, hang off that node, so that any number of quotes
// and references can support one causal claim. Cayley's own query
// languages walk the graph entity to entity (g.V(A).Out(<urn:leydigkg:increases>)).
//
//	<urn:leydigkg:entity:gnrh> <urn:leydigkg:increases> <urn:leydigkg:entity:luteinizing_hormone> <urn:leydigkg:link:gnrh_increases_lh> .
//	<urn:leydigkg:link:gnrh_increases_lh> <urn:leydigkg:mechanism> "GnRH from the hypothalamus ..." .
//	<urn:leydigkg:link:gnrh_increases_lh> <urn:leydigkg:evidence> <urn:leydigkg:link:gnrh_increases_lh#evidence-0> .
//	<urn:leydigkg:link:gnrh_increases_lh#evidence-0> <urn:leydigkg:quote> "It sends a signal, ..." .
//	<urn:leydigkg:link:gnrh_increases_lh#evidence-0> <urn:leydigkg:source> <urn:leydigkg:source:article> .
//
// An evidence item's node is named by its record and its position among
// the record's items (#evidence-0, #evidence-1, ...), which is how the
// decoder orders them; it carries one quad for each field the item has
// and nothing else (layouts 1 to 3 also wrote its class and its
// position: see Version).
//
// A link its sources deny (only negated evidence supports it) has the
// edge predicate urn:leydigkg:deniedIncreases or deniedDecreases instead,
// so that a walk along the causal edges never takes it.
//
// A link's predicate is written only when it is not biolink:regulates, the
// predicate of a row of a signed network. Such a row, an evidence item that
// says no more than its source, knowledge level, agent and where it was
// read, is written on the link's node: a row of a network costs three
// quads (the edge, its source, where it was read).
//
//	<urn:leydigkg:entity:TNF> <urn:leydigkg:increases> <urn:leydigkg:entity:NFKB1> <urn:leydigkg:link:TNF_increases_NFKB1> .
//	<urn:leydigkg:link:TNF_increases_NFKB1> <urn:leydigkg:source> <urn:leydigkg:source:net.csv> .
//	<urn:leydigkg:link:TNF_increases_NFKB1> <urn:leydigkg:at> "net.csv:2" .
//
// Layout 2 wrote a link as a node of class Link with subject, object and
// effect quads (seven quads a row of a network); the decoder still reads
// it (old exports), and Upgrade rewrites a store of it.
//
// The structure apart from causation (structure.go) is laid out beside:
// a part-of or subclass-of relation is one quad between its entities, read
// by any RDF tool, and a node of its own that carries what the relation
// rests on (its note and evidence items, laid out as a link's):
//
//	<urn:leydigkg:entity:mitochondrial_dna> <urn:leydigkg:partOf> <urn:leydigkg:entity:mitochondrion> .
//	<urn:leydigkg:relation:mitochondrial_dna/part_of/mitochondrion> <rdf:type> <urn:leydigkg:Relation> .
//	<urn:leydigkg:relation:mitochondrial_dna/part_of/mitochondrion> <urn:leydigkg:subject> <urn:leydigkg:entity:mitochondrial_dna> .
//	<urn:leydigkg:relation:mitochondrial_dna/part_of/mitochondrion> <urn:leydigkg:predicate> "biolink:part_of" .
//	<urn:leydigkg:relation:mitochondrial_dna/part_of/mitochondrion> <urn:leydigkg:object> <urn:leydigkg:entity:mitochondrion> .
//	<urn:leydigkg:relation:mitochondrial_dna/part_of/mitochondrion> <urn:leydigkg:evidence> <urn:leydigkg:relation:mitochondrial_dna/part_of/mitochondrion#evidence-0> .
//
// An entity's old id is <urn:leydigkg:alias> "old_id" on its node; a link's
// shortcut chain is <urn:leydigkg:shortcutOf> "lh leydig_cell testosterone"
// on the link's node (entity ids joined by spaces, which no id holds); a
// reference's as-cited text, volume, pages, DOI, PMID and note are
// literals on its node.
const ns = "urn:leydigkg:"

// Predicates and classes of the quad vocabulary.
var (
	rdfType = quad.IRI("rdf:type")

	classEntity    = quad.IRI(ns + "Entity")
	classLink      = quad.IRI(ns + "Link")
	classEvidence  = quad.IRI(ns + "Evidence") // layouts 1 to 3 only (OldItemQuad)
	classSource    = quad.IRI(ns + "Source")
	classReference = quad.IRI(ns + "Reference")

	pName        = quad.IRI(ns + "name")
	pKind        = quad.IRI(ns + "kind")
	pDescription = quad.IRI(ns + "description")
	pSynonym     = quad.IRI(ns + "synonym")
	pXref        = quad.IRI(ns + "xref")
	pEffect      = quad.IRI(ns + "effect")
	pPredicate   = quad.IRI(ns + "predicate")
	pMechanism   = quad.IRI(ns + "mechanism")
	pConfidence  = quad.IRI(ns + "confidence")
	pEvidence    = quad.IRI(ns + "evidence")
	pPosition    = quad.IRI(ns + "position") // read; written by layouts 1 to 3 only (OldItemQuad)
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
	pAlias       = quad.IRI(ns + "alias")
	pKey         = quad.IRI(ns + "key")
	pLevel       = quad.IRI(ns + "knowledgeLevel")
	pAgent       = quad.IRI(ns + "agentType")
	pReasoning   = quad.IRI(ns + "reasoning")
	pAt          = quad.IRI(ns + "at")
	pURL         = quad.IRI(ns + "url")
	pVersion     = quad.IRI(ns + "version")
	pLicense     = quad.IRI(ns + "license")
	pKnowledge   = quad.IRI(ns + "knowledgeSource")

	// An evidence item's context (written on its own node only).
	pNegated    = quad.IRI(ns + "negated")
	pTaxon      = quad.IRI(ns + "taxon")
	pCellType   = quad.IRI(ns + "cellType")
	pTissue     = quad.IRI(ns + "tissue")
	pEvMech     = quad.IRI(ns + "evidenceMechanism")
	pDirect     = quad.IRI(ns + "direct")
	pAggregator = quad.IRI(ns + "aggregator")
	pScore      = quad.IRI(ns + "score")

	// The edge predicates: a link's effect (see edgeIRI); a link its
	// sources deny (only negated evidence) has edges of their own, which
	// a walk along the causal edges does not take.
	pIncreases    = quad.IRI(ns + "increases")
	pDecreases    = quad.IRI(ns + "decreases")
	pNotIncreases = quad.IRI(ns + "deniedIncreases")
	pNotDecreases = quad.IRI(ns + "deniedDecreases")
)

// defaultPredicate is the predicate a link's quads leave unsaid.
const defaultPredicate = "biolink:regulates"

// edgeIRI is the predicate of the quad from a link's subject to its
// object: its effect (checked before anything is written: INCREASES or
// DECREASES), denied when only negated evidence supports it.
func edgeIRI(l *graph.Link) quad.IRI {
	switch {
	case l.Effect == graph.Decreases && l.Asserted():
		return pDecreases
	case l.Effect == graph.Decreases:
		return pNotDecreases
	case l.Asserted():
		return pIncreases
	}
	return pNotIncreases
}

// edgeEffect is the effect an edge predicate stands for.
func edgeEffect(p quad.IRI) (graph.Effect, bool) {
	switch p {
	case pIncreases, pNotIncreases:
		return graph.Increases, true
	case pDecreases, pNotDecreases:
		return graph.Decreases, true
	}
	return "", false
}

func entityIRI(id string) quad.IRI            { return quad.IRI(ns + "entity:" + id) }
func linkIRI(id string) quad.IRI              { return quad.IRI(ns + "link:" + id) }
func sourceIRI(id string) quad.IRI            { return quad.IRI(ns + "source:" + id) }
func referenceIRI(id string) quad.IRI         { return quad.IRI(ns + "reference:" + id) }
func evidenceIRI(link string, i int) quad.IRI { return itemIRI(linkIRI(link), i) }

// itemIRI names the i-th evidence item of the record node n.
func itemIRI(n quad.IRI, i int) quad.IRI { return quad.IRI(string(n) + itemMark + strconv.Itoa(i)) }

// itemMark ends the name of an evidence item's record, before its position.
const itemMark = "#evidence-"

// position is the position of the evidence item on the node en named v:
// the number at the end of its name (itemIRI); the layout-3 quad that
// said it, urn:leydigkg:position, where there is one (an old export); 0
// for a name without one.
func position(v quad.Value, en *dnode) int {
	if en.first(pPosition) != nil {
		return int(en.num(pPosition))
	}
	if _, pos, ok := splitItem(v); ok {
		if i, err := strconv.Atoi(pos); err == nil {
			return i
		}
	}
	return 0
}

// splitItem is the record node and the position that name an evidence
// item's node v (itemIRI, read backwards); ok is false for a value not so
// named.
func splitItem(v quad.Value) (record quad.IRI, pos string, ok bool) {
	iri, isIRI := v.(quad.IRI)
	k := strings.LastIndex(string(iri), itemMark)
	if !isIRI || k < 0 {
		return "", "", false
	}
	return iri[:k], string(iri[k+len(itemMark):]), true
}

// idOf strips the prefix of one of the record IRIs above.
func idOf(v quad.Value, prefix string) (string, bool) {
	iri, ok := v.(quad.IRI)
	if !ok || !strings.HasPrefix(string(iri), ns) {
		return "", false
	}
	// Not CutPrefix(iri, ns+prefix): the concatenation cost more than the
	// rest, once for each of the millions of links' ends.
	return strings.CutPrefix(string(iri[len(ns):]), prefix)
}

// quadsOf lays out every record of b as quads.
func quadsOf(b *graph.Batch) []quad.Quad {
	qs := make([]quad.Quad, 0, 12*len(b.Links)+8*len(b.Entities))
	eachQuad(b, func(q quad.Quad) { qs = append(qs, q) })
	return qs
}

// eachQuad hands every quad of b's layout to emit, in quadsOf's order.
func eachQuad(b *graph.Batch, emit func(quad.Quad)) {
	add := func(s quad.Value, p quad.IRI, o quad.Value) {
		emit(quad.Quad{Subject: s, Predicate: p, Object: o})
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
		str(n, pDescription, src.Description)
		str(n, pURL, src.URL)
		str(n, pVersion, src.Version)
		str(n, pLicense, src.License)
	}
	for _, r := range b.References {
		n := referenceIRI(r.ID)
		add(n, rdfType, classReference)
		str(n, pCitation, r.Citation)
		str(n, pAuthors, strings.Join(r.Authors, graph.AuthorSeparator))
		str(n, pTitle, r.Title)
		str(n, pJournal, r.Journal)
		if r.Year != 0 {
			add(n, pYear, quad.Int(r.Year))
		}
		str(n, pAsCited, r.AsCited)
		str(n, pVolume, r.Volume)
		str(n, pPages, r.Pages)
		str(n, pDOI, r.DOI)
		str(n, pPMID, r.PMID)
		str(n, pNote, r.Note)
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
		for _, a := range uniq(e.Aliases) {
			str(n, pAlias, a)
		}
	}
	for _, l := range b.Links {
		n := linkIRI(l.ID)
		emit(quad.Quad{Subject: entityIRI(l.Subject), Predicate: edgeIRI(&l), Object: entityIRI(l.Object), Label: n})
		if l.Predicate != defaultPredicate {
			str(n, pPredicate, l.Predicate)
		}
		str(n, pMechanism, l.Mechanism)
		for _, a := range uniq(l.Aliases) {
			str(n, pAlias, a)
		}
		for i, ev := range l.Evidence {
			if i == 0 && plain(&ev) {
				// A row of a network: written on the link itself.
				add(n, pSource, sourceIRI(ev.Source))
				str(n, pLevel, string(ev.KnowledgeLevel))
				str(n, pAgent, string(ev.AgentType))
				str(n, pAt, ev.At)
				continue
			}
			en := evidenceIRI(l.ID, i)
			add(n, pEvidence, en)
			evidenceNode(en, &ev, add, str)
		}
	}
	eachStructureQuad(b, add, str)
}

// evidenceNode writes an evidence item, the i-th of its record, on its
// own node en, evidenceIRI(record, i): its position is in its name.
func evidenceNode(en quad.IRI, ev *graph.Evidence, add func(quad.Value, quad.IRI, quad.Value), str func(quad.Value, quad.IRI, string)) {
	str(en, pKey, ev.Key)
	str(en, pQuote, ev.Quote)
	str(en, pSection, ev.Section)
	add(en, pSource, sourceIRI(ev.Source))
	str(en, pLevel, string(ev.KnowledgeLevel))
	str(en, pAgent, string(ev.AgentType))
	str(en, pReasoning, ev.Reasoning)
	for _, r := range uniq(ev.References) {
		add(en, pReference, referenceIRI(r))
	}
	for _, p := range uniq(ev.Publications) {
		str(en, pPublication, p)
	}
	str(en, pAt, ev.At)
	if ev.HasContext() {
		evidenceContext(en, ev, add, str)
	}
}

// evidence reads the evidence item of the node en (evidenceNode).
func (en *dnode) evidence() graph.Evidence {
	ev := graph.Evidence{
		Key:            en.str(pKey),
		Quote:          en.str(pQuote),
		Section:        en.str(pSection),
		Source:         en.id(pSource, "source:"),
		KnowledgeLevel: graph.KnowledgeLevel(en.str(pLevel)),
		AgentType:      graph.AgentType(en.str(pAgent)),
		Reasoning:      en.str(pReasoning),
		References:     en.ids(pReference, "reference:"),
		Publications:   en.strs(pPublication),
		At:             en.str(pAt),
	}
	en.context(&ev)
	return ev
}

// evidenceContext writes the context of an evidence item on its node.
func evidenceContext(en quad.IRI, ev *graph.Evidence, add func(quad.Value, quad.IRI, quad.Value), str func(quad.Value, quad.IRI, string)) {
	if ev.Negated {
		add(en, pNegated, xsdBool(true))
	}
	str(en, pTaxon, ev.Taxon)
	for _, c := range uniq(ev.CellTypes) {
		str(en, pCellType, c)
	}
	for _, c := range uniq(ev.Tissues) {
		str(en, pTissue, c)
	}
	str(en, pEvMech, ev.Mechanism)
	if ev.Direct != nil {
		add(en, pDirect, xsdBool(*ev.Direct))
	}
	for _, a := range uniq(ev.Aggregators) {
		str(en, pAggregator, a)
	}
	if ev.Score != nil {
		add(en, pScore, quad.Float(*ev.Score))
	}
}

// xsdBool is b as an xsd:boolean literal in its canonical form (cayley's
// quad.Bool writes "True", which RDF tools refuse).
func xsdBool(b bool) quad.Value {
	return quad.TypedString{Value: quad.String(strconv.FormatBool(b)), Type: "xsd:boolean"}
}

// plain reports whether an evidence item says no more than its source,
// knowledge level, agent and where it was read, as a row of a signed
// network does: the first such item of a link is written on the link's
// node, not on a node of its own (one quad fewer a link: the one to the
// item's node).
func plain(e *graph.Evidence) bool {
	return e.Key == "" && e.Quote == "" && e.Section == "" && e.Reasoning == "" && len(e.References) == 0 && len(e.Publications) == 0 &&
		!e.HasContext()
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

// decoder rebuilds domain records from the quads of a store. Each subject
// node keeps its predicate-object pairs in one slice (a record has a dozen
// at most), which a bulk load of millions of quads allocates far less for
// than a map per node.
type decoder struct {
	nodes nodeTable
	order []*dnode // in the order first seen
	// byID finds a node by the number its store gave it (AddIDs): 1 + its
	// place in order, 0 for an id not met yet. Each id is looked up by
	// value once, the first time it is met, so nodes are still one per
	// value; every later quad naming it finds it here without hashing
	// its value (at 3·10⁶ links, the map took 12 M lookups of IRIs).
	byID []int32
	// How many quads typed a node a link or an entity (a link's edge
	// types its node): the records' arrays are made that size at once.
	nlinks, nentities int
	v1                bool // a quad of layout 1 was fed (a link's stored confidence or knowledge source)
	v2                bool // a link was fed as a node of class Link (layouts 1 and 2)
}

type dnode struct {
	v     quad.Value
	props []prop
	mark  int64 // the caller's mark of the node's first quad (addAt)
	at    int32 // its place in decoder.order
	// sub and obj are the store's numbers of the subject and object of the
	// link's edge when the node's first props are that edge (addIDs), 0
	// for none: row links find the entities at the ends by them.
	sub, obj uint32
	edge     bool // a link's node whose subject, object and effect came from its edge (layouts 3 and 4): its predicate may be implied
}

// Values every link's node holds, boxed once: as a quad.Value made afresh,
// each was a 16-byte allocation an edge, and a cache miss to read again.
var (
	linkClass      quad.Value = classLink
	increasesValue quad.Value = quad.String(graph.Increases)
	decreasesValue quad.Value = quad.String(graph.Decreases)
)

// effectValue is the value of effect e (one edgeEffect gives).
func effectValue(e graph.Effect) quad.Value {
	if e == graph.Decreases {
		return decreasesValue
	}
	return increasesValue
}

type prop struct {
	p quad.IRI
	o quad.Value
}

func newDecoder() *decoder {
	return &decoder{nodes: newNodeTable()}
}

func (d *decoder) add(q quad.Quad) { d.addAt(q, 0) }

func (d *decoder) addAt(q quad.Quad, mark int64) { d.addIDs(q, &noIDs, mark) }

var noIDs [4]uint64

// addIDs feeds q, whose subject, predicate, object and label nodes the
// store numbers ids (0: no number; see AddIDs).
func (d *decoder) addIDs(q quad.Quad, ids *[4]uint64, mark int64) {
	p, ok := q.Predicate.(quad.IRI)
	if !ok {
		return
	}
	if effect, ok := edgeEffect(p); ok {
		// A link's edge: its fields go to the link's node, its label.
		if _, own := idOf(q.Label, "link:"); own {
			n := d.nodeID(q.Label, ids[3], mark)
			if len(n.props) == 0 && ids[0] < maxByID && ids[2] < maxByID {
				n.sub, n.obj = uint32(ids[0]), uint32(ids[2]) // the ends of the edge in props[1:3]
			}
			n.props = append(n.props, prop{rdfType, linkClass}, prop{pSubject, q.Subject}, prop{pObject, q.Object},
				prop{pEffect, effectValue(effect)})
			n.edge = true
			d.nlinks++
		}
		return
	}
	n := d.nodeID(q.Subject, ids[0], mark)
	n.props = append(n.props, prop{p, q.Object})
	switch {
	case p == pConfidence || p == pKnowledge:
		d.v1 = true
	case p == rdfType && q.Object == classLink:
		d.v2 = true
		d.nlinks++
	case p == rdfType && q.Object == classEntity:
		d.nentities++
	}
}

// node is the node of v, added when first seen.
func (d *decoder) node(v quad.Value, mark int64) *dnode {
	if at, ok := d.nodes.get(v, d.order); ok {
		return d.order[at]
	}
	n := &dnode{v: v, props: make([]prop, 0, 8), mark: mark, at: int32(len(d.order))}
	d.nodes.put(v, n.at)
	d.order = append(d.order, n)
	return n
}

// lookup is the node of v, nil for none.
func (d *decoder) lookup(v quad.Value) *dnode {
	if at, ok := d.nodes.get(v, d.order); ok {
		return d.order[at]
	}
	return nil
}

// maxByID bounds the ids byID numbers nodes by; a node of a larger id
// (or none) is found by value.
const maxByID = 1 << 31

// nodeID is the node of v, whose store's id is id (0: none).
func (d *decoder) nodeID(v quad.Value, id uint64, mark int64) *dnode {
	if id == 0 || id >= maxByID || len(d.order) >= maxByID-1 {
		return d.node(v, mark)
	}
	if id < uint64(len(d.byID)) {
		if i := d.byID[id]; i != 0 {
			return d.order[i-1]
		}
	} else {
		grown := make([]int32, max(id+1, 2*uint64(len(d.byID)), 1024))
		copy(grown, d.byID)
		d.byID = grown
	}
	n := d.node(v, mark)
	d.byID[id] = n.at + 1
	return n
}

// first is the first value of p, or nil.
func (n *dnode) first(p quad.IRI) quad.Value {
	if n == nil {
		return nil
	}
	for _, x := range n.props {
		if x.p == p {
			return x.o
		}
	}
	return nil
}

func (n *dnode) str(p quad.IRI) string {
	if v := n.first(p); v != nil {
		return quad.ToString(v)
	}
	return ""
}

func (n *dnode) strs(p quad.IRI) []string {
	var out []string
	for _, x := range n.props {
		if x.p == p {
			out = append(out, quad.ToString(x.o))
		}
	}
	if len(out) > 1 {
		slices.Sort(out)
		out = slices.Compact(out)
	}
	return out
}

func (n *dnode) num(p quad.IRI) float64 {
	switch v := n.first(p).(type) {
	case nil:
		return 0
	case quad.Float:
		return float64(v)
	case quad.Int:
		return float64(v)
	default:
		f, _ := strconv.ParseFloat(quad.ToString(v), 64)
		return f
	}
}

func (n *dnode) ids(p quad.IRI, prefix string) []string {
	var out []string
	for _, x := range n.props {
		if x.p != p {
			continue
		}
		if id, ok := idOf(x.o, prefix); ok {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

func (n *dnode) id(p quad.IRI, prefix string) string {
	for _, x := range n.props {
		if x.p != p {
			continue
		}
		if id, ok := idOf(x.o, prefix); ok {
			return id
		}
	}
	return ""
}

// decoded is what records returns beside the records: the mark of the
// node each came from, in the same order.
type decoded struct {
	entities, links, refs, sources, relations []int64
}

// records turns the decoded nodes back into domain records, in the order
// their nodes were first seen. Nodes of other classes (quads another tool
// put in the same store) are left alone.
//
// forIndex gives them as index.New takes them best instead: the entities
// and links in id order, rows of networks as row links where it can (see
// rowLinks), and no marks.
func (d *decoder) records(forIndex bool) (index.Records, decoded) {
	r := index.Records{Links: withCap[*graph.Link](d.nlinks), Entities: withCap[*graph.Entity](d.nentities)}
	m := decoded{links: withCap[int64](d.nlinks), entities: withCap[int64](d.nentities)}
	links := withCap[*dnode](d.nlinks) // the nodes of r.Links, decoded after the loop
	var entities []*dnode              // the nodes of r.Entities, for forIndex
	if forIndex {
		entities = withCap[*dnode](d.nentities)
	}
	for _, n := range d.order {
		v := n.v
		for _, x := range n.props {
			if x.p != rdfType {
				continue
			}
			switch x.o {
			case classEntity:
				id, _ := idOf(v, "entity:")
				r.Entities = append(r.Entities, &graph.Entity{
					ID:          id,
					Name:        n.str(pName),
					Kind:        graph.Kind(n.str(pKind)),
					Description: n.str(pDescription),
					Synonyms:    n.strs(pSynonym),
					Xrefs:       n.strs(pXref),
					Categories:  n.strs(pCategory),
					Aliases:     n.strs(pAlias),
				})
				m.entities = append(m.entities, n.mark)
				if forIndex {
					entities = append(entities, n)
				}
			case classLink:
				r.Links = append(r.Links, nil)
				links = append(links, n)
				if !forIndex {
					m.links = append(m.links, n.mark)
				}
			case classReference:
				id, _ := idOf(v, "reference:")
				ref := &graph.Reference{
					ID:       id,
					Citation: n.str(pCitation),
					Title:    n.str(pTitle),
					Journal:  n.str(pJournal),
					Year:     int(n.num(pYear)),
				}
				referenceExtras(ref, n)
				if a := n.str(pAuthors); a != "" {
					ref.Authors = strings.Split(a, graph.AuthorSeparator)
				}
				r.References = append(r.References, ref)
				m.refs = append(m.refs, n.mark)
			case classRelation:
				r.Relations = append(r.Relations, d.relation(n))
				m.relations = append(m.relations, n.mark)
			case classSource:
				id, _ := idOf(v, "source:")
				r.Sources = append(r.Sources, &graph.Source{ID: id, Title: n.str(pTitle), Description: n.str(pDescription),
					URL: n.str(pURL), Version: n.str(pVersion), License: n.str(pLicense)})
				m.sources = append(m.sources, n.mark)
			}
		}
	}
	if !forIndex {
		d.links(r.Links, links)
		return r, m
	}
	// Row links come first among links of their id (index.New merges
	// so), where the others come in the order their nodes were met: only
	// where no two links have one id (own) are rows given as row links.
	links, own := linksByID(links)
	if ends, ok := d.entitiesByID(r.Entities, entities); ok && own {
		r.Links, r.RowLinks = d.rowLinks(r.Links, links, ends)
	} else {
		d.links(r.Links, links)
	}
	return r, decoded{}
}

// entitiesByID sorts the entity records, and beside them their nodes, by
// id. When no id comes twice, ends numbers them for row links' ends, and
// ok is true.
func (d *decoder) entitiesByID(records []*graph.Entity, nodes []*dnode) (ends entityNumbers, ok bool) {
	ids := make([]string, len(records))
	for i, e := range records {
		ids[i] = e.ID
	}
	order := index.OrderByID(ids)
	rs, ns := slices.Clone(records), slices.Clone(nodes)
	for i, j := range order {
		records[i], nodes[i] = rs[j], ns[j]
	}
	for i := 1; i < len(records); i++ {
		if records[i-1].ID == records[i].ID {
			return ends, false // two records, one id (two nodes, or one typed twice): index.New finds the last by it
		}
	}
	ends = entityNumbers{byIRI: make(map[string]int32, len(nodes)), at: make([]int32, len(d.order))}
	for i, n := range nodes {
		if _, ok := idOf(n.v, "entity:"); ok { // a link's end of another IRI reads as none (dnode.id)
			ends.byIRI[string(n.v.(quad.IRI))] = int32(i)
			ends.at[n.at] = int32(i + 1)
		}
	}
	return ends, true
}

// entityNumbers are the places of the entity records, in id order, of the
// nodes whose value is an entity's IRI: by that IRI, and by the node's
// place in decoder.order, plus one (0: none).
type entityNumbers struct {
	byIRI map[string]int32
	at    []int32
}

// rowLinks decodes the link nodes, in id order, as links and row links,
// each in id order, on every core: index.New takes a row of a network
// without a graph.Link made of it and taken apart again (at 10⁷ links,
// some 5 GB allocated, and a third of an open's time). out has room for
// every link; ends numbers the row links' ends (entitiesByID).
func (d *decoder) rowLinks(out []*graph.Link, nodes []*dnode, ends entityNumbers) ([]*graph.Link, []index.RowLink) {
	rls := make([]index.RowLink, len(nodes))
	isRow := make([]bool, len(nodes))
	out = out[:len(nodes)]
	par.Shares(len(nodes), 4096, func(lo, hi int) {
		w := rowWorker{byID: d.byID, ends: ends}
		for i := lo; i < hi; i++ {
			if isRow[i] = w.indexRow(nodes[i], &rls[i]); !isRow[i] {
				out[i] = d.decodeLink(nodes[i])
			}
		}
	})
	links, k := out[:0], 0
	for i := range nodes {
		if !isRow[i] {
			links = append(links, out[i])
			continue
		}
		if k != i {
			rls[k] = rls[i]
		}
		k++
	}
	clear(out[len(links):])
	if k == 0 {
		rls = nil
	}
	return links, rls[:k:k]
}

// linksByID is nodes, the link nodes, in the order of the links' ids
// (equal ids in their order); own says each node's value is a link's IRI,
// so that no two links have one id.
func linksByID(nodes []*dnode) (sorted []*dnode, own bool) {
	ids := make([]string, len(nodes))
	own = true
	for i, n := range nodes {
		var ok bool
		ids[i], ok = idOf(n.v, "link:")
		own = own && ok
	}
	sorted = make([]*dnode, len(nodes))
	for i, j := range index.OrderByID(ids) {
		sorted[i] = nodes[j]
	}
	return sorted, own
}

// withCap is an empty slice with room for n items, nil for none (as
// appending to nil leaves it when nothing comes).
func withCap[T any](n int) []T {
	if n == 0 {
		return nil
	}
	return make([]T, 0, n)
}

// links decodes the link nodes into out, on every core: a link is made
// from its node and its evidence nodes alone, which nothing changes now
// (at 10⁶ links, decoding them took 2.8 s on one).
func (d *decoder) links(out []*graph.Link, nodes []*dnode) {
	par.Shares(len(nodes), 4096, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			out[i] = d.decodeLink(nodes[i])
		}
	})
}

// decodeLink is the link node n holds.
func (d *decoder) decodeLink(n *dnode) *graph.Link {
	if l, ok := rowLink(n.v, n); ok {
		return l
	}
	l := d.link(n.v, n)
	l.ShortcutOf = shortcutsOf(n)
	return l
}

func (d *decoder) link(v quad.Value, n *dnode) *graph.Link {
	id, _ := idOf(v, "link:")
	l := &graph.Link{
		ID:         id,
		Subject:    n.id(pSubject, "entity:"),
		Object:     n.id(pObject, "entity:"),
		Effect:     graph.Effect(n.str(pEffect)),
		Predicate:  n.str(pPredicate),
		Mechanism:  n.str(pMechanism),
		Aliases:    n.strs(pAlias),
		Confidence: n.num(pConfidence),
	}
	if l.Predicate == "" && n.edge {
		l.Predicate = defaultPredicate
	}
	l.Evidence = d.evidence(n)
	// Layout 1 kept an import's provenance on the link: its knowledge
	// source and publications. They are one evidence item of that source.
	if ks, pubs := n.str(pKnowledge), n.strs(pPublication); ks != "" || len(pubs) > 0 {
		if ks == "" {
			ks = Layout1Source
		}
		l.Evidence = append(l.Evidence, graph.Evidence{Source: ks, Key: id, Publications: pubs})
	}
	return l
}

// evidence decodes a link node's evidence items, in their positions: a
// plain item written on the link first, then its evidence nodes. The
// common case, a network's row, is the plain item alone, made without
// the sorting (a link of a signed network was three allocations, now two).
func (d *decoder) evidence(n *dnode) []graph.Evidence {
	var plain graph.Evidence
	src := n.id(pSource, "source:")
	if src != "" { // a plain item, written on the link
		plain = graph.Evidence{Source: src, KnowledgeLevel: graph.KnowledgeLevel(n.str(pLevel)),
			AgentType: graph.AgentType(n.str(pAgent)), At: n.str(pAt)}
	}
	type positioned struct {
		pos int
		ev  graph.Evidence
	}
	var evs []positioned
	for _, x := range n.props {
		if x.p != pEvidence {
			continue
		}
		en := d.lookup(x.o)
		if en == nil { // its quads are gone (another tool's removal): nothing to read, as for a relation
			continue
		}
		evs = append(evs, positioned{position(x.o, en), en.evidence()})
	}
	if len(evs) == 0 {
		if src == "" {
			return nil
		}
		return []graph.Evidence{plain}
	}
	if src != "" {
		evs = append(evs, positioned{-1, plain})
	}
	slices.SortFunc(evs, func(a, b positioned) int { return cmp.Compare(a.pos, b.pos) })
	out := make([]graph.Evidence, len(evs))
	for i, e := range evs {
		out[i] = e.ev
	}
	return out
}

// context reads an evidence node's context (evidenceContext).
func (n *dnode) context(ev *graph.Evidence) {
	ev.Negated = n.boolean(pNegated) == 1
	ev.Taxon = n.str(pTaxon)
	ev.CellTypes = n.strs(pCellType)
	ev.Tissues = n.strs(pTissue)
	ev.Mechanism = n.str(pEvMech)
	if b := n.boolean(pDirect); b >= 0 {
		d := b == 1
		ev.Direct = &d
	}
	ev.Aggregators = n.strs(pAggregator)
	if n.first(pScore) != nil {
		f := n.num(pScore)
		ev.Score = &f
	}
}

// boolean is p's value: 1 for true, 0 for false, -1 for none.
func (n *dnode) boolean(p quad.IRI) int {
	switch v := n.first(p).(type) {
	case nil:
		return -1
	case quad.Bool:
		if v {
			return 1
		}
		return 0
	case quad.TypedString:
		if b, err := strconv.ParseBool(string(v.Value)); err == nil && b {
			return 1
		}
		return 0
	default:
		if b, err := strconv.ParseBool(quad.ToString(v)); err == nil && b {
			return 1
		}
		return 0
	}
}

// QuadsOf lays out the records of b as quads, as a store writes them: the
// layout described at the top of this file.
func QuadsOf(b *graph.Batch) []quad.Quad { return quadsOf(b) }

// EachQuad calls emit with each quad of QuadsOf(b), without the slice.
func EachQuad(b *graph.Batch, emit func(quad.Quad)) { eachQuad(b, emit) }

// Version is the layout this package writes. A store records it in one
// quad (VersionQuad) with its first write; a store of our records without
// it was written by layout 1 (before evidence items had knowledge levels
// and links stored their confidence), which Upgrade turns into this one,
// as it does a store of layout 2 (a link a node of class Link, seven quads
// a row of a network; see the top of this file). Layout 3 wrote two more
// quads on every evidence item's node, its class and its position (which
// its name holds too), as layouts 1 and 2 did: OldItemQuad picks them out,
// and a store of layout 3 is upgraded by removing them, without its
// records being read.
const Version = 4

// OldItemQuad reports whether q is a quad layouts 1 to 3 wrote on an
// evidence item's node and this layout does not: its <rdf:type>
// <urn:leydigkg:Evidence> or its <urn:leydigkg:position>.
func OldItemQuad(q quad.Quad) bool {
	if _, _, ok := splitItem(q.Subject); !ok || !IsOwnIRI(q.Subject) {
		return false
	}
	return q.Predicate == pPosition || q.Predicate == rdfType && q.Object == classEvidence
}

// RecordOf is the record node an evidence item's node v belongs to
// (itemIRI), and v itself when it is not an item's.
func RecordOf(v quad.Value) quad.Value {
	if record, _, ok := splitItem(v); ok {
		return record
	}
	return v
}

// VersionOf is the layout q says a store holds, when q is a store's
// version quad (VersionQuad) of any layout.
func VersionOf(q quad.Quad) (int, bool) {
	if q.Subject != storeNode || q.Predicate != pLayout {
		return 0, false
	}
	v, ok := q.Object.(quad.Int)
	return int(v), ok
}

var (
	storeNode = quad.IRI(ns + "store")
	pLayout   = quad.IRI(ns + "layoutVersion")
)

// VersionQuad is the quad that says a store holds this layout.
func VersionQuad() quad.Quad { return quad.Make(storeNode, pLayout, quad.Int(Version), nil) }

// Version is the layout of what was fed: 0 for no record of ours, else
// the version the store recorded; without one, 1 when quads only layout 1
// wrote are there (links' confidences), 2 when links are nodes of class
// Link, else this one (an export, which carries no version quad).
func (d *Decoder) Version() int {
	if n := d.d.lookup(storeNode); n != nil {
		if v, ok := n.first(pLayout).(quad.Int); ok {
			return int(v)
		}
	}
	for _, n := range d.d.order {
		switch n.first(rdfType) {
		case classEntity, classLink, classSource, classReference, classRelation:
			switch {
			case d.d.v1:
				return 1
			case d.d.v2:
				return 2
			}
			return Version // an export: records without the store's version quad
		}
	}
	return 0
}

// Layout1Source is the source of a layout-1 link that named publications
// but no knowledge source.
const Layout1Source = "layout1-publications"

// Upgrade completes records a Decoder read from a layout-1 store (which
// already gave their evidence its knowledge level): the knowledge sources
// layout 1 kept on links become sources. Links' confidences are scored
// again by the store.
func Upgrade(r *index.Records) {
	have := map[string]bool{}
	for _, s := range r.Sources {
		have[s.ID] = true
	}
	for i := range r.RowLinks {
		if src := r.RowLinks[i].Source; !have[src] {
			have[src] = true
			r.Sources = append(r.Sources, &graph.Source{ID: src, Title: src})
		}
	}
	for _, l := range r.Links {
		for _, e := range l.Evidence {
			if !have[e.Source] {
				have[e.Source] = true
				r.Sources = append(r.Sources, &graph.Source{ID: e.Source, Title: e.Source})
			}
		}
	}
}

// EntityIRI names the node of the entity id.
func EntityIRI(id string) quad.IRI { return entityIRI(id) }

// EdgePredicates are the predicates of the quads from a link's subject to
// its object: a cayley path that follows them walks the causal graph.
func EdgePredicates() []quad.Value { return []quad.Value{pIncreases, pDecreases} }

// The predicates from a link's node to its subject's and object's in
// layout 2 (read, no longer written).
const (
	pSubject = quad.IRI(ns + "subject")
	pObject  = quad.IRI(ns + "object")
)

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

// Records returns the records fed so far, in the order their nodes were
// first seen, for a snapshot (index.New).
func (d *Decoder) Records() index.Records {
	r, _ := d.d.records(false)
	d.upgrade(r.Links)
	return r
}

// IndexRecords are the records as index.New takes them best: entities
// and links in id order, the order in which it numbers them, and rows of
// networks as row links (index.RowLink), not links (their Confidence is
// still to be set, as a link's is). Made in id order, links lie in memory
// as the index reads them (at 3·10⁶ links, reading them in another order
// than they were made cost a second of cache misses), and it need not sort
// them. WholeLinks of them is Records with the links in id order.
func (d *Decoder) IndexRecords() index.Records {
	r, _ := d.d.records(true)
	d.upgrade(r.Links)
	return r
}

// upgrade gives the evidence items of layout-1 records what layout 1 left
// unsaid: each was a quote a person curated (manual_agent) that states its
// claim (knowledge_assertion). Records are read as this layout means them.
func (d *Decoder) upgrade(links []*graph.Link) {
	if d.Version() != 1 {
		return
	}
	for _, l := range links {
		for j := range l.Evidence {
			if e := &l.Evidence[j]; e.KnowledgeLevel == "" && e.Quote != "" {
				e.KnowledgeLevel, e.AgentType = graph.KnowledgeAssertion, graph.ManualAgent
			}
		}
	}
}

// Add feeds one quad.
func (d *Decoder) Add(q quad.Quad) { d.d.add(q) }

// AddIDs feeds one quad and the numbers its store gives its subject,
// predicate, object and label nodes, 0 for none: a number must stand for
// one value throughout (a value may have several numbers: nodes are still
// one per value). Records are what Add of the same quads gives;
// the numbers only spare finding each quad's node by its value.
func (d *Decoder) AddIDs(q quad.Quad, ids *[4]uint64) { d.d.addIDs(q, ids, 0) }

// AddAt feeds one quad with a mark of the caller's (where it was read):
// Batch returns, for each record, the mark of its first quad.
func (d *Decoder) AddAt(q quad.Quad, mark int64) { d.d.addAt(q, mark) }

// Batch returns the records fed so far, each kind sorted by id, and for
// each record the mark of the first quad of its node (marks.Entities[i]
// for Entities[i], and so on).
func (d *Decoder) Batch() (*graph.Batch, *BatchMarks) {
	r, m := d.d.records(false)
	d.upgrade(r.Links)
	b := &graph.Batch{
		Sources:    make([]graph.Source, len(r.Sources)),
		References: make([]graph.Reference, len(r.References)),
		Entities:   make([]graph.Entity, len(r.Entities)),
		Links:      make([]graph.Link, len(r.Links)),
		Relations:  make([]graph.Relation, len(r.Relations)),
	}
	marks := &BatchMarks{
		Sources:    sortedCopy(r.Sources, m.sources, b.Sources, func(x *graph.Source) string { return x.ID }),
		References: sortedCopy(r.References, m.refs, b.References, func(x *graph.Reference) string { return x.ID }),
		Entities:   sortedCopy(r.Entities, m.entities, b.Entities, func(x *graph.Entity) string { return x.ID }),
		Links:      sortedCopy(r.Links, m.links, b.Links, func(x *graph.Link) string { return x.ID }),
		Relations:  sortedCopy(r.Relations, m.relations, b.Relations, func(x *graph.Relation) string { return x.Key() }),
	}
	return b, marks
}

// sortedCopy copies recs into dst in id order and returns their marks in
// the same order. Records read from a file written in id order (as every
// export is) need no sorting.
func sortedCopy[T any](recs []*T, marks []int64, dst []T, id func(*T) string) []int64 {
	cmpID := func(a, b int) int { return strings.Compare(id(recs[a]), id(recs[b])) }
	sorted := true
	for i := 1; i < len(recs) && sorted; i++ {
		sorted = cmpID(i-1, i) <= 0
	}
	if sorted {
		for i, x := range recs {
			dst[i] = *x
		}
		return marks
	}
	type keyed struct {
		id string
		i  int
	}
	order := make([]keyed, len(recs))
	for i, x := range recs {
		order[i] = keyed{id(x), i}
	}
	slices.SortFunc(order, func(a, b keyed) int { return strings.Compare(a.id, b.id) })
	out := make([]int64, len(recs))
	for i, k := range order {
		dst[i] = *recs[k.i]
		out[i] = marks[k.i]
	}
	return out
}

// BatchMarks are the marks (Decoder.AddAt) of the nodes a decoded Batch's
// records came from.
type BatchMarks struct {
	Sources, References, Entities, Links, Relations []int64
}
