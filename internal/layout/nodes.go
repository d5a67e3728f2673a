package layout

import (
	"hash/maphash"

	"github.com/cayleygraph/quad"
)

// nodeTable finds a decoder's nodes by value. A map keyed by quad.Value
// hashes the whole value through its interface at every lookup and again
// at every growth: at 3·10⁶ links, 3.75 M nodes, that was most of the
// decoding's time. Nodes of IRIs (nearly all) are kept by a 64-bit hash
// of the IRI instead, hashed once a lookup and never again; the node there
// is checked to hold the very value, and an IRI whose hash another IRI
// holds already goes to the map by value, with every other kind of value.
// So each value still has exactly one node.
type nodeTable struct {
	seed  maphash.Seed
	iris  map[uint64]int32     // hash of an IRI -> its node's place in order
	other map[quad.Value]int32 // any other value, and IRIs whose hash is taken
}

func newNodeTable() nodeTable {
	return nodeTable{seed: maphash.MakeSeed(), iris: map[uint64]int32{}, other: map[quad.Value]int32{}}
}

// get is the place of v's node in order, ok false for none.
func (t *nodeTable) get(v quad.Value, order []*dnode) (at int32, ok bool) {
	if iri, isIRI := v.(quad.IRI); isIRI {
		at, ok = t.iris[t.hash(iri)]
		if ok && order[at].v == v {
			return at, true
		}
		if !ok {
			return 0, false // no IRI of this hash: none in other either
		}
	}
	at, ok = t.other[v]
	return at, ok
}

// put records that v's node, which get did not find, is order[at].
func (t *nodeTable) put(v quad.Value, at int32) {
	if iri, isIRI := v.(quad.IRI); isIRI {
		h := t.hash(iri)
		if _, taken := t.iris[h]; !taken {
			t.iris[h] = at
			return
		}
	}
	t.other[v] = at
}

// hashBits masks the IRIs' hashes: tests keep a few bits, so that many
// IRIs share one.
var hashBits = ^uint64(0)

func (t *nodeTable) hash(iri quad.IRI) uint64 {
	return maphash.String(t.seed, string(iri)) & hashBits
}
