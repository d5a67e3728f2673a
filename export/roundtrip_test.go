package export

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"strings"
	"testing"

	"github.com/leydigkg/leydigkg/data"
	lg "github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/graph/gen"
	"github.com/leydigkg/leydigkg/kg"
	"github.com/leydigkg/leydigkg/loaders"
)

// generated is a gen.Generate graph of n links with every field of every
// record set: sources with URL, version and licence; references; entities
// with descriptions, synonyms, xrefs and categories; links with
// mechanisms, aliases and several evidence items (quotes, sections,
// keys, knowledge levels, agent types, references, publications), old ids
// of entities, shortcut chains of links, references as cited and
// checked, and part-of and subclass-of relations of two sources.
func generated(t testing.TB, n int) *lg.Batch {
	t.Helper()
	b := gen.Generate(gen.Config{Edges: n, Seed: 14})
	for i := range b.Sources {
		s := &b.Sources[i]
		s.Description, s.URL, s.Version, s.License = "a generated source", "https://example.org/gen", "2026-12-01", "CC0-1.0"
	}
	b.Sources = append(b.Sources, lg.Source{ID: "infores:second", Title: "A second source", Description: "d", URL: "https://example.org/2", Version: "1", License: "CC-BY-4.0"})
	b.References = append(b.References, lg.Reference{ID: "ref1", Citation: "Doe J (2020) A paper", Authors: []string{"Doe J", "Roe R"}, Title: "A paper", Journal: "J Gen", Year: 2020,
		AsCited: "Doe J. A paper. J Gen. 2019.", Volume: "7", Pages: "1-9", DOI: "10.1000/gen.1", PMID: "123", Note: "the source gives 2019"})
	for i := range b.Entities {
		e := &b.Entities[i]
		e.Description = "entity " + e.ID
		e.Synonyms = []string{e.ID + " alias", "Alias-" + e.ID}
		e.Xrefs = []string{fmt.Sprintf("NCBIGene:%d", 100000+i)}
		if e.Kind != lg.Therapy {
			e.Categories = []string{"biolink:Gene"}
		}
	}
	for i := 0; i+1 < len(b.Entities); i += 7 {
		b.Entities[i].Aliases = []string{b.Entities[i].ID + "_was"}
		pred := []string{lg.PartOf, lg.SubclassOf}[i%2]
		b.Relations = append(b.Relations, lg.Relation{Subject: b.Entities[i].ID, Predicate: pred, Object: b.Entities[i+1].ID, Note: "a note",
			Evidence: []lg.Evidence{{Source: b.Sources[0].ID, Quote: fmt.Sprintf("structure %d", i), Section: "Intro", KnowledgeLevel: lg.KnowledgeAssertion, AgentType: lg.ManualAgent, References: []string{"ref1"}},
				{Source: "infores:second", Key: fmt.Sprintf("rel-%d", i), KnowledgeLevel: lg.Observation, AgentType: lg.AutomatedAgent, Publications: []string{"PMID:9"}}}})
	}
	for i := range b.Links {
		l := &b.Links[i]
		if i%5 == 0 {
			via := b.Entities[0].ID
			if via == l.Subject || via == l.Object {
				via = b.Entities[1].ID
			}
			if via != l.Subject && via != l.Object {
				l.ShortcutOf = [][]string{{l.Subject, via, l.Object}}
			}
		}
		l.Mechanism = "phosphorylation"
		l.Aliases = []string{l.ID + "_old"}
		for j := range l.Evidence {
			ev := &l.Evidence[j]
			ev.Section, ev.KnowledgeLevel, ev.AgentType = "Results", lg.KnowledgeAssertion, lg.ManualAgent
			ev.References, ev.Publications = []string{"ref1"}, []string{fmt.Sprintf("PMID:%d", 1000+i)}
		}
		l.Evidence = append(l.Evidence, lg.Evidence{Source: "infores:second", Key: fmt.Sprintf("row-%d", i),
			KnowledgeLevel: lg.Observation, AgentType: lg.AutomatedAgent, Quote: fmt.Sprintf("Quote %d with \"quotes\", a tab\tand é.", i),
			Publications: []string{fmt.Sprintf("PMID:%d", 2000+i)}})
		withContext(l, i)
	}
	if ps := lg.CheckBatch(b); len(ps) > 0 {
		t.Fatalf("the generated graph is not valid: %v", ps)
	}
	return b
}

// withContext gives every third link an item with every context field,
// every fifth a negated item, and every seventh only negated items.
func withContext(l *lg.Link, i int) {
	yes, score := i%2 == 0, float64(i%100)/100
	if i%3 == 0 {
		l.Evidence = append(l.Evidence, lg.Evidence{Source: "infores:second", Key: fmt.Sprintf("ctx-%d", i),
			Taxon: "NCBITaxon:9606", CellTypes: []string{"BTO:0000567"}, Tissues: []string{"BTO:0000142", "UBERON:0000473"},
			Mechanism: "phosphorylation", Direct: &yes, Aggregators: []string{"infores:aggregator"}, Score: &score})
	}
	if i%5 == 0 {
		l.Evidence = append(l.Evidence, lg.Evidence{Source: "infores:second", Key: fmt.Sprintf("not-%d", i), Negated: true,
			Publications: []string{fmt.Sprintf("PMID:%d", 3000+i)}})
	}
	if i%7 == 0 {
		for j := range l.Evidence {
			l.Evidence[j].Negated = true
		}
	}
}

// dump is the canonical text of a store's contents: its records as
// N-Quads (sorted, absolute), which say every field of every record.
func dump(t testing.TB, s *kg.Store) string {
	t.Helper()
	b, err := s.Records(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Links) > largeGraph { // the text would be hundreds of MB: its hash
		h := sha256.New()
		if err := NQuads(h, b); err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("sha256:%x", h.Sum(nil))
	}
	var buf bytes.Buffer
	if err := NQuads(&buf, b); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// carriesAll reports whether an export format carries every field of
// every record (N-Quads, JSON), so that a store loaded with it holds the
// graph it came from, beliefs included; KGX does not.
func carriesAll(format string) bool { return format == "nquads" || format == "json" }

// largeGraph is the number of links above which dump gives a hash, and
// roundTrip compares exports by their hashes.
const largeGraph = 20_000

// sameBytes compares two exports: by a diff's first line, or for a large
// graph (where a diff would be too big to show) by their hashes.
func sameBytes(got, want []byte) (bool, string) {
	if bytes.Equal(got, want) {
		return true, ""
	}
	if len(want) > 1<<26 {
		return false, fmt.Sprintf("sha256:%x, want sha256:%x", sha256.Sum256(got), sha256.Sum256(want))
	}
	return false, firstDiff(got, want)
}

func load(t testing.TB, s *kg.Store, files map[string][]byte) *loaders.Report {
	t.Helper()
	var ins []loaders.Input
	for _, name := range []string{"graph.nq", "nodes.tsv", "edges.tsv", "nodes.jsonl", "edges.jsonl", "graph.json"} {
		if data, ok := files[name]; ok {
			ins = append(ins, loaders.Input{Name: name, R: bytes.NewReader(data)})
		}
	}
	l := &loaders.Loader{Store: s}
	if _, ok := files["graph.json"]; ok {
		// Read whole, within --max-yaml: the benchmark's 10⁵-link export
		// is larger than the default.
		l.Opts.Limits.YAML = 1 << 30
	}
	rep, err := l.Load(context.Background(), ins...)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return rep
}

// TestRoundTripSameStore: every export format that carries the graph
// loads back into the very store it came from with nothing written,
// created, ignored or refused, and leaves its contents as they were; and
// into an empty store to give the same export again, byte for byte. For
// the curated graph and a generated one with every field set.
func TestRoundTripSameStore(t *testing.T) {
	ctx := context.Background()
	beliefs, err := data.BeliefTable()
	if err != nil {
		t.Fatal(err)
	}
	graphs := []struct {
		name string
		open func(t *testing.T) *kg.Store
	}{
		{"curated", func(t *testing.T) *kg.Store { s, _ := curated(t); return s }},
		{"generated", func(t *testing.T) *kg.Store {
			s, err := kg.OpenWith(ctx, "memory", kg.Options{Beliefs: beliefs})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			if _, err := s.Apply(ctx, generated(t, 2000)); err != nil {
				t.Fatal(err)
			}
			return s
		}},
	}
	for _, g := range graphs {
		for _, format := range []string{"nquads", "kgx", "kgx-jsonl", "json"} {
			t.Run(g.name+"/"+format, func(t *testing.T) { roundTrip(t, g.open(t), format, beliefs) })
		}
	}
}

// BenchmarkRoundTrip is TestRoundTripSameStore's generated graph at 10⁵
// links (a test of this size would take minutes under -race): each
// iteration checks the same as the test and fails on any difference.
//
//	go test ./export -run '^$' -bench RoundTrip -benchtime 1x -timeout 60m
func BenchmarkRoundTrip(b *testing.B) {
	ctx := context.Background()
	beliefs, err := data.BeliefTable()
	if err != nil {
		b.Fatal(err)
	}
	big := generated(b, 100_000)
	for _, format := range []string{"nquads", "kgx", "kgx-jsonl", "json"} {
		b.Run(format, func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				s, err := kg.OpenWith(ctx, "memory", kg.Options{Beliefs: beliefs})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := s.Apply(ctx, big); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				roundTrip(b, s, format, beliefs)
				s.Close()
			}
		})
	}
}

// roundTrip exports s in format, loads the export back into s (nothing
// may change) and into an empty store, whose export must be the same
// bytes.
func roundTrip(t testing.TB, s *kg.Store, format string, beliefs lg.BeliefTable) {
	t.Helper()
	ctx := context.Background()
	before := dump(t, s)
	b, err := s.Records(ctx)
	if err != nil {
		t.Fatal(err)
	}
	first := export(t, format, b)

	// Into the store it came from: nothing changes.
	rep := load(t, s, first)
	if rep.Applied.Sources+rep.Applied.References+rep.Applied.Entities+rep.Applied.Links+rep.Applied.Merged+rep.Applied.Evidence+rep.Applied.Quads != 0 ||
		rep.Created != 0 || rep.Ignored != 0 || len(rep.Skipped) != 0 {
		t.Errorf("loading the export into its own store wrote or refused something: %+v", rep)
	}
	if rep.Unaccounted() != 0 {
		t.Errorf("%d rows unaccounted for: %v", rep.Unaccounted(), rep)
	}
	if after := dump(t, s); after != before {
		t.Errorf("the store changed:\n%s", firstDiff([]byte(after), []byte(before)))
	}

	// Into an empty store: the same export again.
	empty, err := kg.OpenWith(ctx, "memory", kg.Options{Beliefs: beliefs})
	if err != nil {
		t.Fatal(err)
	}
	defer empty.Close()
	rep = load(t, empty, first)
	if rep.Created != 0 || rep.Ignored != 0 || len(rep.Skipped) != 0 {
		t.Errorf("report %+v: want nothing created, ignored or skipped", rep)
	}
	if carriesAll(format) {
		if got := dump(t, empty); got != before {
			t.Errorf("an empty store loaded with the export holds another graph:\n%s", firstDiff([]byte(got), []byte(before)))
		}
	}
	b2, err := empty.Records(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !carriesAll(format) { // KGX carries no quotes: beliefs resting on them are not restored
		conf := map[string]float64{}
		for _, l := range b.Links {
			conf[l.ID] = l.Confidence
		}
		for i := range b2.Links {
			b2.Links[i].Confidence = conf[b2.Links[i].ID]
		}
	}
	empty.Close()
	second := export(t, format, b2)
	for name, data := range first {
		if ok, diff := sameBytes(second[name], data); !ok {
			t.Errorf("%s: second export differs from the first:\n%s", name, diff)
		}
	}
}

// TestNQuadsOlderExportLoads: an export of an older leydigkg, which wrote
// <rdf:type> and ^^<xsd:integer> short, loads into an empty store as the
// same graph as today's (layout.Stored folds both forms).
func TestNQuadsOlderExportLoads(t *testing.T) {
	ctx := context.Background()
	s, b := curated(t)
	want := dump(t, s)
	var buf bytes.Buffer
	if err := NQuads(&buf, b); err != nil {
		t.Fatal(err)
	}
	old := strings.NewReplacer("<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>", "<rdf:type>",
		"^^<http://www.w3.org/2001/XMLSchema#", "^^<xsd:").Replace(buf.String())
	if !strings.Contains(old, "<rdf:type>") || !strings.Contains(old, "^^<xsd:integer>") {
		t.Fatal("no short IRIs to test")
	}
	beliefs, err := data.BeliefTable()
	if err != nil {
		t.Fatal(err)
	}
	empty, err := kg.OpenWith(ctx, "memory", kg.Options{Beliefs: beliefs})
	if err != nil {
		t.Fatal(err)
	}
	defer empty.Close()
	load(t, empty, map[string][]byte{"graph.nq": []byte(old)})
	if got := dump(t, empty); got != want {
		t.Errorf("an older export loads as another graph:\n%s", firstDiff([]byte(got), []byte(want)))
	}
	// And into the store it came from, changing nothing.
	if rep := load(t, s, map[string][]byte{"graph.nq": []byte(old)}); rep.Applied.Quads != 0 {
		t.Errorf("an older export wrote %d quads into its own store", rep.Applied.Quads)
	}
}
