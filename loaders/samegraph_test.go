package loaders_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/leydigkg/leydigkg/graph"

	"github.com/leydigkg/leydigkg/export"
	"github.com/leydigkg/leydigkg/kg"
	"github.com/leydigkg/leydigkg/loaders"
)

// The files of TestSameInputSameGraph: a curated graph, a signed list that
// names its entities by name, synonym and xref, and a KGX pair whose node
// carries an xref a signed-list name resolves to, and whose edges repeat
// links of the others (so their evidence merges).
var sameGraphFiles = map[string]string{
	"curated.yaml": `sources:
  - id: src
    title: A source
entities:
  - id: gnrh
    name: gonadotropin-releasing hormone
    kind: HORMONE
    synonyms: [GnRH]
  - id: lh
    name: luteinizing hormone
    kind: HORMONE
    synonyms: [LH]
    xrefs: ["CHEBI:81568"]
links:
  - id: gnrh_increases_lh
    subject: gnrh
    object: lh
    effect: INCREASES
    predicate: biolink:regulates
    evidence:
      - quote: "It sends a signal"
        source: src
`,
	"signed.csv": "source,target,sign\n" +
		"GnRH,LH,1\n" + // the curated link again, by synonyms: evidence of the list
		"MDM2,TP53,-1\n" + // MDM2 is the KGX node's name; TP53 is no one's yet
		"UniProtKB:Q00987,CDKN1A,-1\n" + // MDM2 by the KGX node's xref
		"LH,testosterone,1\n",
	"g_nodes.tsv": "id\tcategory\tname\txref\n" +
		"NCBIGene:4193\tbiolink:Gene\tMDM2\tUniProtKB:Q00987\n" +
		"NCBIGene:7157\tbiolink:Gene\tTP53\t\n",
	"g_edges.tsv": "id\tsubject\tpredicate\tobject\tqualified_predicate\tobject_direction_qualifier\tprimary_knowledge_source\tknowledge_level\tagent_type\tpublications\n" +
		"e1\tNCBIGene:4193\tbiolink:regulates\tNCBIGene:7157\tbiolink:causes\tdownregulated\tinfores:signor\tknowledge_assertion\tmanual_agent\tPMID:1\n" +
		"e2\tNCBIGene:4193\tbiolink:regulates\tNCBIGene:7157\tbiolink:causes\tdownregulated\tinfores:omnipath\tknowledge_assertion\tmanual_agent\tPMID:2\n",
}

// TestSameInputSameGraph: loading the same files together, in any order,
// or one group at a time gives the same store (entities, names, xrefs,
// merged evidence), compared by a canonical dump (canonical). A KGX nodes
// file and its edges file are one group: edges alone name nodes not yet
// loaded.
//
// A signed list loaded before the file that defines the entities it names
// creates entities for those names (MDM2, GnRH); the later load merges
// them into the entities that arrive (remerge.go).
func TestSameInputSameGraph(t *testing.T) {
	ctx := context.Background()
	groups := [][]string{{"curated.yaml"}, {"signed.csv"}, {"g_nodes.tsv", "g_edges.tsv"}}
	inputs := func(names ...string) []loaders.Input {
		var ins []loaders.Input
		for _, n := range names {
			ins = append(ins, loaders.Input{Name: n, R: strings.NewReader(sameGraphFiles[n])})
		}
		return ins
	}
	dump := func(s *kg.Store) string {
		b, err := s.ReadRecords(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return canonical(t, b)
	}
	loadIn := func(t *testing.T, order [][]string) string {
		s, err := kg.Open(ctx, "memory")
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		for _, g := range order {
			if _, err := (&loaders.Loader{Store: s}).Load(ctx, inputs(g...)...); err != nil {
				t.Fatalf("load %v: %v", g, err)
			}
		}
		return dump(s)
	}
	var all []string
	for _, g := range groups {
		all = append(all, g...)
	}
	want := loadIn(t, [][]string{all})
	for _, must := range []string{"<urn:leydigkg:entity:NCBIGene:4193> <urn:leydigkg:xref> \"UniProtKB:Q00987\"", "infores:signor", "infores:omnipath", "signed.csv:3", "\"PMID:2\""} {
		if !strings.Contains(want, must) {
			t.Fatalf("the store lacks %s:\n%s", must, want)
		}
	}
	orders := [][]int{{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}}
	for _, o := range orders {
		var order [][]string
		var name []string
		for _, i := range o {
			order = append(order, groups[i])
			name = append(name, strings.Join(groups[i], "+"))
		}
		t.Run(strings.Join(name, ","), func(t *testing.T) {
			if got := loadIn(t, order); got != want {
				t.Errorf("one at a time gives another graph than together:\n%s", diffLines(got, want))
			}
		})
		// And in that order, all in one load.
		var flat []string
		for _, g := range order {
			flat = append(flat, g...)
		}
		t.Run("together:"+strings.Join(flat, ","), func(t *testing.T) {
			if got := loadIn(t, [][]string{flat}); got != want {
				t.Errorf("loading together in another order gives another graph:\n%s", diffLines(got, want))
			}
		})
	}
}

// canonical is the text of b that does not depend on the order records
// were met: records sorted by id, a link known by its assertion (subject,
// object, effect, predicate) with its id and aliases as one set and its
// evidence items sorted by key, each record written as N-Quads (every
// field).
func canonical(t *testing.T, b *graph.Batch) string {
	t.Helper()
	c := *b
	c.Links = slices.Clone(b.Links)
	for i := range c.Links {
		l := &c.Links[i]
		names := append([]string{l.ID}, l.Aliases...)
		slices.Sort(names)
		l.ID, l.Aliases = "", names
		l.Evidence = slices.Clone(l.Evidence)
		slices.SortFunc(l.Evidence, func(x, y graph.Evidence) int { return strings.Compare(graph.EvidenceKey(&x), graph.EvidenceKey(&y)) })
	}
	var out []string
	for i := range c.Links {
		l := c.Links[i]
		id := fmt.Sprintf("%s_%s_%s_%s", l.Subject, l.Effect, strings.TrimPrefix(l.Predicate, "biolink:"), l.Object)
		l.ID = id
		var buf bytes.Buffer
		if err := export.NQuads(&buf, &graph.Batch{Links: []graph.Link{l}}); err != nil {
			t.Fatal(err)
		}
		out = append(out, buf.String())
	}
	var buf bytes.Buffer
	if err := export.NQuads(&buf, &graph.Batch{Sources: c.Sources, References: c.References, Entities: c.Entities}); err != nil {
		t.Fatal(err)
	}
	out = append(out, buf.String())
	lines := strings.Split(strings.Join(out, ""), "\n")
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

// diffLines lists the lines only one of got and want has.
func diffLines(got, want string) string {
	in := func(s string) map[string]bool {
		m := map[string]bool{}
		for _, l := range strings.Split(s, "\n") {
			m[l] = true
		}
		return m
	}
	g, w := in(got), in(want)
	var out []string
	for l := range g {
		if !w[l] {
			out = append(out, "+ "+l)
		}
	}
	for l := range w {
		if !g[l] {
			out = append(out, "- "+l)
		}
	}
	return strings.Join(out, "\n")
}
