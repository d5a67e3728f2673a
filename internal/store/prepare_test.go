package store

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"testing"

	"github.com/cayleygraph/cayley/graph/refs"
	"github.com/cayleygraph/quad"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/graph/gen"
	"github.com/leydigkg/leydigkg/internal/layout"
)

// TestPrepareCopyAsAMapWould: prepareCopy (occurrences, sorted integers,
// counting by subject) gives what the plainest way gives: every distinct
// value by cayley's hash, as it first occurs, in hash order, with the
// references the distinct quads make to it, and the distinct quads in
// hash order.
func TestPrepareCopyAsAMapWould(t *testing.T) {
	g := gen.Generate(gen.Config{Edges: 2_000, Seed: 3})
	var values []quad.Quad // every kind of value, twice, in every place
	for i, v := range append(slices.Clone(copyValues), copyValues...) {
		values = append(values, quad.Quad{Subject: quad.IRI(fmt.Sprintf("urn:s%d", i%7)), Predicate: quad.IRI("urn:p"), Object: v, Label: v},
			quad.Quad{Subject: quad.IRI("urn:s0"), Predicate: quad.IRI("urn:p"), Object: v})
	}
	// One hash, two Go values (cayley hashes the N-Quads form): the first
	// to come is the value, either way round.
	sameHash := func(a, b quad.Value) []quad.Quad {
		return []quad.Quad{{Subject: quad.IRI("urn:s"), Predicate: quad.IRI("urn:p"), Object: a}, {Subject: quad.IRI("urn:t"), Predicate: quad.IRI("urn:p"), Object: b}}
	}
	shuffled := layout.QuadsOf(g)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	for name, qs := range map[string][]quad.Quad{
		"generated":                     layout.QuadsOf(g),
		"signed":                        layout.QuadsOf(asRows(g)),
		"shuffled":                      shuffled,
		"repeated quads":                append(layout.QuadsOf(g), layout.QuadsOf(g)[:500]...),
		"values of every kind":          values,
		"one quad":                      values[:1],
		"one subject, many quads":       values[len(values)/2:],
		"one hash, an Int first":        sameHash(quad.Int(5), quad.Int(5).TypedString()),
		"one hash, a TypedString first": sameHash(quad.Int(5).TypedString(), quad.Int(5)),
	} {
		t.Run(name, func(t *testing.T) {
			st, err := prepareCopy(qs)
			if err != nil {
				t.Fatal(err)
			}
			want := plainCopy(qs)
			if !slices.EqualFunc(st.values, want.values, sameCopyValue) {
				t.Errorf("values differ: %d, want %d", len(st.values), len(want.values))
			}
			if !slices.Equal(st.quads, want.quads) {
				t.Errorf("quads differ: %d, want %d", len(st.quads), len(want.quads))
			}
		})
	}
}

// sameCopyValue compares values as N-Quads, which tells a quad.Float's
// NaN equal to itself, and 0 from -0, as cayley's hash does.
func sameCopyValue(a, b copyValue) bool {
	return a.hash == b.hash && a.refs == b.refs && reflect.TypeOf(a.val) == reflect.TypeOf(b.val) && a.val.String() == b.val.String()
}

// asRows is g with each link's evidence a row of a signed network, as a
// signed list's load makes it: three quads a link.
func asRows(g *graph.Batch) *graph.Batch {
	rows := *g
	rows.Links = slices.Clone(g.Links)
	for i := range rows.Links {
		rows.Links[i].Evidence = []graph.Evidence{{Source: gen.SourceID, At: "net.csv:" + strconv.Itoa(i+2)}}
	}
	return &rows
}

// plainCopy is what prepareCopy gives, the plainest way.
func plainCopy(qs []quad.Quad) *copyLoad {
	first := map[refs.ValueHash]quad.Value{}
	distinct := map[refs.QuadHash]bool{}
	for _, q := range qs {
		var qh refs.QuadHash
		for _, dir := range quad.Directions {
			if v := q.Get(dir); v != nil {
				h := refs.HashOf(v)
				if _, ok := first[h]; !ok {
					first[h] = v
				}
				qh.Set(dir, h)
			}
		}
		distinct[qh] = true
	}
	st := &copyLoad{}
	for h, v := range first {
		st.values = append(st.values, copyValue{hash: h, val: v})
	}
	slices.SortFunc(st.values, func(a, b copyValue) int { return bytes.Compare(a.hash[:], b.hash[:]) })
	for q := range distinct {
		st.quads = append(st.quads, q)
		for _, h := range q.Dirs() {
			if h.Valid() {
				i, _ := slices.BinarySearchFunc(st.values, h, func(v copyValue, h refs.ValueHash) int { return bytes.Compare(v.hash[:], h[:]) })
				st.values[i].refs++
			}
		}
	}
	slices.SortFunc(st.quads, compareQuadHash)
	return st
}

// TestHashOrderTies: occurrences whose hashes share their first 8 bytes
// (which the sorted integers hold) come in the order of their whole
// hashes, and occurrences of one hash in their own order.
func TestHashOrderTies(t *testing.T) {
	hash := func(lead uint64, rest byte) refs.ValueHash {
		var h refs.ValueHash
		for i := range 8 {
			h[i] = byte(lead >> (56 - 8*i))
		}
		h[19] = rest
		return h
	}
	occ := []occurrence{
		{hash: hash(7, 3)}, {hash: hash(7, 1)}, {hash: hash(2, 0)}, {hash: hash(7, 1)}, {hash: hash(7, 2)},
		{hash: hash(2, 0)}, {hash: hash(1<<63, 9)}, {hash: hash(7, 0)}, {hash: hash(1<<63, 8)},
	}
	want := []int32{2, 5, 7, 1, 3, 4, 0, 8, 6}
	if got := hashOrder(occ); !slices.Equal(got, want) {
		t.Errorf("hashOrder = %v, want %v", got, want)
	}
}

// TestBySubject: sorting by counting the subjects, then each subject's
// quads, is sorting.
func TestBySubject(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 5))
	for _, n := range []int{1, 2, 50, 5000} {
		quads := make([][2]uint64, 3*n)
		for i := range quads {
			s, p, o, l := 1+rng.Uint64N(uint64(n)), 1+rng.Uint64N(3), 1+rng.Uint64N(uint64(n)), rng.Uint64N(uint64(n)+1)
			quads[i] = [2]uint64{s<<32 | p, o<<32 | l}
		}
		want := slices.Clone(quads)
		slices.SortFunc(want, func(a, b [2]uint64) int {
			if a[0] != b[0] {
				return cmpU(a[0], b[0])
			}
			return cmpU(a[1], b[1])
		})
		if got := bySubject(quads, n); !slices.Equal(got, want) {
			t.Errorf("%d values: bySubject does not sort", n)
		}
	}
}

func cmpU(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
