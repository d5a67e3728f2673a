package kg_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/leydigkg/leydigkg/data"
	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/graph/gen"
	"github.com/leydigkg/leydigkg/internal/layout"
	"github.com/leydigkg/leydigkg/internal/store"
	"github.com/leydigkg/leydigkg/kg"
)

// TestOpenDecodesAsQuads: opening a bolt store decodes its quads with
// their node ids (store.DB.ReadAllIDs into layout.Decoder.AddIDs: nodes
// found by the store's numbers, values read off the wire) to exactly the
// records the general decoder makes of the same quads fed by value
// (Quads into Decoder.Add), for stores of every shape: the curated graph
// (evidence nodes, references, structure relations); random rows of a
// network mixed with links of several evidence items, aliases, shortcuts,
// denied edges, mechanisms and other predicates, written in several
// writes or by a bulk load; quads of other vocabularies, in our records'
// nodes and beside them; quads deleted, whole links and single fields.
func TestOpenDecodesAsQuads(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name     string
		rowLinks int // at least this many links are given as row links
		write    func(t *testing.T, spec string)
	}{
		{"curated graph", 0, func(t *testing.T, spec string) {
			s, err := data.Open(ctx, spec)
			if err != nil {
				t.Fatal(err)
			}
			s.Close()
		}},
		{"mixed rows, several writes", 100, func(t *testing.T, spec string) {
			db := openDB(t, spec)
			defer db.Close()
			rng := rand.New(rand.NewPCG(1, 18))
			for i := range 3 {
				write(t, db, layout.QuadsOf(mixedRows(rng, 400, i)), nil)
			}
		}},
		{"mixed rows, bulk load", 100, func(t *testing.T, spec string) {
			db := openDB(t, spec)
			defer db.Close()
			qs := append(layout.QuadsOf(mixedRows(rand.New(rand.NewPCG(2, 18)), 1500, 0)), layout.VersionQuad())
			if err := db.WriteFresh(ctx, qs, false); err != nil {
				t.Fatal(err)
			}
		}},
		{"foreign and deleted quads", 100, func(t *testing.T, spec string) {
			db := openDB(t, spec)
			defer db.Close()
			rng := rand.New(rand.NewPCG(3, 18))
			qs := layout.QuadsOf(mixedRows(rng, 600, 0))
			write(t, db, append(qs, layout.VersionQuad()), nil)
			var foreign, gone []quad.Quad
			for i, q := range qs {
				switch {
				case i%7 == 0: // a field, or a whole edge, gone
					gone = append(gone, q)
				case i%11 == 0: // another tool's quads on our nodes
					foreign = append(foreign, quad.Make(q.Subject, quad.IRI("urn:other:p"), quad.String("x"+strconv.Itoa(i)), nil),
						quad.Make(q.Subject, quad.IRI("urn:leydigkg:alias"), quad.Int(i), quad.IRI("urn:other:g")))
				case i%13 == 0: // and beside them, naming them
					foreign = append(foreign, quad.Make(quad.IRI("urn:other:n"+strconv.Itoa(i)), quad.IRI("urn:other:about"), q.Subject, nil),
						quad.Make(quad.BNode("b"+strconv.Itoa(i)), quad.IRI("urn:leydigkg:name"), quad.Float(0.5), nil))
				}
			}
			write(t, db, foreign, nil)
			write(t, db, nil, gone)
			write(t, db, append(layout.QuadsOf(mixedRows(rng, 200, 1)), gone[:len(gone)/2]...), nil) // some put back, under new ids
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spec := "bolt:" + filepath.Join(t.TempDir(), "store")
			tc.write(t, spec)
			db := openDB(t, spec)
			defer db.Close()
			byIDs, byValue := layout.NewDecoder(), layout.NewDecoder()
			if err := db.ReadAllIDs(ctx, func(q quad.Quad, ids *store.NodeIDs) { byIDs.AddIDs(q, (*[4]uint64)(ids)) }); err != nil {
				t.Fatal(err)
			}
			if err := db.Quads(ctx, func(q quad.Quad) error { byValue.Add(q); return nil }); err != nil {
				t.Fatal(err)
			}
			got, want := byIDs.Records(), byValue.Records()
			forIndex := byIDs.IndexRecords() // what Open indexes
			sorted := forIndex.WholeLinks()
			byID := slices.Clone(want.Links)
			slices.SortStableFunc(byID, func(a, b *graph.Link) int { return strings.Compare(a.ID, b.ID) })
			entities := slices.Clone(want.Entities)
			slices.SortStableFunc(entities, func(a, b *graph.Entity) int { return strings.Compare(a.ID, b.ID) })
			if !reflect.DeepEqual(sorted.Links, byID) || !reflect.DeepEqual(sorted.Entities, entities) {
				t.Error("IndexRecords are not the records decoded by value in id order")
			}
			if len(forIndex.RowLinks) < tc.rowLinks {
				t.Errorf("%d of %d links given as row links: the test compares little", len(forIndex.RowLinks), len(want.Links))
			}
			if len(want.Links) < 100 || len(want.Entities) < 10 {
				t.Fatalf("the store decodes to %d links and %d entities: the test compares little", len(want.Links), len(want.Entities))
			}
			if byIDs.Version() != byValue.Version() {
				t.Errorf("Version = %d by ids, %d by value", byIDs.Version(), byValue.Version())
			}
			for _, kind := range []struct {
				name      string
				got, want any
			}{
				{"entities", got.Entities, want.Entities}, {"links", got.Links, want.Links}, {"references", got.References, want.References},
				{"sources", got.Sources, want.Sources}, {"relations", got.Relations, want.Relations},
			} {
				if !reflect.DeepEqual(kind.got, kind.want) {
					t.Errorf("the %s decoded by ids differ from those decoded by value", kind.name)
				}
			}
		})
	}
}

func openDB(t *testing.T, spec string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func write(t *testing.T, db *store.DB, add, remove []quad.Quad) {
	t.Helper()
	if _, err := db.Write(context.Background(), add, remove); err != nil {
		t.Fatal(err)
	}
}

// mixedRows is a generated network whose links take every shape the
// layout writes: mostly plain rows, and links with quotes and references
// on evidence nodes beside a plain item, several plain items, aliases,
// shortcuts, mechanisms, other predicates, only negated evidence (denied
// edges), context. Link ids carry round, so that rounds add links.
func mixedRows(rng *rand.Rand, edges, round int) *graph.Batch {
	b := gen.Generate(gen.Config{Edges: edges, Seed: rng.Uint64()})
	b.References = []graph.Reference{{ID: "r1", Citation: "A. B. (2020)", Authors: []string{"A", "B"}, Year: 2020}}
	yes := true
	for i := range b.Entities {
		if rng.IntN(10) == 0 {
			b.Entities[i].Aliases = []string{"old_" + b.Entities[i].ID}
			b.Entities[i].Synonyms = []string{"syn " + strconv.Itoa(i), "other " + strconv.Itoa(i)}
		}
	}
	for i := range b.Links {
		l := &b.Links[i]
		l.ID = fmt.Sprintf("%s_%s_%s_r%d_%d", l.Subject, l.Effect, l.Object, round, i)
		l.Confidence = 0
		row := graph.Evidence{Source: gen.SourceID, KnowledgeLevel: graph.KnowledgeNotProvided, AgentType: graph.AgentNotProvided,
			At: "net.csv:" + strconv.Itoa(i+2)}
		l.Evidence = []graph.Evidence{row}
		switch rng.IntN(12) {
		case 0:
			l.Evidence = append(l.Evidence, graph.Evidence{Source: gen.SourceID, Quote: "A raises B.", References: []string{"r1"},
				KnowledgeLevel: graph.KnowledgeAssertion, AgentType: graph.ManualAgent, At: "x.md:3"})
		case 1:
			l.Evidence = append(l.Evidence, row, graph.Evidence{Source: gen.SourceID, At: "other.csv:" + strconv.Itoa(i)})
		case 2:
			l.Aliases = []string{"alias_" + l.ID}
		case 3:
			l.ShortcutOf = [][]string{{l.Subject, "n1", l.Object}}
		case 4:
			l.Mechanism = "binds its promoter"
		case 5:
			l.Predicate = "biolink:causes"
		case 6:
			l.Evidence = []graph.Evidence{{Source: gen.SourceID, Negated: true, Direct: &yes, At: "neg.csv:" + strconv.Itoa(i)}}
		case 7:
			l.Evidence[0].Tissues = []string{"UBERON:0000473"}
		case 8:
			l.Evidence[0].At = "" // no row
		}
	}
	return b
}

// TestReopenScoresRows: a link read back from a store is the link written,
// with the confidence it had then, its evidence's belief, whether it comes
// back as a link or, a row of a network, as a row link (which Open scores
// by the kind of its item: source, knowledge level, agent type). Rows of
// several kinds, in runs and mixed, under a table that scores each kind
// apart.
func TestReopenScoresRows(t *testing.T) {
	ctx := context.Background()
	beliefs := graph.BeliefTable{
		{Source: "s_b", Random: 0.05, Systematic: 0.05, Why: "test"},
		{KnowledgeLevel: graph.Observation, Random: 0.2, Systematic: 0.1, Why: "test"},
		{AgentType: graph.ManualAgent, Random: 0.1, Systematic: 0.02, Why: "test"},
		{Random: 0.3, Systematic: 0.2, Why: "test"},
	}
	opts := kg.Options{Beliefs: beliefs}
	rng := rand.New(rand.NewPCG(7, 18))
	b := gen.Generate(gen.Config{Edges: 600, Seed: 7})
	b.Sources = append(b.Sources, graph.Source{ID: "s_b", Title: "b"})
	for i := range b.Links {
		l := &b.Links[i]
		row := graph.Evidence{Source: gen.SourceID, At: "net.csv:" + strconv.Itoa(i+2)}
		if i/50%2 == 1 || rng.IntN(4) == 0 { // runs of one kind, and kinds mixed
			row.Source = []string{gen.SourceID, "s_b"}[rng.IntN(2)]
			row.KnowledgeLevel = []graph.KnowledgeLevel{"", graph.Observation, graph.KnowledgeAssertion}[rng.IntN(3)]
			row.AgentType = []graph.AgentType{"", graph.ManualAgent, graph.AutomatedAgent}[rng.IntN(3)]
		}
		l.Evidence = []graph.Evidence{row}
		if rng.IntN(10) == 0 {
			l.Evidence = append(l.Evidence, graph.Evidence{Source: "s_b", Quote: "A raises B.", KnowledgeLevel: graph.KnowledgeAssertion})
		}
	}
	spec := "bolt:" + filepath.Join(t.TempDir(), "store")
	written := map[string]*graph.Link{}
	s, err := kg.OpenWith(ctx, spec, opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply(ctx, b); err != nil {
		t.Fatal(err)
	}
	for _, l := range allLinks(t, s) {
		written[l.ID] = l
	}
	s.Close()
	s, err = kg.OpenWith(ctx, spec, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	scores := map[float64]bool{}
	for _, l := range allLinks(t, s) {
		want := beliefs.Score(l.Evidence)
		if w := written[l.ID]; l.Confidence != want || w == nil || !reflect.DeepEqual(l, w) {
			t.Fatalf("link %s read back:\n %+v\nwritten:\n %+v\nits evidence's belief %v", l.ID, l, w, want)
		}
		scores[want] = true
	}
	if len(written) != len(b.Links) || len(scores) < 4 {
		t.Errorf("%d links, of %d, scored %d ways: the test compares little", len(written), len(b.Links), len(scores))
	}
}

func allLinks(t *testing.T, s *kg.Store) []*graph.Link {
	t.Helper()
	var out []*graph.Link
	for after := ""; ; {
		p, err := s.Links(context.Background(), "", graph.Filter{}, graph.PageArgs{First: graph.MaxPageSize, After: after})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p.Items...)
		if !p.HasNext {
			return out
		}
		after = p.Items[len(p.Items)-1].ID
	}
}
