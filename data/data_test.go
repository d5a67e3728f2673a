package data_test

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/leydigkg/leydigkg/data"
	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/kg"
	"github.com/leydigkg/leydigkg/loaders"
)

// curated loads the embedded graph into a fresh memory store.
func curated(t testing.TB) *kg.Store {
	t.Helper()
	s, err := data.Open(context.Background(), "memory")
	if err != nil {
		t.Fatalf("load curated graph:\n%v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// curatedBatch is data.Batch, or the test fails.
func curatedBatch(t testing.TB) *graph.Batch {
	t.Helper()
	b, err := data.Batch()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// allLinks lists every link of s, and fails unless they are the curated
// files' links, as many.
func allLinks(t *testing.T, s *kg.Store) []*graph.Link {
	t.Helper()
	page, err := s.Links(context.Background(), "", graph.Filter{}, graph.PageArgs{First: graph.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	if page.HasNext {
		t.Fatal("more links than one page; page through them")
	}
	if want := len(curatedBatch(t).Links); len(page.Items) != want {
		t.Fatalf("listed %d links, the curated files hold %d", len(page.Items), want)
	}
	return page.Items
}

// TestEveryFileLoads loads every YAML file under data/ from disk, so a
// curator sees file:line:col for the first problem.
func TestEveryFileLoads(t *testing.T) {
	names, err := filepath.Glob("*.yaml")
	if err != nil || len(names) == 0 {
		t.Fatalf("no data files: %v", err)
	}
	files, err := loaders.ReadFiles(names...)
	if err != nil {
		t.Fatal(err)
	}
	c, err := loaders.Validate(files...)
	if err != nil {
		t.Fatalf("data files have problems:\n%v", err)
	}
	embedded, err := data.Files()
	if err != nil || len(embedded) != len(files) {
		t.Errorf("embedded %d files, disk has %d (%v)", len(embedded), len(files), err)
	}
	b := c.Batch
	if len(b.Entities) < 60 || len(b.Links) < 100 {
		t.Errorf("%d entities and %d links; the article supports at least 60 and 100", len(b.Entities), len(b.Links))
	}
	kinds := map[graph.Kind]int{}
	for _, e := range b.Entities {
		kinds[e.Kind]++
		if strings.TrimSpace(e.Description) == "" {
			t.Errorf("entity %s has no description", e.ID)
		}
	}
	for _, k := range graph.Kinds {
		if kinds[k] == 0 {
			t.Errorf("no entity of kind %s", k)
		}
	}
	for _, l := range b.Links {
		if strings.TrimSpace(l.Mechanism) == "" {
			t.Errorf("link %s has no mechanism", l.ID)
		}
		for _, ev := range l.Evidence {
			if ev.Section == "" {
				t.Errorf("link %s: evidence without a section", l.ID)
			}
		}
	}
}

// TestConfidenceByRule checks that no curated link overrides the documented
// confidence rule.
func TestConfidenceByRule(t *testing.T) {
	raw, err := os.ReadFile("links.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if m := regexp.MustCompile(`(?m)^\s+confidence:`).Find(raw); m != nil {
		t.Errorf("links.yaml sets confidence by hand; the rule in README.md computes it")
	}
}

var spaces = regexp.MustCompile(`\s+`)

// TestQuotesAreVerbatim checks every quote against the article's text.
func TestQuotesAreVerbatim(t *testing.T) {
	article, err := os.ReadFile("source-article.txt")
	if err != nil {
		t.Fatal(err)
	}
	text := spaces.ReplaceAllString(string(article), " ")
	links := allLinks(t, curated(t))
	sections := map[string]bool{}
	quoted := 0
	for _, l := range links {
		n := 0
		for i, ev := range l.Evidence {
			q := spaces.ReplaceAllString(strings.TrimSpace(ev.Quote), " ")
			if q == "" {
				continue
			}
			n++
			if !strings.Contains(text, q) {
				t.Errorf("link %s evidence %d: quote is not in the article: %q", l.ID, i, ev.Quote)
			}
			sections[ev.Section] = true
		}
		if n > 0 {
			quoted++
		}
	}
	// Every curated link rests on the article's words.
	if quoted != len(links) || quoted < 100 {
		t.Errorf("%d of %d links have a quote; want every one, and at least 100", quoted, len(links))
	}
	for sec := range sections {
		last := sec[strings.LastIndex(sec, "/")+1:]
		if last = strings.TrimSpace(last); !strings.Contains(text, last) {
			t.Errorf("section %q is not a heading of the article", sec)
		}
	}
}

// TestXrefsAreChecked checks every xref against the list of identifiers
// verified at their source (a copy of shared/xrefs.tsv): rows marked
// UNVERIFIED, OBSOLETE or SECONDARY ONLY may not be used.
func TestXrefsAreChecked(t *testing.T) {
	f, err := os.Open("testdata/xrefs.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ok := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 4 || cols[1] == "UNVERIFIED" || strings.Contains(cols[3], "OBSOLETE") || strings.Contains(cols[3], "SECONDARY ONLY") {
			continue
		}
		ok[cols[1]] = true
	}
	s := curated(t)
	page, err := s.Entities(context.Background(), "", graph.PageArgs{First: graph.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	if page.HasNext {
		t.Fatal("more entities than one page; page through them")
	}
	if want := len(curatedBatch(t).Entities); len(page.Items) != want {
		t.Fatalf("listed %d entities, the curated files hold %d", len(page.Items), want)
	}
	n := 0
	for _, e := range page.Items {
		for _, x := range e.Xrefs {
			n++
			if !ok[x] {
				t.Errorf("entity %s: xref %s is not among the checked identifiers", e.ID, x)
			}
		}
	}
	if n < 20 {
		t.Errorf("only %d xrefs; the checked list supports many more", n)
	}
}

// TestArticleChains asserts causal chains the article states.
func TestArticleChains(t *testing.T) {
	s := curated(t)
	tests := []struct {
		from, to string
		depth    int
		want     graph.Effect // net effect of the best chain
		all      bool         // every chain within depth has that effect
	}{
		{"chronic inflammation", "testosterone", 3, graph.Decreases, false},
		{"GnRH", "LH", 1, graph.Increases, true},
		{"LH", "testosterone", 2, graph.Increases, false},
		{"anastrozole", "estrogen", 2, graph.Decreases, false},
		{"aromatase", "estrogen", 1, graph.Increases, true},
		{"TRT", "testosterone", 1, graph.Increases, true},
		{"TRT", "LH", 2, graph.Decreases, false},
		{"TRT", "testicular atrophy", 1, graph.Increases, true},
		{"gonadorelin", "LH", 1, graph.Increases, true},
		{"gonadorelin", "testicular atrophy", 1, graph.Decreases, true},
		{"ROS", "oxidative stress", 1, graph.Increases, true},
		{"oxidative stress", "ATP production", 3, graph.Decreases, false},
		{"inflammatory cytokines", "testicular fibrosis", 4, graph.Increases, false},
		{"testicular fibrosis", "Leydig cell", 3, graph.Decreases, false},
		{"apoptosis", "Leydig cell", 1, graph.Decreases, true},
		{"cryptorchidism", "chronic inflammation", 1, graph.Increases, true},
		{"ipamorelin", "growth hormone", 1, graph.Increases, true},
		{"anti-inflammatory diet", "chronic inflammation", 1, graph.Decreases, true},
		// Cholesterol transport is part of steroidogenesis (a relation, not a
		// causal step); its causal claim is on testosterone (issue 15).
		{"StAR", "testosterone", 2, graph.Increases, false},
	}
	for _, tt := range tests {
		t.Run(tt.from+" to "+tt.to, func(t *testing.T) {
			res, err := s.Trace(context.Background(), graph.TraceQuery{From: tt.from, To: tt.to, MaxDepth: tt.depth, Limit: graph.MaxTraceLimit})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Paths) == 0 {
				t.Fatalf("no chain within %d links", tt.depth)
			}
			if got := res.Paths[0].NetEffect; got != tt.want {
				t.Errorf("best chain %s is %s, want %s", describe(res.Paths[0]), got, tt.want)
			}
			for _, p := range res.Paths {
				if tt.all && p.NetEffect != tt.want {
					t.Errorf("chain %s is %s, want %s", describe(p), p.NetEffect, tt.want)
				}
			}
		})
	}
}

// TestFeedbackCycles checks the article's two loops are in the graph: the
// HPG axis's negative feedback (balancing: an odd number of DECREASES hops)
// and the vicious cycle of low testosterone and inflammation (reinforcing:
// an even number).
func TestFeedbackCycles(t *testing.T) {
	s := curated(t)
	ctx := context.Background()
	cycle := func(a, b string, back graph.Effect) graph.Effect {
		t.Helper()
		out, err := s.Trace(ctx, graph.TraceQuery{From: a, To: b, MaxDepth: 3})
		if err != nil || len(out.Paths) == 0 {
			t.Fatalf("no chain %s -> %s: %v", a, b, err)
		}
		in, err := s.Trace(ctx, graph.TraceQuery{From: b, To: a, MaxDepth: 2, NetEffect: back})
		if err != nil || len(in.Paths) == 0 {
			t.Fatalf("no %s chain %s -> %s within 2 links: %v", back, b, a, err)
		}
		return out.Paths[0].NetEffect.Times(in.Paths[0].NetEffect)
	}
	if got := cycle("GnRH", "testosterone", graph.Decreases); got != graph.Decreases {
		t.Errorf("HPG feedback loop is %s overall, want DECREASES (balancing)", got)
	}
	if got := cycle("LH", "testosterone", graph.Decreases); got != graph.Decreases {
		t.Errorf("LH feedback loop is %s overall, want DECREASES (balancing)", got)
	}
	if got := cycle("chronic inflammation", "testosterone", graph.Decreases); got != graph.Increases {
		t.Errorf("vicious cycle is %s overall, want INCREASES (reinforcing)", got)
	}
}

func describe(p graph.Path) string {
	parts := []string{p.Entities[0].ID}
	for i, l := range p.Links {
		parts = append(parts, string(l.Effect), p.Entities[i+1].ID)
	}
	return strings.Join(parts, " ")
}

// cascadeStep matches a step of the article's numbered six-step cascade
// ("Initial Insult ∞ ...", under "The Final Blow ...").
var cascadeStep = regexp.MustCompile(`^(Initial Insult|Oxidative Stress|Mitochondrial Damage|Epigenetic Suppression|Fibrotic Remodeling|Apoptosis) ∞ `)

// TestEveryPartOfTheArticle is a coverage check of the curation: each part
// of the article contributes links.
func TestEveryPartOfTheArticle(t *testing.T) {
	s := curated(t)
	parts := map[string]int{}
	for _, l := range allLinks(t, s) {
		for _, ev := range l.Evidence {
			parts[strings.SplitN(ev.Section, " / ", 2)[0]]++
			if cascadeStep.MatchString(ev.Quote) {
				parts["cascade"]++
			}
			if strings.Contains(ev.Section, "What Defines Leydig Cell Health?") || strings.Contains(ev.Section, "How Do Clinical Interventions") {
				parts["tables"]++
			}
		}
	}
	for _, want := range []string{"Fundamentals", "Intermediate", "Academic", "cascade", "tables"} {
		if parts[want] == 0 {
			t.Errorf("no evidence from %s", want)
		}
	}
	refs := s.References(context.Background())
	if ids := func() []string {
		var ids []string
		for _, r := range refs {
			ids = append(ids, r.ID)
		}
		return ids
	}(); len(ids) != 5 || !slices.Contains(ids, "aldahhan2021") {
		t.Errorf("references = %v, want the article's five", ids)
	}
}

// TestArticleLoopsOnce checks the article's two loops through
// testosterone, each reported once with its shortcut variants grouped
// under it (links marked shortcut_of, issue 15): the HPG negative feedback
// (LH, and GnRH above it) and the vicious cycle, within three links and
// within the default loop length.
func TestArticleLoopsOnce(t *testing.T) {
	s := curated(t)
	for _, max := range []int{3, 0} {
		q := graph.LoopQuery{Through: "testosterone", MaxLength: max, First: 500}
		all, err := s.Loops(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		q.Distinct = true
		res, err := s.Loops(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Loops) != 2 || len(all.Loops) <= 2 {
			t.Fatalf("max length %d: %d distinct loops (of %d), want the HPG feedback and the vicious cycle", max, len(res.Loops), len(all.Loops))
		}
		kinds := map[graph.LoopKind][]string{}
		grouped := len(res.Loops)
		for _, l := range res.Loops {
			grouped += len(l.Variants)
			var ids []string
			for _, p := range append([]graph.Path{l.Path}, l.Variants...) {
				for _, e := range p.Entities {
					ids = append(ids, e.ID)
				}
			}
			kinds[l.Kind] = ids
		}
		if hpg := kinds[graph.Balancing]; !slices.Contains(hpg, "luteinizing_hormone") || !slices.Contains(hpg, "gnrh") {
			t.Errorf("max length %d: no balancing HPG loop through LH with its GnRH variant: %v", max, hpg)
		}
		if vicious := kinds[graph.Reinforcing]; !slices.Contains(vicious, "chronic_inflammation") || !slices.Contains(vicious, "systemic_anti_inflammatory_defenses") {
			t.Errorf("max length %d: no reinforcing loop through chronic inflammation: %v", max, vicious)
		}
		if grouped != len(all.Loops) {
			t.Errorf("max length %d: the distinct loops and their variants are %d, the loops %d", max, grouped, len(all.Loops))
		}
	}
}

// TestArticleTraceOnce: GnRH reaches testosterone through LH by chains
// that differ only by shortcut links (LH -> testosterone beside the chains
// it summarises); with distinct they are one answer, every chain of the
// plain trace among its variants, each once.
func TestArticleTraceOnce(t *testing.T) {
	s := curated(t)
	q := graph.TraceQuery{From: "gnrh", To: "testosterone", Limit: 100}
	all, err := s.Trace(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	q.Distinct = true
	res, err := s.Trace(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Paths) >= len(all.Paths) || len(res.Paths) == 0 {
		t.Fatalf("%d distinct chains of %d, want fewer", len(res.Paths), len(all.Paths))
	}
	chainKey := func(p graph.Path) string {
		ids := make([]string, len(p.Links))
		for i, l := range p.Links {
			ids[i] = l.ID
		}
		return strings.Join(ids, " ")
	}
	seen := map[string]int{}
	for _, p := range res.Paths {
		seen[chainKey(p)]++
		for _, v := range p.Variants {
			seen[chainKey(v)]++
			if v.Len() > p.Len() {
				t.Errorf("variant %s is fuller than its lead %s", chainKey(v), chainKey(p))
			}
		}
	}
	for _, p := range all.Paths {
		if seen[chainKey(p)] != 1 {
			t.Errorf("chain %s reported %d times with distinct, want once", chainKey(p), seen[chainKey(p)])
		}
	}
	if len(seen) != len(all.Paths) {
		t.Errorf("distinct reports %d chains in all, the plain trace %d", len(seen), len(all.Paths))
	}
	// The direct LH -> testosterone chain is a variant, not an answer of its own.
	for _, p := range res.Paths {
		if p.Len() == 2 && p.Entities[1].ID == "luteinizing_hormone" {
			t.Errorf("GnRH -> LH -> testosterone is an answer of its own: %s", chainKey(p))
		}
	}
}
