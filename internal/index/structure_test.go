package index_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/leydigkg/leydigkg/data"
	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/internal/index"
)

// structureFixture is a small graph with what issue 15 asks of queries:
// "exercise is a lifestyle intervention; lifestyle interventions reduce
// the inflammatory burden" (a subclass_of relation beside a class's
// causal link), and an HPG-like feedback with the shortcut LH -> T beside
// LH -> Leydig cell -> T, and the vicious cycle T -| inflammation -| T.
func structureFixture(t *testing.T) *index.Snapshot {
	t.Helper()
	ev := func(q string) []graph.Evidence {
		return []graph.Evidence{{Source: "src", Quote: q, KnowledgeLevel: graph.KnowledgeAssertion, AgentType: graph.ManualAgent}}
	}
	link := func(id, s, o string, e graph.Effect) graph.Link {
		return graph.Link{ID: id, Subject: s, Object: o, Effect: e, Predicate: "biolink:regulates", Evidence: ev(id)}
	}
	b := &graph.Batch{
		Sources: []graph.Source{{ID: "src", Title: "A source"}},
		Entities: []graph.Entity{
			{ID: "exercise", Name: "exercise", Kind: graph.Therapy, Aliases: []string{"physical_activity"}},
			{ID: "lifestyle_interventions", Name: "lifestyle interventions", Kind: graph.Therapy},
			{ID: "chronic_inflammation", Name: "chronic inflammation", Kind: graph.Process},
			{ID: "gnrh", Name: "GnRH", Kind: graph.Hormone},
			{ID: "lh", Name: "LH", Kind: graph.Hormone},
			{ID: "leydig", Name: "Leydig cell", Kind: graph.Cell},
			{ID: "t", Name: "testosterone", Kind: graph.Hormone},
			{ID: "testis", Name: "testis", Kind: graph.Anatomy},
			{ID: "fibrosis", Name: "fibrosis", Kind: graph.Process},
		},
		Links: []graph.Link{
			link("lifestyle_reduces_inflammation", "lifestyle_interventions", "chronic_inflammation", graph.Decreases),
			link("gnrh_lh", "gnrh", "lh", graph.Increases),
			link("lh_leydig", "lh", "leydig", graph.Increases),
			link("leydig_t", "leydig", "t", graph.Increases),
			link("lh_t", "lh", "t", graph.Increases),
			link("t_gnrh", "t", "gnrh", graph.Decreases),
			link("t_inflammation", "t", "chronic_inflammation", graph.Decreases),
			link("inflammation_t", "chronic_inflammation", "t", graph.Decreases),
			// A detail nobody declared inflammation_t a shortcut of.
			link("inflammation_fibrosis", "chronic_inflammation", "fibrosis", graph.Increases),
			link("fibrosis_t", "fibrosis", "t", graph.Decreases),
		},
		Relations: []graph.Relation{
			{Subject: "exercise", Predicate: graph.SubclassOf, Object: "lifestyle_interventions", Evidence: ev("exercise is a lifestyle intervention")},
			{Subject: "leydig", Predicate: graph.PartOf, Object: "testis", Evidence: ev("Leydig cells of the testis")},
		},
	}
	b.Links[4].ShortcutOf = [][]string{{"lh", "leydig", "t"}}
	if ps := graph.CheckBatch(b); len(ps) > 0 {
		t.Fatal(ps)
	}
	beliefs, err := data.BeliefTable()
	if err != nil {
		t.Fatal(err)
	}
	for i := range b.Links { // as a store scores what it writes
		b.Links[i].Confidence = beliefs.Score(b.Links[i].Evidence)
	}
	var r index.Records
	r.Add(b)
	return index.New(r, beliefs)
}

func chainOf(p graph.Path) string {
	var b strings.Builder
	b.WriteString(p.Entities[0].ID)
	for i, l := range p.Links {
		mark := ""
		if l.Inherited() {
			mark = "[" + l.InheritedFrom + "]"
		}
		b.WriteString(" -" + strings.ToLower(string(l.Effect))[:3] + mark + "-> " + p.Entities[i+1].ID)
	}
	return b.String()
}

// TestTraceInherit: exercise reaches chronic inflammation only through
// what it takes from its class, marked and scored as an inference;
// without inherit the trace says so.
func TestTraceInherit(t *testing.T) {
	s := structureFixture(t)
	ctx := context.Background()
	q := graph.TraceQuery{From: "exercise", To: "chronic inflammation"}
	res, err := s.Trace(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Paths) != 0 || res.Explanation == nil || res.Explanation.Reason != graph.OnlyByInheritance {
		t.Fatalf("without inherit: paths %d, explanation %+v; want none, ONLY_BY_INHERITANCE", len(res.Paths), res.Explanation)
	}
	for _, want := range []string{"no stated chain", "cannot reach", "inherit: true", "exercise -DECREASES (inherited from lifestyle_interventions)-> chronic_inflammation"} {
		if !strings.Contains(res.Explanation.Message, want) {
			t.Errorf("message %q lacks %q", res.Explanation.Message, want)
		}
	}

	q.Inherit = true
	res, err = s.Trace(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Paths) != 1 {
		t.Fatalf("with inherit: %d paths, want 1", len(res.Paths))
	}
	p := res.Paths[0]
	if got, want := chainOf(p), "exercise -dec[lifestyle_interventions]-> chronic_inflammation"; got != want {
		t.Errorf("chain %s, want %s", got, want)
	}
	l := p.Links[0]
	class, _ := s.Link("lifestyle_reduces_inflammation")
	if l.InheritedLink != class.ID || l.Evidence[0].KnowledgeLevel != graph.LogicalEntailment || !strings.Contains(l.Evidence[0].Reasoning, "a kind of lifestyle interventions") {
		t.Errorf("inherited hop %+v", l)
	}
	if !(l.Confidence > 0 && l.Confidence < class.Confidence) {
		t.Errorf("inherited hop's belief %v, want below the class link's %v", l.Confidence, class.Confidence)
	}
	// Inherited hops are inferences: a filter on stated evidence drops them.
	q.Filter.KnowledgeLevels = []graph.KnowledgeLevel{graph.KnowledgeAssertion}
	if res, err = s.Trace(ctx, q); err != nil || len(res.Paths) != 0 {
		t.Errorf("inherit with knowledge_assertion only: %v paths, %v", len(res.Paths), err)
	}
	// Chains that never needed inheritance are the same with it.
	for _, ends := range [][2]string{{"gnrh", "t"}, {"lh", "chronic inflammation"}} {
		a, err1 := s.Trace(ctx, graph.TraceQuery{From: ends[0], To: ends[1]})
		b, err2 := s.Trace(ctx, graph.TraceQuery{From: ends[0], To: ends[1], Inherit: true})
		if err := errors.Join(err1, err2); err != nil {
			t.Fatal(err)
		}
		if len(a.Paths) == 0 || len(a.Paths) != len(b.Paths) || chainOf(a.Paths[0]) != chainOf(b.Paths[0]) {
			t.Errorf("%v: inherit changed the chains", ends)
		}
	}
}

// TestInheritIsNotCausal: a relation is never a hop; part_of gives no
// inheritance, and a class does not take its members' links.
func TestInheritIsNotCausal(t *testing.T) {
	s := structureFixture(t)
	ctx := context.Background()
	for _, q := range []graph.TraceQuery{
		{From: "exercise", To: "lifestyle interventions", Inherit: true},
		{From: "leydig", To: "testis", Inherit: true},
		{From: "testis", To: "t", Inherit: true},
	} {
		res, err := s.Trace(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Paths) != 0 {
			t.Errorf("%s -> %s: %s", q.From, q.To, chainOf(res.Paths[0]))
		}
	}
	res, err := s.Downstream(ctx, graph.ReachQuery{Of: "exercise"})
	if err != nil || len(res.Reached) != 0 {
		t.Errorf("downstream of exercise: %+v, %v; want nothing (no stated link)", res, err)
	}
}

// TestAliasResolves: an old id finds its entity exactly, in queries too.
func TestAliasResolves(t *testing.T) {
	s := structureFixture(t)
	e, err := s.Resolve(context.Background(), "physical_activity")
	if err != nil || e.ID != "exercise" {
		t.Fatalf("Resolve(physical_activity) = %v, %v", e, err)
	}
	res, err := s.Trace(context.Background(), graph.TraceQuery{From: "physical_activity", To: "chronic_inflammation", Inherit: true})
	if err != nil || len(res.Paths) != 1 {
		t.Errorf("trace from the old id: %+v, %v", res, err)
	}
}

func loopsOf(t *testing.T, s *index.Snapshot, q graph.LoopQuery) []string {
	t.Helper()
	res, err := s.Loops(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range res.Loops {
		line := string(l.Kind) + " " + chainOf(l.Path)
		for _, v := range l.Variants {
			line += " | " + chainOf(v)
		}
		out = append(out, line)
	}
	return out
}

// TestLoopsDistinct: the HPG feedback is one loop, with its declared
// shortcut variant under it; the vicious cycle another, with the variant
// its undeclared shortcut stands for; without distinct, four.
func TestLoopsDistinct(t *testing.T) {
	s := structureFixture(t)
	all := loopsOf(t, s, graph.LoopQuery{Through: "t"})
	if len(all) != 4 {
		t.Errorf("loops through t: %q, want 4", all)
	}
	want := []string{
		"REINFORCING t -dec-> chronic_inflammation -inc-> fibrosis -dec-> t | t -dec-> chronic_inflammation -dec-> t",
		"BALANCING t -dec-> gnrh -inc-> lh -inc-> leydig -inc-> t | t -dec-> gnrh -inc-> lh -inc-> t",
	}
	for _, q := range []graph.LoopQuery{{Through: "t", Distinct: true}, {Through: "testosterone", Distinct: true, First: 2}} {
		if got := loopsOf(t, s, q); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("distinct loops through %s:\n%s\nwant\n%s", q.Through, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
	// Anywhere, each loop once: the same two.
	if got := loopsOf(t, s, graph.LoopQuery{Distinct: true}); len(got) != 2 || !strings.Contains(got[0], " | ") || !strings.Contains(got[1], " | ") {
		t.Errorf("distinct loops anywhere: %q", got)
	}
	// first counts distinct loops.
	res, err := s.Loops(context.Background(), graph.LoopQuery{Through: "t", Distinct: true, First: 1})
	if err != nil || len(res.Loops) != 1 || !res.Truncated {
		t.Errorf("first 1: %+v, %v", res, err)
	}
}

// TestLoopsDistinctDetected: in a graph that declares no shortcut, a link
// whose sign is the product of a fuller loop's segment is detected as
// one; a link of the other sign is not.
func TestLoopsDistinctDetected(t *testing.T) {
	ev := []graph.Evidence{{Source: "src", Quote: "q"}}
	link := func(s, o string, e graph.Effect) graph.Link {
		return graph.Link{ID: s + o + string(e), Subject: s, Object: o, Effect: e, Predicate: "biolink:regulates", Evidence: ev}
	}
	b := &graph.Batch{Sources: []graph.Source{{ID: "src", Title: "S"}}}
	for _, id := range []string{"a", "b", "c", "d"} {
		b.Entities = append(b.Entities, graph.Entity{ID: id, Name: id, Kind: graph.Process})
	}
	b.Links = []graph.Link{
		link("a", "b", graph.Increases), link("b", "c", graph.Decreases), link("c", "a", graph.Decreases),
		link("a", "c", graph.Decreases),                                  // a -> b -| c: a shortcut
		link("b", "d", graph.Increases), link("d", "c", graph.Increases), // b -> d -> c: not one of b -| c
	}
	var r index.Records
	r.Add(b)
	s := index.New(r, nil)
	got := loopsOf(t, s, graph.LoopQuery{Through: "a", Distinct: true})
	want := []string{
		"REINFORCING a -inc-> b -dec-> c -dec-> a | a -dec-> c -dec-> a",
		"BALANCING a -inc-> b -inc-> d -inc-> c -dec-> a",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func tracesOf(t *testing.T, s *index.Snapshot, q graph.TraceQuery) []string {
	t.Helper()
	res, err := s.Trace(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range res.Paths {
		line := chainOf(p)
		for _, v := range p.Variants {
			line += " | " + chainOf(v)
		}
		out = append(out, line)
	}
	return out
}

// TestTraceDistinct: GnRH reaches testosterone by one chain, with the
// declared shortcut LH -> testosterone as its variant; without distinct,
// two chains and no variants.
func TestTraceDistinct(t *testing.T) {
	s := structureFixture(t)
	for _, tc := range []struct {
		q    graph.TraceQuery
		want []string
	}{
		{graph.TraceQuery{From: "gnrh", To: "t"}, []string{
			"gnrh -inc-> lh -inc-> t",
			"gnrh -inc-> lh -inc-> leydig -inc-> t",
		}},
		{graph.TraceQuery{From: "gnrh", To: "t", Distinct: true}, []string{
			"gnrh -inc-> lh -inc-> leydig -inc-> t | gnrh -inc-> lh -inc-> t",
		}},
		{graph.TraceQuery{From: "GnRH", To: "testosterone", Distinct: true, OrderBy: graph.ByConfidence}, []string{
			"gnrh -inc-> lh -inc-> leydig -inc-> t | gnrh -inc-> lh -inc-> t",
		}},
		// The whole chain is a segment: lh -> t stands for lh -> leydig -> t.
		{graph.TraceQuery{From: "lh", To: "t", Distinct: true}, []string{
			"lh -inc-> leydig -inc-> t | lh -inc-> t",
		}},
	} {
		if got := tracesOf(t, s, tc.q); strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
			t.Errorf("%+v:\n%s\nwant\n%s", tc.q, strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
		}
	}
}

// TestTraceDistinctDetected: with no shortcut declared, a -| c stands for
// a -> b -| c (the product of its signs) inside a longer chain, so that
// z -> a -> b -| c and z -> a -| c are one answer; z -> a -> b -> d -> c,
// increasing c, is a chain of its own. A direct link from a chain's start
// to its end stands for the whole chain only where it says so: from a to c
// the three chains stay three.
func TestTraceDistinctDetected(t *testing.T) {
	ev := []graph.Evidence{{Source: "src", Quote: "q"}}
	link := func(s, o string, e graph.Effect) graph.Link {
		return graph.Link{ID: s + o + string(e), Subject: s, Object: o, Effect: e, Predicate: "biolink:regulates", Evidence: ev}
	}
	b := &graph.Batch{Sources: []graph.Source{{ID: "src", Title: "S"}}}
	for _, id := range []string{"a", "b", "c", "d", "z"} {
		b.Entities = append(b.Entities, graph.Entity{ID: id, Name: id, Kind: graph.Process})
	}
	b.Links = []graph.Link{
		link("z", "a", graph.Increases),
		link("a", "b", graph.Increases), link("b", "c", graph.Decreases),
		link("a", "c", graph.Decreases),
		link("b", "d", graph.Increases), link("d", "c", graph.Increases),
	}
	var r index.Records
	r.Add(b)
	s := index.New(r, nil)
	for _, tc := range []struct {
		from string
		want []string
	}{
		{"z", []string{"z -inc-> a -inc-> b -dec-> c | z -inc-> a -dec-> c", "z -inc-> a -inc-> b -inc-> d -inc-> c"}},
		{"a", []string{"a -dec-> c", "a -inc-> b -dec-> c", "a -inc-> b -inc-> d -inc-> c"}},
	} {
		got := tracesOf(t, s, graph.TraceQuery{From: tc.from, To: "c", Distinct: true})
		if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
			t.Errorf("from %s: got\n%s\nwant\n%s", tc.from, strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
		}
	}
	// limit counts distinct chains, the first with its variant.
	res, err := s.Trace(context.Background(), graph.TraceQuery{From: "z", To: "c", Distinct: true, Limit: 1})
	if err != nil || len(res.Paths) != 1 || len(res.Paths[0].Variants) != 1 || !res.Truncated {
		t.Errorf("limit 1: %+v, %v; want the first chain with its variant, truncated", res, err)
	}
}
