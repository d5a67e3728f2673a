package layout

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/graph/gen"
	"github.com/leydigkg/leydigkg/internal/index"
)

// TestRowLinkIsLink: the records decoded with rowLink's fast path for rows
// of a network, and for an index with row links (IndexRecords), are
// exactly those decoded by link alone, on random mixes of every shape of
// link (rows with and without level, agent or row; rows a row link cannot
// hold; links with evidence nodes, several items, aliases, shortcuts,
// mechanisms, other predicates, denied edges, context) and of what a store
// may hold beside them: quads gone, a field twice, another tool's quads on
// a link's node, a second edge for a link, values of other kinds where
// IRIs belong, missing values, layout 2's class quads and links, in any
// order; and, in one seed of four, an entity typed twice (two records of
// one id), when the index is given no row links.
func TestRowLinkIsLink(t *testing.T) {
	defer func() { fastRows = true }()
	for seed := range uint64(12) {
		t.Run(strconv.Itoa(int(seed)), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 18))
			qs := damaged(rng, QuadsOf(varied(rng, 400)))
			twice, foreign := seed%4 == 3, seed%4 == 2
			if twice {
				for _, q := range qs {
					if q.Predicate == rdfType && q.Object == classEntity {
						qs = append(qs, quad.Make(q.Subject, rdfType, classEntity, quad.IRI("urn:other:g")))
						break
					}
				}
			}
			if foreign { // a link whose IRI is not a link's: its id may be another's
				qs = append(qs, quad.Make(quad.IRI(ns+"l_other"), rdfType, classLink, nil))
			}
			var ir index.Records // what IndexRecords gave, in the last decode
			var given int        // how many row links
			decode := func(fast bool) both {
				fastRows = fast
				d := NewDecoder()
				for _, q := range qs {
					d.Add(q)
				}
				ir = d.IndexRecords()
				given = len(ir.RowLinks)
				return both{d.Records(), ir.WholeLinks()}
			}
			want := decode(false)
			got := decode(true)
			if !reflect.DeepEqual(got, want) {
				t.Error("the records decoded with rowLink, or as row links, differ from link's")
			}
			if !inOrder(ir.Entities, func(e *graph.Entity) string { return e.ID }) && !twice ||
				!inOrder(ir.RowLinks, func(l index.RowLink) string { return l.ID }) ||
				!slices.IsSortedFunc(ir.Links, func(a, b *graph.Link) int { return strings.Compare(a.ID, b.ID) }) {
				t.Error("IndexRecords' entities or row links are not strictly in id order, or its links not in id order")
			}
			rows := 0
			for _, l := range got.records.Links {
				if len(l.Evidence) == 1 && l.Evidence[0].Quote == "" && l.Evidence[0].Negated == false {
					rows++
				}
			}
			switch {
			case (twice || foreign) && given > 0:
				t.Errorf("%d row links given with two entity records of one id, or a link not of a link's IRI", given)
			case !twice && !foreign && (given < 25 || given == rows):
				t.Errorf("%d row links of %d links with one plain item: the test compares little", given, rows)
			}
		})
	}
}

// both is what a decoder gives: its records, and those for an index with
// their row links made whole.
type both struct{ records, sorted index.Records }

// varied is a generated network whose links take every shape the layout
// writes.
func varied(rng *rand.Rand, edges int) *graph.Batch {
	b := gen.Generate(gen.Config{Edges: edges, Seed: rng.Uint64()})
	yes := true
	for i := range b.Links {
		l := &b.Links[i]
		l.Confidence = 0
		row := graph.Evidence{Source: gen.SourceID, At: "net.csv:" + strconv.Itoa(i+2)}
		if rng.IntN(2) == 0 {
			row.KnowledgeLevel, row.AgentType = graph.KnowledgeNotProvided, graph.AgentNotProvided
		}
		l.Evidence = []graph.Evidence{row}
		switch rng.IntN(14) {
		case 0:
			l.Evidence = append(l.Evidence, graph.Evidence{Source: gen.SourceID, Quote: "A raises B.", KnowledgeLevel: graph.KnowledgeAssertion})
		case 1:
			l.Evidence = append(l.Evidence, row)
		case 2:
			l.Aliases = []string{"alias_" + l.ID}
		case 3:
			l.ShortcutOf = [][]string{{l.Subject, "n1", l.Object}}
		case 4:
			l.Mechanism = "binds its promoter"
		case 5:
			l.Predicate = "biolink:causes"
		case 6:
			l.Evidence = []graph.Evidence{{Source: gen.SourceID, Negated: true, Direct: &yes}}
		case 7:
			l.Evidence[0].Tissues = []string{"UBERON:0000473"}
		case 8:
			l.Evidence[0].At = ""
		case 9:
			l.Evidence[0].KnowledgeLevel = graph.Observation
		case 10: // rows a row link cannot hold: the line not as strconv writes it, a level not Biolink's
			l.Evidence[0].At = "net.csv:0" + strconv.Itoa(i)
		case 11:
			l.Evidence[0].KnowledgeLevel = "made_up"
		}
	}
	return b
}

// damaged shuffles qs, and drops, repeats and changes some of them, adds
// other tools' quads, as a store written by more than leydigkg may hold.
func damaged(rng *rand.Rand, qs []quad.Quad) []quad.Quad {
	var out, later []quad.Quad
	for i, q := range qs {
		change := rng.IntN(40)
		if q.Predicate == pEvidence {
			change = 40 // the decoder fails on an evidence item it cannot find (not what this test is about)
		}
		switch change {
		case 0: // gone
			continue
		case 1: // a field twice, the other value first or after
			q2 := q
			q2.Object = quad.String("other " + strconv.Itoa(i))
			if rng.IntN(2) == 0 {
				out = append(out, q2)
			} else {
				later = append(later, q2)
			}
		case 2: // another tool's quad on the node
			out = append(out, quad.Make(q.Subject, quad.IRI("urn:other:p"), quad.Int(i), nil))
		case 3: // another edge for the link
			if q.Label != nil {
				out = append(out, quad.Quad{Subject: q.Object, Predicate: pDecreases, Object: q.Subject, Label: q.Label})
			}
		case 4: // a value of another kind where an IRI belongs
			if _, ok := q.Object.(quad.IRI); ok {
				q.Object = quad.String(quad.ToString(q.Object))
			}
		case 5: // a value missing
			q.Object = nil
		case 6: // layout 2's class quad
			if q.Label != nil {
				out = append(out, quad.Make(q.Label, rdfType, classLink, nil))
			}
		case 8, 9: // an edge written as layout 2 wrote it: the link's own quads
			if effect, ok := edgeEffect(q.Predicate.(quad.IRI)); ok && q.Label != nil {
				out = append(out, quad.Make(q.Label, rdfType, classLink, nil), quad.Make(q.Label, pSubject, q.Subject, nil),
					quad.Make(q.Label, pObject, q.Object, nil), quad.Make(q.Label, pEffect, quad.String(effect), nil))
				continue
			}
		case 10: // a field twice, the first missing its value
			q2 := q
			q2.Object = nil
			out = append(out, q2)
		case 7: // an edge whose ends are no entities
			if q.Label != nil {
				q.Subject = quad.BNode("b" + strconv.Itoa(i))
			}
		case 11: // an edge's end of our namespace but no entity's IRI, typed an entity (its id is not one a link reads)
			if q.Label != nil {
				q.Subject = quad.IRI(ns + "other:" + strconv.Itoa(i))
				out = append(out, quad.Make(q.Subject, rdfType, classEntity, nil))
			}
		case 12: // a source of our namespace but no source's IRI
			if q.Predicate == pSource {
				q.Object = quad.IRI(ns + "entity:" + strconv.Itoa(i))
			}
		}
		out = append(out, q)
	}
	out = append(out, later...)
	rng.Shuffle(len(out)/3, func(i, j int) { out[i], out[j] = out[j], out[i] }) // the first third in any order
	return out
}

// inOrder says whether xs are strictly in the order of their keys.
func inOrder[T any](xs []T, key func(T) string) bool {
	for i := 1; i < len(xs); i++ {
		if key(xs[i-1]) >= key(xs[i]) {
			return false
		}
	}
	return true
}
