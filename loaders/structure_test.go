package loaders

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/kg"
)

// structured is a valid graph with what issue 15 added: a relation, an
// entity's old id, a link's shortcut, a reference as cited and as checked.
const structured = `sources:
  - id: src
    title: A source
references:
  - id: doe2020
    citation: "Doe, J. A study. Journal of Studies, 2021."
    authors: ["Doe, J."]
    year: 2021
    as_cited: "Doe, J. A study. J Stud, 2020."
    volume: "12"
    pages: "1-9"
    doi: "10.1000/xyz123"
    pmid: "12345678"
    note: "the article gives 2020"
entities:
  - {id: lh, name: luteinizing hormone, kind: HORMONE}
  - {id: leydig, name: Leydig cell, kind: CELL, aliases: [leydig_cells]}
  - {id: t, name: testosterone, kind: HORMONE}
  - {id: testis, name: testis, kind: ANATOMY}
links:
  - id: lh_t
    subject: lh
    object: t
    effect: INCREASES
    predicate: biolink:regulates
    shortcut_of: [[lh, leydig, t]]
    evidence: [{quote: "LH makes T", source: src, references: [doe2020]}]
  - id: lh_leydig
    aliases: [lh_stimulates_leydig]
    subject: lh
    object: leydig
    effect: INCREASES
    predicate: biolink:regulates
    evidence: [{quote: "LH tells Leydig cells", source: src}]
  - id: leydig_t
    subject: leydig
    object: t
    effect: INCREASES
    predicate: biolink:produces
    evidence: [{quote: "Leydig cells make T", source: src}]
relations:
  - subject: leydig
    predicate: biolink:part_of
    object: testis
    note: "anatomy"
    evidence:
      - quote: "Leydig cells of the testis"
        section: Fundamentals
        source: src
        references: []
`

func TestReadStructure(t *testing.T) {
	c, err := Validate(File{"s.yaml", []byte(structured)})
	if err != nil {
		t.Fatal(err)
	}
	b := c.Batch
	want := graph.Relation{Subject: "leydig", Predicate: graph.PartOf, Object: "testis", Note: "anatomy",
		Evidence: []graph.Evidence{{Quote: "Leydig cells of the testis", Section: "Fundamentals", Source: "src", References: []string{},
			KnowledgeLevel: graph.KnowledgeAssertion, AgentType: graph.ManualAgent}}}
	if len(b.Relations) != 1 || !reflect.DeepEqual(b.Relations[0], want) {
		t.Errorf("relations = %+v\nwant %+v", b.Relations, want)
	}
	if got := b.Entities[1].Aliases; !reflect.DeepEqual(got, []string{"leydig_cells"}) {
		t.Errorf("aliases = %v", got)
	}
	if got := b.Links[1].Aliases; !reflect.DeepEqual(got, []string{"lh_stimulates_leydig"}) {
		t.Errorf("link aliases = %v", got)
	}
	if got := b.Links[0].ShortcutOf; !reflect.DeepEqual(got, [][]string{{"lh", "leydig", "t"}}) {
		t.Errorf("shortcut_of = %v", got)
	}
	r := b.References[0]
	got := []string{r.AsCited, r.Volume, r.Pages, r.DOI, r.PMID, r.Note}
	if !reflect.DeepEqual(got, []string{"Doe, J. A study. J Stud, 2020.", "12", "1-9", "10.1000/xyz123", "12345678", "the article gives 2020"}) {
		t.Errorf("reference = %+v", r)
	}
}

// TestStructureErrors checks each new field's problems are found where
// they are.
func TestStructureErrors(t *testing.T) {
	tests := []struct {
		name, old, new string
		want           []string
		sentinel       error
	}{
		{"causal predicate on a relation", "predicate: biolink:part_of", "predicate: biolink:regulates",
			[]string{`43:16: bad predicate: "biolink:regulates" is not a structural predicate`}, graph.ErrPredicate},
		{"relation to itself", "    object: testis\n    note", "    object: leydig\n    note",
			[]string{`44:13: invalid value: "leydig" biolink:part_of itself`}, graph.ErrInvalidValue},
		{"relation to an unknown entity", "    object: testis\n    note", "    object: testes\n    note",
			[]string{`44:13: unknown entity "testes"`}, graph.ErrUnknownEntity},
		{"relation without evidence", "    evidence:\n      - quote: \"Leydig cells of the testis\"\n        section: Fundamentals\n        source: src\n        references: []\n", "",
			[]string{`42:5: missing evidence: a relation needs at least one evidence item`}, graph.ErrMissingEvidence},
		{"relation's evidence of an unknown source", "        source: src\n        references: []", "        source: elsewhere\n        references: []",
			[]string{`49:17: unknown source "elsewhere"`}, graph.ErrUnknownSource},
		{"relation stated twice with another note", "relations:\n", "relations:\n  - {subject: leydig, predicate: biolink:part_of, object: testis, note: other, evidence: [{quote: q, source: src}]}\n",
			[]string{`46:11: conflicts with the store: relation leydig biolink:part_of testis is stated with another note`}, graph.ErrConflict},
		{"relation's evidence stated twice otherwise", "relations:\n", "relations:\n  - {subject: leydig, predicate: biolink:part_of, object: testis, evidence: [{quote: Leydig cells of the testis, source: src, section: Other}]}\n",
			[]string{`48:9: conflicts with the store: evidence src||Leydig cells of the testis of relation leydig biolink:part_of testis is stated with other content`}, graph.ErrConflict},
		{"alias is another entity's id", "aliases: [leydig_cells]", "aliases: [leydig_cells, t]",
			[]string{`17:73: duplicate id: alias "t" is the id of entity #2`}, graph.ErrDuplicateID},
		{"alias is its own id", "aliases: [leydig_cells]", "aliases: [leydig]",
			[]string{`17:59: invalid value: alias "leydig" is the entity's own id`}, graph.ErrInvalidValue},
		{"link to an old id", "    subject: leydig\n    object: t", "    subject: leydig_cells\n    object: t",
			[]string{`36:14: unknown entity "leydig_cells": it is an alias of "leydig", use that id`}, graph.ErrUnknownEntity},
		{"shortcut not ending at the object", "[[lh, leydig, t]]", "[[lh, leydig, testis]]",
			[]string{`26:19: invalid value: chain lh>leydig>testis must start at the link's subject "lh" and end at its object "t"`}, graph.ErrInvalidValue},
		{"shortcut of two", "[[lh, leydig, t]]", "[[lh, t]]",
			[]string{`26:19: invalid value: a chain the link summarises has at least 3 entities`}, graph.ErrInvalidValue},
		{"shortcut through an unknown entity", "[[lh, leydig, t]]", "[[lh, leydik, t]]",
			[]string{`26:24: unknown entity "leydik"`}, graph.ErrUnknownEntity},
		{"doi with its prefix", `doi: "10.1000/xyz123"`, `doi: "https://doi.org/10.1000/xyz123"`,
			[]string{`12:10: invalid value: doi "https://doi.org/10.1000/xyz123"`}, graph.ErrInvalidValue},
		{"pmid with its prefix", `pmid: "12345678"`, `pmid: "PMID:12345678"`,
			[]string{`13:11: invalid value: pmid "PMID:12345678"`}, graph.ErrInvalidValue},
		{"link alias is another link's id", "aliases: [lh_stimulates_leydig]", "aliases: [lh_stimulates_leydig, leydig_t]",
			[]string{`29:37: duplicate id: alias "leydig_t" is the id of link #2, another assertion`}, graph.ErrDuplicateID},
		{"unknown relation field", "    note: \"anatomy\"\n", "    note: \"anatomy\"\n    weight: 2\n",
			[]string{`46:5: unknown field: "weight"`}, ErrUnknownField},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(structured, tt.old, tt.new, 1)
			if src == structured {
				t.Fatalf("edit %q did not apply", tt.old)
			}
			_, err := Validate(File{"f.yaml", []byte(src)})
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("err = %v, want an ErrorList", err)
			}
			want := tt.want
			if len(list) != len(want) {
				t.Fatalf("got %d problems, want %d:\n%v", len(list), len(want), err)
			}
			for i, w := range want {
				if got := list[i].Error(); !strings.HasPrefix(got, "f.yaml:"+w) {
					t.Errorf("problem %d:\n got %s\nwant f.yaml:%s...", i, got, w)
				}
			}
			if !errors.Is(err, tt.sentinel) {
				t.Errorf("errors.Is(err, %v) = false", tt.sentinel)
			}
		})
	}
}

// TestLoadStructure loads the structured file twice into a store: the
// relation and the alias are there, found by the store, and the second
// load changes nothing; a conflicting alias is refused.
func TestLoadStructure(t *testing.T) {
	ctx := context.Background()
	s, err := kg.Open(ctx, "memory")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	res, err := Load(ctx, s, File{"s.yaml", []byte(structured)})
	if err != nil || res.Relations != 1 {
		t.Fatalf("Load = %+v, %v", res, err)
	}
	again, err := Load(ctx, s, File{"s.yaml", []byte(structured)})
	if err != nil || again.Relations != 0 || again.Quads != 0 {
		t.Errorf("second Load = %+v, %v", again, err)
	}
	// Stated again with another quote, and in one batch twice: one
	// relation, with the evidence of each.
	more := "relations:\n" +
		"  - {subject: leydig, predicate: biolink:part_of, object: testis, evidence: [{quote: another, source: src}]}\n" +
		"  - {subject: leydig, predicate: biolink:part_of, object: testis, evidence: [{quote: a third, source: src}]}\n"
	res, err = Load(ctx, s, File{"m.yaml", []byte(more)})
	if err != nil || res.Merged != 1 || res.Evidence != 2 {
		t.Errorf("Load = %+v, %v; want one merged relation with 2 items more", res, err)
	}
	if rels := s.Relations(ctx); len(rels) != 1 || len(rels[0].Evidence) != 3 || rels[0].Note != "anatomy" {
		t.Errorf("relations = %+v", rels)
	}
	other := "entities:\n  - {id: leydig_cells, name: Leydig cells, kind: CELL}\n"
	if _, err := Load(ctx, s, File{"o.yaml", []byte(other)}); !errors.Is(err, graph.ErrConflict) {
		t.Errorf("an entity with a stored alias as id: err = %v, want a conflict", err)
	}
}

// TestStructureSurvivesReopen writes the structured file to a bolt store
// and reads it back from its quads: every new field is there.
func TestStructureSurvivesReopen(t *testing.T) {
	ctx := context.Background()
	spec := "bolt:" + filepath.Join(t.TempDir(), "db")
	s, err := kg.Open(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Validate(File{"s.yaml", []byte(structured)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply(ctx, &c.Batch); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err = kg.Open(ctx, spec); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rels := s.Relations(ctx)
	if len(rels) != 1 || !graph.SameRelation(rels[0], &c.Batch.Relations[0]) {
		t.Errorf("relations = %+v", rels)
	}
	if got := s.RelationsFrom(ctx, "leydig", graph.PartOf); len(got) != 1 || got[0].Object != "testis" {
		t.Errorf("RelationsFrom(leydig) = %+v", got)
	}
	if got := s.RelationsTo(ctx, "testis", graph.PartOf); len(got) != 1 || got[0].Subject != "leydig" {
		t.Errorf("RelationsTo(testis) = %+v", got)
	}
	for _, find := range []func(context.Context, string) (*graph.Entity, error){s.Entity, s.Resolve, s.Lookup} {
		if e, err := find(ctx, "leydig_cells"); err != nil || e.ID != "leydig" {
			t.Errorf("finding the old id: %v, %v", e, err)
		}
	}
	if l, err := s.Link(ctx, "lh_stimulates_leydig"); err != nil || l.ID != "lh_leydig" {
		t.Errorf("link by its old id: %v, %v", l, err)
	}
	if l, err := s.Link(ctx, "lh_t"); err != nil || !reflect.DeepEqual(l.ShortcutOf, [][]string{{"lh", "leydig", "t"}}) {
		t.Errorf("lh_t = %+v, %v", l, err)
	}
	if r, err := s.Reference(ctx, "doe2020"); err != nil || !reflect.DeepEqual(*r, c.Batch.References[0]) {
		t.Errorf("reference = %+v, %v\nwant %+v", r, err, c.Batch.References[0])
	}
}

// TestReportCountsRelations: relation rows are records, never link rows:
// a relation stated twice in a file, or already stored, leaves the link
// counts alone.
func TestReportCountsRelations(t *testing.T) {
	ctx := context.Background()
	s, err := kg.Open(ctx, "memory")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	twice := strings.Replace(structured, "relations:\n", "relations:\n  - {subject: leydig, predicate: biolink:part_of, object: testis, evidence: [{quote: again, source: src}]}\n", 1)
	l := &Loader{Store: s}
	for i, want := range []struct{ newAssertions, stored, records int }{{3, 0, 8}, {0, 3, 8}} {
		rep, err := l.Load(ctx, Input{Name: "s.yaml", R: strings.NewReader(twice)})
		if err != nil {
			t.Fatal(err)
		}
		if rep.NewAssertions != want.newAssertions || rep.Stored != want.stored || rep.AddedEvidence != 0 || rep.Records != want.records || rep.Unaccounted() != 0 {
			t.Errorf("load %d: %v\nwant %d new, %d stored, 0 added, %d records", i+1, rep, want.newAssertions, want.stored, want.records)
		}
	}
}
