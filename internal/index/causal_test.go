package index_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leydigkg/leydigkg/data"
	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/graph/gen"
	"github.com/leydigkg/leydigkg/internal/index"
	"github.com/leydigkg/leydigkg/loaders"
)

// snapshotOf indexes b directly, as a store does after a write.
func snapshotOf(b *graph.Batch) *index.Snapshot {
	var r index.Records
	r.Add(b)
	return index.New(r, nil)
}

// curated is the snapshot of the curated graph, read from data/ and
// validated, without a store.
func curated(t *testing.T) *index.Snapshot {
	t.Helper()
	files, err := data.Files()
	if err != nil {
		t.Fatal(err)
	}
	c, err := loaders.Validate(files...)
	if err != nil {
		t.Fatal(err)
	}
	return snapshotOf(&c.Batch)
}

func ids(es []*graph.Entity) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	return out
}

func TestLoopsCurated(t *testing.T) {
	s := curated(t)
	ctx := context.Background()
	for _, tc := range []struct {
		through string
		members []string // a loop through these must exist
		kind    graph.LoopKind
	}{
		// The article's vicious cycle: inflammation lowers testosterone,
		// and low testosterone lets inflammation grow.
		{"testosterone", []string{"testosterone", "systemic_anti_inflammatory_defenses", "chronic_inflammation"}, graph.Reinforcing},
		{"chronic inflammation", []string{"testosterone", "systemic_anti_inflammatory_defenses", "chronic_inflammation"}, graph.Reinforcing},
		// HPG negative feedback: GnRH -> LH -> testosterone -| GnRH.
		{"testosterone", []string{"gnrh", "luteinizing_hormone", "testosterone"}, graph.Balancing},
		{"gnrh", []string{"gnrh", "luteinizing_hormone", "testosterone"}, graph.Balancing},
	} {
		res, err := s.Loops(ctx, graph.LoopQuery{Through: tc.through, MaxLength: 6, First: 500})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, l := range res.Loops {
			es := ids(l.Path.Entities)
			if es[0] != es[len(es)-1] || es[0] != res.Through.ID {
				t.Fatalf("loop %v does not start and end at %s", es, res.Through.ID)
			}
			neg := 0
			for _, li := range l.Path.Links {
				if li.Effect == graph.Decreases {
					neg++
				}
			}
			if want := map[bool]graph.LoopKind{true: graph.Balancing, false: graph.Reinforcing}[neg%2 == 1]; l.Kind != want {
				t.Errorf("loop %v has %d DECREASES links but kind %s", es, neg, l.Kind)
			}
			if len(es)-1 == len(tc.members) && containsAll(es, tc.members) {
				found = true
				if l.Kind != tc.kind {
					t.Errorf("loop %v: kind %s, want %s", es, l.Kind, tc.kind)
				}
			}
		}
		if !found {
			t.Errorf("through %s: no loop of exactly %v among %d", tc.through, tc.members, len(res.Loops))
		}
	}
}

func containsAll(have, want []string) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}

// Loops found everywhere are each found once, and the loops through an
// entity are exactly those of the global list that contain it.
func TestLoopsEverywhere(t *testing.T) {
	s := curated(t)
	ctx := context.Background()
	all, err := s.Loops(ctx, graph.LoopQuery{MaxLength: 4, First: 500})
	if err != nil {
		t.Fatal(err)
	}
	if all.Truncated || len(all.Loops) == 0 {
		t.Fatalf("got %d loops, truncated %v", len(all.Loops), all.Truncated)
	}
	seen := map[string]bool{}
	through := 0
	for i, l := range all.Loops {
		key := loopKey(l)
		if seen[key] {
			t.Errorf("loop %s reported twice", key)
		}
		seen[key] = true
		if i > 0 && l.Path.Len() < all.Loops[i-1].Path.Len() {
			t.Errorf("loops not shortest first at %d", i)
		}
		if slices.Contains(ids(l.Path.Entities), "testosterone") {
			through++
		}
	}
	res, err := s.Loops(ctx, graph.LoopQuery{Through: "testosterone", MaxLength: 4, First: 500})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Loops) != through {
		t.Errorf("%d loops through testosterone, but %d of all loops contain it", len(res.Loops), through)
	}
	for _, l := range res.Loops {
		if !seen[loopKey(l)] {
			t.Errorf("loop %v through testosterone missing from the global list", ids(l.Path.Entities))
		}
	}
	only, err := s.Loops(ctx, graph.LoopQuery{MaxLength: 4, First: 500, Kind: graph.Balancing})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range only.Loops {
		if l.Kind != graph.Balancing {
			t.Errorf("kind filter let %s through", l.Kind)
		}
	}
}

// loopKey names a loop by its links, rotated to start at the smallest id.
func loopKey(l graph.Loop) string {
	ls := make([]string, len(l.Path.Links))
	for i, x := range l.Path.Links {
		ls[i] = x.ID
	}
	m := slices.Index(ls, slices.Min(ls))
	return strings.Join(append(ls[m:], ls[:m]...), ",")
}

func TestDownstreamCurated(t *testing.T) {
	s := curated(t)
	ctx := context.Background()
	res, err := s.Downstream(ctx, graph.ReachQuery{Of: "chronic inflammation", MaxDepth: 4, Paths: true})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]graph.Reached{}
	for i, r := range res.Reached {
		byID[r.Entity.ID] = r
		if i > 0 && r.Distance < res.Reached[i-1].Distance {
			t.Fatalf("not nearest first at %d", i)
		}
		p := r.Path
		if p == nil || p.Len() != r.Distance || p.Entities[0].ID != "chronic_inflammation" || p.Entities[p.Len()].ID != r.Entity.ID {
			t.Fatalf("%s: bad example path %+v", r.Entity.ID, p)
		}
		if !slices.Contains(r.Effects, p.NetEffect) {
			t.Errorf("%s: path effect %s not among %v", r.Entity.ID, p.NetEffect, r.Effects)
		}
		if p.Confidence != r.Confidence {
			t.Errorf("%s: confidence %v, path's %v", r.Entity.ID, r.Confidence, p.Confidence)
		}
	}
	if res.Total != len(res.Reached) || res.Truncated {
		t.Errorf("total %d of %d, truncated %v", res.Total, len(res.Reached), res.Truncated)
	}
	tst, ok := byID["testosterone"]
	if !ok || !slices.Contains(tst.Effects, graph.Decreases) {
		t.Fatalf("testosterone: %+v, want reached and decreased", tst)
	}
	// Cross-check every distance and effect set against trace.
	for id, r := range byID {
		tr, err := s.Trace(ctx, graph.TraceQuery{From: "chronic_inflammation", To: id, MaxDepth: r.Distance, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		var effects []graph.Effect
		for _, p := range tr.Paths {
			if p.Len() < r.Distance {
				t.Errorf("%s: trace found a %d-link chain, downstream says %d", id, p.Len(), r.Distance)
			}
			if !slices.Contains(effects, p.NetEffect) {
				effects = append(effects, p.NetEffect)
			}
		}
		slices.Sort(effects)
		got := slices.Clone(r.Effects)
		slices.Sort(got)
		if !tr.Truncated && !slices.Equal(effects, got) {
			t.Errorf("%s: effects %v, trace says %v", id, got, effects)
		}
	}

	// Filters and upstream.
	up, err := s.Upstream(ctx, graph.ReachQuery{Of: "testosterone", MaxDepth: 2, Kinds: []graph.Kind{graph.Therapy}, NetEffect: graph.Increases, Paths: true})
	if err != nil {
		t.Fatal(err)
	}
	var therapies []string
	for _, r := range up.Reached {
		therapies = append(therapies, r.Entity.ID)
		if r.Entity.Kind != graph.Therapy || !slices.Contains(r.Effects, graph.Increases) {
			t.Errorf("filter let %s (%s, %v) through", r.Entity.ID, r.Entity.Kind, r.Effects)
		}
		if p := r.Path; p.Entities[0].ID != r.Entity.ID || p.Entities[p.Len()].ID != "testosterone" || p.NetEffect != graph.Increases {
			t.Errorf("%s: upstream path %v should run to testosterone and increase it", r.Entity.ID, ids(p.Entities))
		}
	}
	if !slices.Contains(therapies, "trt") {
		t.Errorf("therapies raising testosterone within 2 links: %v, want trt among them", therapies)
	}
	byConf, err := s.Downstream(ctx, graph.ReachQuery{Of: "chronic inflammation", MaxDepth: 4, OrderBy: graph.ByConfidence, First: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(byConf.Reached) != 5 || byConf.Total != res.Total {
		t.Fatalf("first 5 of %d: got %d, total %d", res.Total, len(byConf.Reached), byConf.Total)
	}
	for i := 1; i < 5; i++ {
		if byConf.Reached[i].Confidence > byConf.Reached[i-1].Confidence {
			t.Errorf("not most confident first at %d", i)
		}
	}
}

func TestCausalArgumentErrors(t *testing.T) {
	s := curated(t)
	ctx := context.Background()
	for name, err := range map[string]error{
		"depth 9":      second(s.Downstream(ctx, graph.ReachQuery{Of: "gnrh", MaxDepth: 9})),
		"negative":     second(s.Upstream(ctx, graph.ReachQuery{Of: "gnrh", First: -1})),
		"bad kind":     second(s.Upstream(ctx, graph.ReachQuery{Of: "gnrh", Kinds: []graph.Kind{"GENE"}})),
		"bad order":    second(s.Downstream(ctx, graph.ReachQuery{Of: "gnrh", OrderBy: "NAME"})),
		"loop length":  second(s.Loops(ctx, graph.LoopQuery{MaxLength: 9})),
		"loop kind":    second(s.Loops(ctx, graph.LoopQuery{Kind: "VICIOUS"})),
		"no goal":      second(s.Interventions(ctx, graph.InterventionQuery{Target: "testosterone"})),
		"knock an end": second(s.Knockout(ctx, graph.KnockoutQuery{From: "gnrh", To: "testosterone", Remove: []string{"gnrh"}})),
		"knock none":   second(s.Knockout(ctx, graph.KnockoutQuery{From: "gnrh", To: "testosterone"})),
	} {
		if !errors.Is(err, graph.ErrBadArgument) {
			t.Errorf("%s: got %v, want ErrBadArgument", name, err)
		}
	}
	if _, err := s.Downstream(ctx, graph.ReachQuery{Of: "tstosterone"}); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("unknown entity: %v", err)
	}
}

func second[T any](_ T, err error) error { return err }

func TestTraceExplains(t *testing.T) {
	s := curated(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		q    graph.TraceQuery
		want graph.Reason
	}{
		{"disconnected", graph.TraceQuery{From: "fatigue", To: "gnrh"}, graph.Disconnected},
		{"too far", graph.TraceQuery{From: "gnrh", To: "fatigue", MaxDepth: 1}, graph.TooFar},
		{"net effect", graph.TraceQuery{From: "gnrh", To: "luteinizing_hormone", MaxDepth: 1, NetEffect: graph.Decreases}, graph.RemovedNetEffect},
		{"avoid", graph.TraceQuery{From: "gnrh", To: "testosterone", MaxDepth: 2, Avoid: []string{"luteinizing_hormone"}}, graph.RemovedByAvoid},
		{"via", graph.TraceQuery{From: "gnrh", To: "luteinizing_hormone", MaxDepth: 1, Via: []string{"testosterone"}}, graph.RemovedByVia},
		{"budget", graph.TraceQuery{From: "chronic inflammation", To: "testosterone", Budget: 3}, graph.OutOfBudget},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := s.Trace(ctx, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Paths) != 0 || res.Explanation == nil {
				t.Fatalf("got %d paths, explanation %v", len(res.Paths), res.Explanation)
			}
			if res.Explanation.Reason != tc.want || res.Explanation.Message == "" {
				t.Errorf("explanation %+v, want reason %s", res.Explanation, tc.want)
			}
			if tc.want == graph.TooFar && res.Explanation.Shortest <= tc.q.MaxDepth {
				t.Errorf("too far but shortest %d", res.Explanation.Shortest)
			}
		})
	}
	res, err := s.Trace(ctx, graph.TraceQuery{From: "chronic inflammation", To: "testosterone"})
	if err != nil || res.Explanation != nil {
		t.Errorf("a trace with chains explained itself: %v %+v", err, res.Explanation)
	}
}

func TestTraceByConfidence(t *testing.T) {
	s := curated(t)
	ctx := context.Background()
	// Every chain within 6 links (98 today), to rank by hand.
	all, err := s.Trace(ctx, graph.TraceQuery{From: "chronic inflammation", To: "testosterone", MaxDepth: 6, Limit: graph.MaxTraceLimit})
	if err != nil {
		t.Fatal(err)
	}
	top, err := s.Trace(ctx, graph.TraceQuery{From: "chronic inflammation", To: "testosterone", MaxDepth: 6, Limit: 5, OrderBy: graph.ByConfidence})
	if err != nil {
		t.Fatal(err)
	}
	if all.Truncated {
		t.Fatalf("more than %d chains within 6 links: lower MaxDepth so that this test sees them all", graph.MaxTraceLimit)
	}
	confs := make([]float64, len(all.Paths))
	for i, p := range all.Paths {
		confs[i] = p.Confidence
	}
	slices.Sort(confs)
	slices.Reverse(confs)
	if len(top.Paths) != min(5, len(confs)) {
		t.Fatalf("got %d paths", len(top.Paths))
	}
	for i, p := range top.Paths {
		if p.Confidence != confs[i] {
			t.Errorf("rank %d: confidence %v, want %v", i, p.Confidence, confs[i])
		}
	}
}

func TestInterventionsCurated(t *testing.T) {
	s := curated(t)
	ctx := context.Background()
	res, err := s.Interventions(ctx, graph.InterventionQuery{Target: "testosterone", Goal: graph.Increases, MaxDepth: 4})
	if err != nil {
		t.Fatal(err)
	}
	var trt *graph.Intervention
	for i, iv := range res.Interventions {
		if iv.Therapy.Kind != graph.Therapy {
			t.Errorf("%s is not a therapy", iv.Therapy.ID)
		}
		p := iv.Path
		if p.Entities[0].ID != iv.Therapy.ID || p.Entities[p.Len()].ID != "testosterone" {
			t.Errorf("%s: path %v", iv.Therapy.ID, ids(p.Entities))
		}
		if iv.TowardGoal != (p.NetEffect == graph.Increases) {
			t.Errorf("%s: toward goal %v but path %s", iv.Therapy.ID, iv.TowardGoal, p.NetEffect)
		}
		if i > 0 && iv.TowardGoal && !res.Interventions[i-1].TowardGoal {
			t.Errorf("a wrong-way therapy is ranked above %s", iv.Therapy.ID)
		}
		if iv.Therapy.ID == "trt" {
			trt = &res.Interventions[i]
		}
	}
	if trt == nil || !trt.TowardGoal || trt.Path.Len() != 1 {
		t.Fatalf("trt: %+v, want a one-link chain raising testosterone", trt)
	}
	// TRT also lowers LH, which lowers testosterone: a chain the wrong way.
	viaLH := false
	for _, p := range trt.Opposing {
		if p.NetEffect != graph.Decreases {
			t.Errorf("trt: opposing chain %v does not lower testosterone", ids(p.Entities))
		}
		viaLH = viaLH || slices.Contains(ids(p.Entities), "luteinizing_hormone")
	}
	if !viaLH {
		for _, p := range trt.Opposing {
			t.Log(ids(p.Entities))
		}
		t.Errorf("trt: no opposing chain through LH")
	}
	var risks []string
	for _, r := range trt.Risks {
		risks = append(risks, r.Entity.ID)
	}
	if !slices.Contains(risks, "testicular_atrophy") {
		t.Errorf("trt risks %v, want testicular_atrophy", risks)
	}
}

func TestKnockoutCurated(t *testing.T) {
	s := curated(t)
	ctx := context.Background()
	res, err := s.Knockout(ctx, graph.KnockoutQuery{From: "gnrh", To: "testosterone", Remove: []string{"luteinizing_hormone"}, MaxDepth: 4})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Broken) == 0 {
		t.Fatal("removing LH broke no chain from GnRH to testosterone")
	}
	for _, p := range res.Broken {
		if !slices.Contains(ids(p.Entities), "luteinizing_hormone") {
			t.Errorf("broken chain %v does not pass LH", ids(p.Entities))
		}
	}
	for _, p := range res.Surviving {
		if slices.Contains(ids(p.Entities), "luteinizing_hormone") {
			t.Errorf("surviving chain %v passes LH", ids(p.Entities))
		}
	}
	before, err := s.Knockout(ctx, graph.KnockoutQuery{From: "gnrh", To: "testosterone", Remove: []string{"chronic_inflammation"}, MaxDepth: 2})
	if err != nil {
		t.Fatal(err)
	}
	// GnRH reaches testosterone within 2 links only through LH: a cut point.
	if !slices.Contains(ids(before.CutPoints), "luteinizing_hormone") {
		t.Errorf("cut points %v, want luteinizing_hormone", ids(before.CutPoints))
	}
	// Every cut point is on every surviving chain, and removing it leaves none.
	for _, c := range before.CutPoints {
		for _, p := range before.Surviving {
			if !slices.Contains(p.Entities, c) {
				t.Errorf("cut point %s not on chain %v", c.ID, ids(p.Entities))
			}
		}
		again, err := s.Knockout(ctx, graph.KnockoutQuery{From: "gnrh", To: "testosterone", Remove: []string{"chronic_inflammation", c.ID}, MaxDepth: 2})
		if err != nil {
			t.Fatal(err)
		}
		if again.Connected {
			t.Errorf("removing cut point %s left chains", c.ID)
		}
	}
}

// On a scale-free graph, a deep query from the biggest hub comes back
// promptly, truncated, instead of running away.
func TestHubQueriesAreBounded(t *testing.T) {
	s := snapshotOf(gen.Generate(gen.Config{Edges: 20000, Seed: 1}))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	hub, other := gen.EntityID(0), gen.EntityID(1)
	budget := 50_000
	tr, err := s.Trace(ctx, graph.TraceQuery{From: hub, To: other, MaxDepth: 8, Limit: 100, Budget: budget})
	if err != nil || !tr.Truncated {
		t.Errorf("trace from the hub: err %v, truncated %v", err, tr != nil && tr.Truncated)
	}
	lo, err := s.Loops(ctx, graph.LoopQuery{Through: hub, MaxLength: 8, First: 500, Budget: budget})
	if err != nil || !lo.Truncated {
		t.Errorf("loops through the hub: err %v", err)
	}
	all, err := s.Loops(ctx, graph.LoopQuery{MaxLength: 8, Budget: budget})
	if err != nil || !all.Truncated {
		t.Errorf("all loops: err %v", err)
	}
	iv, err := s.Interventions(ctx, graph.InterventionQuery{Target: hub, Goal: graph.Decreases, MaxDepth: 8, Budget: budget})
	if err != nil || !iv.Truncated {
		t.Errorf("interventions on the hub: err %v", err)
	}
	ko, err := s.Knockout(ctx, graph.KnockoutQuery{From: hub, To: other, Remove: []string{gen.EntityID(2)}, MaxDepth: 8, Budget: budget})
	if err != nil || !ko.Truncated {
		t.Errorf("knockout between hubs: err %v", err)
	}
	down, err := s.Downstream(ctx, graph.ReachQuery{Of: hub, MaxDepth: 8, Budget: 5000})
	if err != nil || !down.Truncated {
		t.Errorf("downstream of the hub: err %v", err)
	}
	// A cancelled ctx stops a traversal with the ctx's error.
	done, stop := context.WithCancel(context.Background())
	stop()
	if _, err := s.Trace(done, graph.TraceQuery{From: hub, To: other, MaxDepth: 8}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled trace: %v", err)
	}
}
