package index

import (
	"hash/maphash"
	"iter"
	"maps"
	"slices"
)

// The structures a write changes in place of rebuilding them: maps
// overlaid with the keys the writes since the last full build changed, and
// adjacency rows in chunks copied on write. A snapshot made by With shares
// everything else with the one it was made from, so a write costs what it
// touches, not the size of the graph.

// omap is a map read through an overlay: delta holds the keys changed since
// base was built (ok false: removed). base is never written after New;
// delta is split by key hash into omapShards maps, shared by the snapshots
// of a chain: a write copies the table of shards and the shards it
// changes, not the keys changed so far, so that a write costs the same
// however many came before it since the last full build.
type omap[K comparable, V any] struct {
	base  map[K]V
	delta []map[K]oval[V] // nil, or omapShards maps (nil while empty)
	owned *shardSet       // the shards (and table) this snapshot made; nil: none
	n     int             // live keys
}

// omapShards is how many maps an overlay is split into: its table is
// copied by the first change a write makes to it (8 KB).
const omapShards = 1024

type shardSet [omapShards / 64]uint64

type oval[V any] struct {
	v  V
	ok bool
}

var shardSeed = maphash.MakeSeed()

func shardOf[K comparable](k K) int { return int(maphash.Comparable(shardSeed, k) % omapShards) }

func newOmap[K comparable, V any](base map[K]V) omap[K, V] {
	return omap[K, V]{base: base, n: len(base)}
}

func (m *omap[K, V]) get(k K) (V, bool) {
	if m.delta != nil {
		if d, ok := m.delta[shardOf(k)][k]; ok {
			return d.v, d.ok
		}
	}
	v, ok := m.base[k]
	return v, ok
}

// at is get without the flag, the zero value for a missing key.
func (m *omap[K, V]) at(k K) V {
	v, _ := m.get(k)
	return v
}

func (m *omap[K, V]) len() int { return m.n }

// fork is m for a new snapshot: the same contents, the delta shared until
// the new snapshot changes it.
func (m omap[K, V]) fork() omap[K, V] {
	m.owned = nil
	return m
}

// shard is k's shard of the delta, this snapshot's own to change.
func (m *omap[K, V]) shard(k K) map[K]oval[V] {
	if m.owned == nil {
		m.owned = &shardSet{}
		if m.delta == nil {
			m.delta = make([]map[K]oval[V], omapShards)
		} else {
			m.delta = slices.Clone(m.delta)
		}
	}
	i := shardOf(k)
	if bit := uint64(1) << (i % 64); m.owned[i/64]&bit == 0 {
		m.delta[i] = maps.Clone(m.delta[i])
		if m.delta[i] == nil {
			m.delta[i] = map[K]oval[V]{}
		}
		m.owned[i/64] |= bit
	}
	return m.delta[i]
}

func (m *omap[K, V]) set(k K, v V) {
	if _, ok := m.get(k); !ok {
		m.n++
	}
	m.shard(k)[k] = oval[V]{v, true}
}

func (m *omap[K, V]) del(k K) {
	if _, ok := m.get(k); !ok {
		return
	}
	m.n--
	d := m.shard(k)
	if _, inBase := m.base[k]; inBase {
		d[k] = oval[V]{}
	} else {
		delete(d, k)
	}
}

// all yields every live key and value, in no particular order.
func (m *omap[K, V]) all() iter.Seq2[K, V] {
	return func(yield func(K, V) bool) {
		for k, v := range m.base {
			if m.delta != nil {
				if _, changed := m.delta[shardOf(k)][k]; changed {
					continue
				}
			}
			if !yield(k, v) {
				return
			}
		}
		for _, d := range m.delta {
			for k, x := range d {
				if x.ok && !yield(k, x.v) {
					return
				}
			}
		}
	}
}

// row is a node's outgoing (or incoming) links and the entities at their
// other ends, ordered by the other end's id, then link id.
type row struct{ links, nodes []int32 }

// rowBits sizes the chunks of a rowTable: a write copies the chunks of the
// rows it changes (1024 rows, 48 KB each) and the table of chunks.
const (
	rowBits = 10
	rowMask = 1<<rowBits - 1
)

// rowTable holds a row per node number, in chunks of 1<<rowBits rows.
type rowTable [][]row

func (t rowTable) get(n int32) row { return t[n>>rowBits][n&rowMask] }

// newRowTable holds node n's row of the CSR arrays off, links and nodes.
func newRowTable(n int, off, links, nodes []int32) rowTable {
	t := make(rowTable, (n+rowMask)>>rowBits)
	for c := range t {
		t[c] = make([]row, 1<<rowBits)
	}
	for i := range n {
		a, b := off[i], off[i+1]
		t[i>>rowBits][i&rowMask] = row{links[a:b:b], nodes[a:b:b]}
	}
	return t
}

// rowEdit changes a rowTable for a new snapshot, copying the table and
// each chunk the first time it changes one.
type rowEdit struct {
	t      rowTable
	copied map[int]bool
}

func (e *rowEdit) set(n int32, r row) {
	c := int(n >> rowBits)
	if e.copied == nil {
		e.t = append(rowTable(nil), e.t...)
		e.copied = map[int]bool{}
	}
	for c >= len(e.t) {
		e.t = append(e.t, make([]row, 1<<rowBits))
		e.copied[len(e.t)-1] = true
	}
	if !e.copied[c] {
		e.t[c] = append([]row(nil), e.t[c]...)
		e.copied[c] = true
	}
	e.t[c][n&rowMask] = r
}

// ensure makes room for node n (with an empty row).
func (e *rowEdit) ensure(n int32) {
	if int(n>>rowBits) >= len(e.t) {
		e.set(n, row{})
	}
}
