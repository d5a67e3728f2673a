package layout

import (
	"math/rand/v2"
	"reflect"
	"strconv"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/graph/gen"
)

// TestAddIDsAsAdd: records fed with node numbers (AddIDs) are exactly
// those fed by value (Add), in any order of the quads, whether each value
// has one number or several (a node met under two numbers is still one
// node), some quads have none, and whether IRIs have hashes of their own
// or share them with many others (the node table's map by value).
func TestAddIDsAsAdd(t *testing.T) {
	b := gen.Generate(gen.Config{Edges: 300, Seed: 5})
	yes := true
	for i := range b.Links {
		l := &b.Links[i]
		l.Confidence = 0 // not stored: scored by the store
		switch i % 5 {
		default: // a network's row (what row links are made of)
			l.Predicate, l.Aliases = defaultPredicate, nil
			l.Evidence = []graph.Evidence{{Source: gen.SourceID, At: "net.csv:" + strconv.Itoa(i+2)}}
		case 0:
			l.Evidence = []graph.Evidence{{Source: gen.SourceID, At: "net.csv:1"}, {Source: gen.SourceID, Quote: "q", At: "x:2"}}
		case 1:
			l.Evidence = []graph.Evidence{{Source: gen.SourceID, Negated: true, Direct: &yes}}
			l.Aliases = []string{"a" + l.ID}
		}
	}
	qs := append(QuadsOf(b), VersionQuad(), quad.Make(quad.IRI("urn:other:x"), quad.IRI("urn:other:p"), quad.IRI(ns+"link:l3"), nil))
	// The records decoded by value, each IRI a hash of its own, in the
	// order given and shuffled: what each case must decode.
	want := map[bool]any{}
	for _, shuffle := range []bool{false, true} {
		d := NewDecoder()
		for _, q := range order(qs, shuffle) {
			d.Add(q)
		}
		want[shuffle] = d.Records()
	}
	for _, tc := range []struct {
		name     string
		shuffle  bool
		numbers  int    // numbers a value has (drawn at random among them)
		none     int    // one quad in none has no numbers (0: all have)
		hashBits uint64 // the IRIs' hashes keep these bits
	}{
		{"one number a value", false, 1, 0, ^uint64(0)},
		{"shuffled", true, 1, 0, ^uint64(0)},
		{"three numbers a value", true, 3, 0, ^uint64(0)},
		{"some quads without numbers", true, 2, 4, ^uint64(0)},
		{"IRIs sharing 16 hashes", true, 2, 5, 0xf},
		{"all IRIs one hash", true, 1, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func(old uint64) { hashBits = old }(hashBits)
			hashBits = tc.hashBits
			rng := rand.New(rand.NewPCG(7, 18))
			qs := order(qs, tc.shuffle)
			numbers := map[quad.Value][]uint64{}
			next := uint64(1)
			number := func(v quad.Value) uint64 {
				if v == nil {
					return 0
				}
				if numbers[v] == nil {
					for range tc.numbers {
						numbers[v] = append(numbers[v], next)
						next += 1 + uint64(rng.IntN(3)) // not dense
					}
				}
				return numbers[v][rng.IntN(tc.numbers)]
			}
			byIDs, byValue := NewDecoder(), NewDecoder()
			for i, q := range qs {
				var ids [4]uint64
				if tc.none == 0 || i%tc.none != 0 {
					ids = [4]uint64{number(q.Subject), number(q.Predicate), number(q.Object), number(q.Label)}
				}
				byIDs.AddIDs(q, &ids)
				byValue.Add(q)
			}
			got, byVal := byIDs.Records(), byValue.Records()
			if !reflect.DeepEqual(byVal, want[tc.shuffle]) {
				t.Error("the records decoded by value differ from those decoded with no hash shared")
			}
			if n := len(byVal.Links); n != len(b.Links) {
				t.Fatalf("%d links decoded, of %d", n, len(b.Links))
			}
			if !reflect.DeepEqual(got, byVal) || byIDs.Version() != byValue.Version() {
				t.Error("the records decoded with numbers differ from those decoded by value")
			}
			// Row links find their ends by the edges' numbers (rowWorker).
			forIndex := byIDs.IndexRecords()
			if !reflect.DeepEqual(forIndex.WholeLinks(), byValue.IndexRecords().WholeLinks()) {
				t.Error("the records for an index decoded with numbers differ from those decoded by value")
			}
			if len(forIndex.RowLinks) < len(b.Links)/8 { // shuffled, a row whose edge does not come first is no row link
				t.Errorf("%d row links of %d links: the test compares little", len(forIndex.RowLinks), len(b.Links))
			}
		})
	}
}

// order is qs, or a copy of it shuffled (the same way each time).
func order(qs []quad.Quad, shuffle bool) []quad.Quad {
	if !shuffle {
		return qs
	}
	qs = append([]quad.Quad(nil), qs...)
	rand.New(rand.NewPCG(9, 18)).Shuffle(len(qs), func(i, j int) { qs[i], qs[j] = qs[j], qs[i] })
	return qs
}
