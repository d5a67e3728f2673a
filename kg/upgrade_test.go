package kg

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/internal/pgtest"
	"github.com/leydigkg/leydigkg/internal/storetest"
)

// A store written by layout 1 (testdata/layout1.nq: the curated graph as
// leydigkg wrote it before evidence had knowledge levels) is refused with
// the command that upgrades it, never misread; Upgrade rewrites it whole,
// and the store then opens with every record, its evidence stated by
// hand.
func TestUpgradeLayout1(t *testing.T) {
	for name, spec := range map[string]func(t *testing.T) string{
		"bolt":     func(t *testing.T) string { return "bolt:" + filepath.Join(t.TempDir(), "old") },
		"postgres": func(t *testing.T) string { return pgtest.Spec(t) }, // skipped without LEYDIGKG_TEST_POSTGRES
	} {
		t.Run(name, func(t *testing.T) { testUpgradeLayout1(t, spec(t)) })
	}
}

func testUpgradeLayout1(t *testing.T, spec string) {
	ctx := context.Background()
	storetest.WriteNQuads(t, spec, "testdata/layout1.nq")

	_, err := OpenWith(ctx, spec, Options{Beliefs: testBeliefs})
	if !errors.Is(err, graph.ErrOldLayout) || !strings.Contains(err.Error(), "leydigkg upgrade --store ") {
		t.Fatalf("Open of a layout-1 store: %v, want ErrOldLayout naming the upgrade command", err)
	}
	n, err := Upgrade(ctx, spec)
	if err != nil || n == 0 {
		t.Fatalf("Upgrade = %d, %v", n, err)
	}
	if n2, err := Upgrade(ctx, spec); err != nil || n2 != 0 {
		t.Errorf("a second Upgrade = %d, %v; want nothing to do", n2, err)
	}
	s, err := OpenWith(ctx, spec, Options{Beliefs: testBeliefs})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	st := s.Stats(ctx)
	if st.Links == 0 || st.Entities+st.Links+st.Sources+st.References != n {
		t.Errorf("upgraded store holds %+v, Upgrade said %d records", st, n)
	}
	l, err := s.Link(ctx, "lh_increases_testosterone")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range l.Evidence {
		if e.KnowledgeLevel != graph.KnowledgeAssertion || e.AgentType != graph.ManualAgent {
			t.Errorf("upgraded evidence %+v, want knowledge_assertion by manual_agent", e)
		}
	}
	var confidence int
	s.Quads(ctx, func(q quad.Quad) error {
		if q.Predicate == quad.IRI("urn:leydigkg:confidence") {
			confidence++
		}
		return nil
	})
	if confidence != 0 {
		t.Errorf("%d layout-1 confidence quads left", confidence)
	}
}
