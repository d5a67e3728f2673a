package data_test

import (
	"context"
	"slices"
	"testing"

	"github.com/leydigkg/leydigkg/graph"
)

// TestStructureIsNotCausal checks that part-of and is-a are relations, not
// links: no causal link joins two entities a relation joins (either way),
// and no link has a structural predicate.
func TestStructureIsNotCausal(t *testing.T) {
	b := curatedBatch(t)
	if len(b.Relations) < 20 {
		t.Fatalf("%d relations; the article states at least 20 part-of and is-a relations", len(b.Relations))
	}
	linked := map[[2]string]string{}
	for _, l := range b.Links {
		linked[[2]string{l.Subject, l.Object}] = l.ID
		if slices.Contains(graph.RelationPredicates, l.Predicate) {
			t.Errorf("link %s has the structural predicate %s; make it a relation", l.ID, l.Predicate)
		}
	}
	for _, r := range b.Relations {
		for _, pair := range [][2]string{{r.Subject, r.Object}, {r.Object, r.Subject}} {
			if id, ok := linked[pair]; ok {
				t.Errorf("relation %s: link %s joins the same entities as a causal claim", r.Key(), id)
			}
		}
	}
}

// TestOneThingOneID checks that no two entities share an xref or a
// normalised name or synonym, and that no old id (alias) is an id.
func TestOneThingOneID(t *testing.T) {
	b := curatedBatch(t)
	xrefs, labels, ids := map[string]string{}, map[string]string{}, map[string]bool{}
	for _, e := range b.Entities {
		ids[e.ID] = true
	}
	for _, e := range b.Entities {
		for _, x := range e.Xrefs {
			if other, dup := xrefs[x]; dup {
				t.Errorf("xref %s is on %s and %s", x, other, e.ID)
			}
			xrefs[x] = e.ID
		}
		for _, n := range append([]string{e.Name}, e.Synonyms...) {
			k := normName(n)
			if other, dup := labels[k]; dup && other != e.ID {
				t.Errorf("name %q is on %s and %s", n, other, e.ID)
			}
			labels[k] = e.ID
		}
		for _, a := range e.Aliases {
			if ids[a] {
				t.Errorf("%s lists %s as an old id, but it is an entity's id", e.ID, a)
			}
		}
	}
}

// TestMergedIDsStillResolve checks that the ids of merged entities and
// links (issue 15) find what they were merged into, so that saved queries
// still work.
func TestMergedIDsStillResolve(t *testing.T) {
	s := curated(t)
	ctx := context.Background()
	for old, kept := range map[string]string{"testosterone_cypionate": "trt", "sleep_quality": "restorative_sleep", "testosterone cypionate": "trt"} {
		e, err := s.Resolve(ctx, old)
		if err != nil || e.ID != kept {
			t.Errorf("Resolve(%q) = %v, %v; want %s", old, e, err, kept)
		}
	}
	for old, kept := range map[string]string{
		"gnrh_increases_pituitary_gland":                  "gnrh_increases_lh",
		"mitochondrion_increases_steroidogenesis":         "mitochondrial_dysfunction_disrupts_steroidogenesis",
		"mitochondrion_increases_atp_production":          "mitochondrial_dysfunction_disrupts_atp_production",
		"mitochondrion_increases_cholesterol_transport":   "mitochondrial_dysfunction_disrupts_cholesterol_transport",
		"fibrosis_disrupts_testis":                        "apoptosis_causes_permanent_failure",
		"microvasculature_decreases_hypoxia":              "fibrosis_causes_hypoxia",
		"microvasculature_decreases_nutrient_deprivation": "fibrosis_causes_nutrient_deprivation",
		"testosterone_cypionate_increases_testosterone":   "trt_increases_testosterone",
	} {
		l, err := s.Link(ctx, old)
		if err != nil || l.ID != kept {
			t.Errorf("Link(%q) = %v, %v; want %s", old, l, err, kept)
		}
	}
}

// TestMergedChainsMeet checks what the merges of issue 15 were for: chains
// that should meet do. Growth hormone improves sleep, and that sleep (one
// entity now, not two) quells inflammation; testosterone cypionate is TRT.
func TestMergedChainsMeet(t *testing.T) {
	s := curated(t)
	ctx := context.Background()
	res, err := s.Trace(ctx, graph.TraceQuery{From: "growth hormone", To: "chronic inflammation", MaxDepth: 2, Limit: graph.MaxTraceLimit})
	if err != nil {
		t.Fatal(err)
	}
	viaSleep := slices.ContainsFunc(res.Paths, func(p graph.Path) bool {
		return len(p.Entities) == 3 && p.Entities[1].ID == "restorative_sleep" && p.NetEffect == graph.Decreases
	})
	if !viaSleep {
		t.Errorf("no chain growth hormone -> restorative sleep -> chronic inflammation (DECREASES) among %d", len(res.Paths))
	}
	res, err = s.Trace(ctx, graph.TraceQuery{From: "testosterone cypionate", To: "testosterone", MaxDepth: 1})
	if err != nil || len(res.Paths) == 0 || res.Paths[0].NetEffect != graph.Increases {
		t.Errorf("testosterone cypionate -> testosterone: %v, %v", res, err)
	}
}

// TestExerciseReachesInflammationByItsClass checks exercise.md: exercise
// reaches chronic inflammation only as a lifestyle intervention (is-a), so
// a trace finds the chain with inherit, its hop marked, and without it
// says so.
func TestExerciseReachesInflammationByItsClass(t *testing.T) {
	s := curated(t)
	ctx := context.Background()
	q := graph.TraceQuery{From: "exercise", To: "chronic inflammation", MaxDepth: 3}
	res, err := s.Trace(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Paths) != 0 || res.Explanation == nil || res.Explanation.Reason != graph.OnlyByInheritance {
		t.Errorf("without inherit: %d chains, explanation %+v; want none, %s", len(res.Paths), res.Explanation, graph.OnlyByInheritance)
	}
	q.Inherit = true
	if res, err = s.Trace(ctx, q); err != nil || len(res.Paths) == 0 {
		t.Fatalf("with inherit: %v, %v", res, err)
	}
	best := res.Paths[0]
	if hop := best.Links[0]; len(best.Links) != 1 || best.NetEffect != graph.Decreases ||
		hop.InheritedFrom != "lifestyle_interventions" || hop.InheritedLink != "lifestyle_interventions_decrease_chronic_inflammation" {
		t.Errorf("with inherit, the best chain is %s (%+v)", describe(best), best.Links[0])
	}
}
