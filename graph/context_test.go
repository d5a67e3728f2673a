package graph

import (
	"math"
	"strings"
	"testing"
)

// TestEvidenceContext: an item's context is checked, and two items of one
// key that differ only in context clash (loading one over the other would
// lose what it says).
func TestEvidenceContext(t *testing.T) {
	yes, score, nan := true, 0.8, math.NaN()
	base := Evidence{Source: "s", Key: "r1"}
	with := func(f func(*Evidence)) Evidence { e := base; f(&e); return e }
	tests := []struct {
		name  string
		e     Evidence
		field string // the problem's field, "" for none
	}{
		{"no context", base, ""},
		{"every field", with(func(e *Evidence) {
			e.Taxon, e.CellTypes, e.Tissues, e.Mechanism = "NCBITaxon:9606", []string{"BTO:0000567"}, []string{"BTO:0000142"}, "phosphorylation"
			e.Direct, e.Aggregators, e.Score, e.Negated = &yes, []string{"infores:signor"}, &score, true
		}), ""},
		{"a taxon that is no NCBITaxon CURIE", with(func(e *Evidence) { e.Taxon = "9606" }), "evidence[0].taxon"},
		{"an aggregator that is no CURIE", with(func(e *Evidence) { e.Aggregators = []string{"SIGNOR"} }), "evidence[0].aggregators[0]"},
		{"a score that is no number", with(func(e *Evidence) { e.Score = &nan }), "evidence[0].score"},
		{"a mechanism that is not UTF-8", with(func(e *Evidence) { e.Mechanism = "\xff" }), "evidence[0].mechanism"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := &Batch{Sources: []Source{{ID: "s", Title: "s"}}, Entities: []Entity{{ID: "a", Name: "a", Kind: Hormone}, {ID: "b", Name: "b", Kind: Hormone}},
				Links: []Link{{ID: "l", Subject: "a", Object: "b", Effect: Increases, Predicate: "biolink:regulates", Evidence: []Evidence{tc.e}}}}
			ps := CheckBatch(b)
			switch {
			case tc.field == "" && len(ps) > 0:
				t.Errorf("problems: %v", ps)
			case tc.field != "" && (len(ps) != 1 || ps[0].Field != tc.field):
				t.Errorf("problems %v, want one at %s", ps, tc.field)
			}
		})
	}
	for _, f := range []func(*Evidence){
		func(e *Evidence) { e.Negated = true },
		func(e *Evidence) { e.Taxon = "NCBITaxon:9606" },
		func(e *Evidence) { e.CellTypes = []string{"BTO:1"} },
		func(e *Evidence) { e.Tissues = []string{"BTO:1"} },
		func(e *Evidence) { e.Mechanism = "binding" },
		func(e *Evidence) { e.Direct = &yes },
		func(e *Evidence) { e.Aggregators = []string{"infores:x"} },
		func(e *Evidence) { e.Score = &score },
	} {
		e := with(f)
		if sameEvidence(&base, &e) || !e.HasContext() {
			t.Errorf("%+v: the same as the bare item, or without context", e)
		}
	}
	// A negated item without a key is another item than the positive one.
	pos, neg := Evidence{Source: "s"}, Evidence{Source: "s", Negated: true}
	if EvidenceKey(&pos) == EvidenceKey(&neg) || !strings.HasPrefix(EvidenceKey(&neg), "!") {
		t.Errorf("keys %q and %q", EvidenceKey(&pos), EvidenceKey(&neg))
	}
}
