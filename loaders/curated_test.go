package loaders

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/kg"
)

const good = `# a small, valid graph
sources:
  - id: src
    title: A source
references:
  - id: doe2020
    citation: "Doe, J. et al. A study. J, 2020."
    authors: ["Doe, J."]
    year: 2020
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
        section: Fundamentals
        source: src
        references: [doe2020]
`

func TestReadCuratedGood(t *testing.T) {
	c, err := ReadCurated(File{"good.yaml", []byte(good)})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Check(graph.CheckBatch); err != nil {
		t.Fatal(err)
	}
	b := c.Batch
	if len(b.Entities) != 2 || len(b.Links) != 1 || len(b.References) != 1 || len(b.Sources) != 1 {
		t.Fatalf("batch = %+v", b)
	}
	// Curated evidence is stated by hand unless it says otherwise.
	if ev := b.Links[0].Evidence[0]; ev.KnowledgeLevel != graph.KnowledgeAssertion || ev.AgentType != graph.ManualAgent {
		t.Errorf("evidence = %+v, want knowledge_assertion by manual_agent", ev)
	}
}

// TestErrors checks each problem is found, and found where it is.
func TestErrors(t *testing.T) {
	// Each case edits the good file; want is "line:col: text".
	tests := []struct {
		name      string
		old, new  string
		want      []string
		sentinels []error
	}{
		{"unknown entity", "    object: lh\n", "    object: tstosterone\n",
			[]string{`23:13: unknown entity "tstosterone"`}, []error{ErrUnknownEntity}},
		{"bad kind", "    kind: HORMONE\n    synonyms: [GnRH]", "    kind: HORMONES\n    synonyms: [GnRH]",
			[]string{`13:11: invalid value: kind "HORMONES"`}, []error{ErrInvalidValue}},
		{"bad effect", "effect: INCREASES", "effect: UP",
			[]string{`24:13: invalid value: effect "UP"`}, []error{ErrInvalidValue}},
		{"removed predicate", "predicate: biolink:regulates", "predicate: biolink:positively_regulates",
			[]string{`25:16: bad predicate: biolink:positively_regulates was removed in Biolink 3.1`}, []error{graph.ErrPredicate}},
		{"predicate against effect", "predicate: biolink:regulates", "predicate: biolink:treats",
			[]string{`25:16: bad predicate: biolink:treats needs effect DECREASES`}, []error{graph.ErrPredicate}},
		{"empty quote", `quote: "It sends a signal"`, `quote: "  "`,
			[]string{`27:16: empty quote`}, []error{ErrEmptyQuote}},
		{"missing evidence", "    evidence:\n      - quote: \"It sends a signal\"\n        section: Fundamentals\n        source: src\n        references: [doe2020]\n", "",
			[]string{`21:5: missing evidence`}, []error{ErrMissingEvidence}},
		{"unknown reference", "references: [doe2020]", "references: [doe2020, roe1999]",
			[]string{`30:31: unknown reference "roe1999"`}, []error{ErrUnknownReference}},
		{"unknown source", "        source: src", "        source: elsewhere",
			[]string{`29:17: unknown source "elsewhere"`}, []error{ErrUnknownSource}},
		{"duplicate id", "  - id: lh\n", "  - id: gnrh\n",
			[]string{`15:9: duplicate id: entity "gnrh" is also entity #0`, `23:13: unknown entity "lh"`}, []error{ErrDuplicateID}},
		{"unknown field", "    kind: HORMONE\n    synonyms: [LH]", "    kind: HORMONE\n    colour: red\n    synonyms: [LH]",
			[]string{`18:5: unknown field: "colour"`}, []error{ErrUnknownField}},
		{"bad xref", `xrefs: ["CHEBI:81568"]`, `xrefs: ["chebi 81568"]`,
			[]string{`19:13: invalid value: xref "chebi 81568" is not a CURIE`}, []error{ErrInvalidValue}},
		{"year not a number", "year: 2020", "year: twenty",
			[]string{`9:11: wrong type: year: want a whole number`}, []error{ErrType}},
		{"confidence given", "    effect: INCREASES\n", "    effect: INCREASES\n    confidence: 0.7\n",
			[]string{`25:17: invalid value: confidence: a link's confidence is its belief`}, []error{ErrInvalidValue}},
		{"an inference without its reasoning", "        source: src\n", "        source: src\n        knowledge_level: logical_entailment\n",
			[]string{`27:9: missing field: an inferred claim (logical_entailment) needs its reasoning`}, []error{ErrMissingField}},
		{"an unknown knowledge level", "        source: src\n", "        source: src\n        knowledge_level: hearsay\n",
			[]string{`30:26: invalid value: knowledge level "hearsay"`}, []error{ErrInvalidValue}},
		{"a link alias naming another assertion", "        references: [doe2020]\n", "        references: [doe2020]\n  - id: lh_decreases_gnrh\n    aliases: [gnrh_increases_lh]\n    subject: lh\n    object: gnrh\n    effect: DECREASES\n    predicate: biolink:regulates\n    evidence: [{quote: feedback, section: Fundamentals, source: src}]\n",
			[]string{`32:15: duplicate id: alias "gnrh_increases_lh" is the id of link #0, another assertion`}, []error{ErrDuplicateID}},
		{"a malformed link alias", "    subject: gnrh\n", "    aliases: [\"gnrh increases lh\"]\n    subject: gnrh\n",
			[]string{`22:15: invalid value: alias "gnrh increases lh" must match`}, []error{ErrInvalidValue}},
		{"syntax", "    name: luteinizing hormone\n", "    name: [luteinizing hormone\n",
			[]string{`15:1: syntax error`}, []error{ErrSyntax}},
		{"list where a record belongs", "sources:\n  - id: src\n    title: A source\n", "sources: src\n",
			[]string{`2:10: wrong type: sources: want a list of records`, `27:17: unknown source "src"`}, []error{ErrType, ErrUnknownSource}},
		{"several at once", "    object: lh\n    effect: INCREASES\n", "    object: tstosterone\n    effect: SIDEWAYS\n",
			[]string{`23:13: unknown entity "tstosterone"`, `24:13: invalid value: effect "SIDEWAYS"`}, []error{ErrUnknownEntity, ErrInvalidValue}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(good, tt.old, tt.new, 1)
			if src == good {
				t.Fatalf("edit %q did not apply", tt.old)
			}
			_, err := Validate(File{"f.yaml", []byte(src)})
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("err = %v, want an ErrorList", err)
			}
			if len(list) != len(tt.want) {
				t.Fatalf("got %d problems, want %d:\n%v", len(list), len(tt.want), err)
			}
			for i, w := range tt.want {
				if got := list[i].Error(); !strings.HasPrefix(got, "f.yaml:"+w) {
					t.Errorf("problem %d:\n got %s\nwant f.yaml:%s...", i, got, w)
				}
			}
			for _, s := range tt.sentinels {
				if !errors.Is(err, s) {
					t.Errorf("errors.Is(err, %v) = false", s)
				}
			}
		})
	}
}

func TestAcrossFiles(t *testing.T) {
	ents := "entities:\n  - {id: a, name: A, kind: CELL}\n  - {id: b, name: B, kind: CELL}\n"
	links := "sources: [{id: s, title: S}]\nlinks:\n  - id: ab\n    subject: a\n    object: c\n    effect: INCREASES\n    predicate: biolink:affects\n    evidence: [{quote: q, source: s}]\n"
	_, err := Validate(File{"e.yaml", []byte(ents)}, File{"l.yaml", []byte(links)})
	if err == nil || err.Error() != `l.yaml:5:13: unknown entity "c"` {
		t.Errorf("err = %v", err)
	}
	links = strings.Replace(links, "object: c", "object: b", 1)
	if _, err := Validate(File{"e.yaml", []byte(ents)}, File{"l.yaml", []byte(links)}); err != nil {
		t.Errorf("valid pair of files: %v", err)
	}
}

// TestLoadIsAllOrNothing loads a file with one bad record into a store
// that already holds data and checks nothing was written.
func TestLoadIsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	s, err := kg.Open(ctx, "memory")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := Load(ctx, s, File{"good.yaml", []byte(good)}); err != nil {
		t.Fatal(err)
	}
	before := s.Stats(ctx)
	more := `entities:
  - {id: fsh, name: follicle-stimulating hormone, kind: HORMONE}
links:
  - id: gnrh_increases_fsh
    subject: gnrh
    object: fsh
    effect: INCREASES
    predicate: biolink:regulates
    evidence: [{quote: "prompting the pituitary", source: src}]
  - id: bad
    subject: fsh
    object: lh
    effect: INCREASES
    predicate: biolink:regulates
    evidence: [{quote: "", source: src}]
`
	_, err = Load(ctx, s, File{"more.yaml", []byte(more)})
	if err == nil || !strings.HasPrefix(err.Error(), "more.yaml:15:") {
		t.Fatalf("err = %v, want a problem at more.yaml:15", err)
	}
	if after := s.Stats(ctx); after.Entities != before.Entities || after.Links != before.Links {
		t.Errorf("a failed load wrote: %+v -> %+v", before, after)
	}
	// Against the store: the file may name entities the store holds.
	more = strings.Replace(more, `quote: ""`, `quote: "q"`, 1)
	res, err := Load(ctx, s, File{"more.yaml", []byte(more)})
	if err != nil || res.Entities != 1 || res.Links != 2 {
		t.Errorf("Load = %+v, %v", res, err)
	}
}

func TestEmptyAndOddFiles(t *testing.T) {
	for _, src := range []string{"", "# only a comment\n", "---\n", "entities:\n", "links: []\n"} {
		if _, err := Validate(File{"f.yaml", []byte(src)}); err != nil {
			t.Errorf("Validate(%q) = %v", src, err)
		}
	}
	for _, src := range []string{"- a\n- b\n", "just text", "a: 1\n---\nb: 2\n", "entities: [1, 2]\n", "entities: [{id: \xc3\x28}]\n"} {
		if _, err := Validate(File{"f.yaml", []byte(src)}); err == nil {
			t.Errorf("Validate(%q) = nil, want an error", src)
		}
	}
}
