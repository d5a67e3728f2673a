package kg

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/internal/layout"
	"github.com/leydigkg/leydigkg/internal/pgtest"
	"github.com/leydigkg/leydigkg/internal/storetest"
)

// A store written by layout 1 (testdata/layout1.nq: the curated graph as
// leydigkg wrote it before evidence had knowledge levels) or layout 2
// (testdata/layout2.nq: the curated graph and two rows of a signed list,
// each link a node of class Link) is refused with the command that
// upgrades it, never misread; Upgrade rewrites it whole, and the store then
// opens with every record.
func TestUpgradeLayout1(t *testing.T) {
	for name, spec := range map[string]func(t *testing.T) string{
		"bolt":     func(t *testing.T) string { return "bolt:" + filepath.Join(t.TempDir(), "old") },
		"postgres": func(t *testing.T) string { return pgtest.Spec(t) }, // skipped without LEYDIGKG_TEST_POSTGRES
	} {
		t.Run(name, func(t *testing.T) { testUpgradeLayout1(t, spec(t)) })
	}
}

func TestUpgradeLayout2(t *testing.T) {
	for name, spec := range map[string]func(t *testing.T) string{
		"bolt":     func(t *testing.T) string { return "bolt:" + filepath.Join(t.TempDir(), "old") },
		"postgres": func(t *testing.T) string { return pgtest.Spec(t) }, // skipped without LEYDIGKG_TEST_POSTGRES
	} {
		t.Run(name, func(t *testing.T) {
			spec := spec(t)
			s, u := upgrade(t, spec, "testdata/layout2.nq", 2)
			defer s.Close()
			rewroteAll(t, s, u)
			ctx := context.Background()
			l, err := s.Link(ctx, "TNF_increases_NFKB1")
			if err != nil {
				t.Fatal(err)
			}
			if l.Subject != "TNF" || l.Object != "NFKB1" || l.Effect != graph.Increases || l.Predicate != "biolink:regulates" ||
				len(l.Evidence) != 1 || l.Evidence[0].Source != "net.csv" || l.Evidence[0].At != "net.csv:2" {
				t.Errorf("upgraded link %+v", l)
			}
			if l, err := s.Link(ctx, "lh_increases_testosterone"); err != nil || len(l.Evidence) == 0 || l.Evidence[0].Quote == "" {
				t.Errorf("upgraded curated link %+v, %v", l, err)
			}
			var classLink, ofRow int
			s.Quads(ctx, func(q quad.Quad) error {
				if q.Object == quad.IRI("urn:leydigkg:Link") {
					classLink++
				}
				if q.Subject == quad.IRI("urn:leydigkg:link:TNF_increases_NFKB1") || q.Label == quad.IRI("urn:leydigkg:link:TNF_increases_NFKB1") {
					ofRow++
				}
				return nil
			})
			if classLink != 0 || ofRow != 3 {
				t.Errorf("after the upgrade: %d quads of class Link (want 0), %d quads of a row's link (want 3)", classLink, ofRow)
			}
		})
	}
}

// upgrade writes file's quads into spec, checks that Open refuses the
// store and that Upgrade rewrites it once, from layout from, and opens it.
func upgrade(t *testing.T, spec, file string, from int) (*Store, Upgraded) {
	t.Helper()
	ctx := context.Background()
	storetest.WriteNQuads(t, spec, file)

	_, err := OpenWith(ctx, spec, Options{Beliefs: testBeliefs})
	if !errors.Is(err, graph.ErrOldLayout) || !strings.Contains(err.Error(), "leydigkg upgrade --store ") {
		t.Fatalf("Open of an old store: %v, want ErrOldLayout naming the upgrade command", err)
	}
	u, err := Upgrade(ctx, spec)
	if err != nil || u.From != from || u.To != layout.Version || u.Records == 0 {
		t.Fatalf("Upgrade = %+v, %v; want from layout %d", u, err, from)
	}
	if u2, err := Upgrade(ctx, spec); err != nil || u2 != (Upgraded{}) {
		t.Errorf("a second Upgrade = %+v, %v; want nothing to do", u2, err)
	}
	s, err := OpenWith(ctx, spec, Options{Beliefs: testBeliefs})
	if err != nil {
		t.Fatal(err)
	}
	return s, u
}

// rewroteAll checks that an upgrade that rewrote every record says so.
func rewroteAll(t *testing.T, s *Store, u Upgraded) {
	t.Helper()
	if st := s.Stats(context.Background()); st.Links == 0 || st.Entities+st.Links+st.Sources+st.References != u.Records {
		t.Errorf("upgraded store holds %+v, Upgrade said %d records", st, u.Records)
	}
}

func testUpgradeLayout1(t *testing.T, spec string) {
	ctx := context.Background()
	s, u := upgrade(t, spec, "testdata/layout1.nq", 1)
	defer s.Close()
	rewroteAll(t, s, u)
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

// A store of layout 3 (testdata/layout3.nq: the curated graph, its
// relations and two rows of a signed list, written by leydigkg at
// 4f472a7) is upgraded by dropping its evidence nodes' class and position
// quads: the store then holds exactly this layout of the records layout 3
// held, evidence items in their order, and Upgrade counts each link or
// relation that had an evidence node.
func TestUpgradeLayout3(t *testing.T) {
	before := layout.NewDecoder()
	withItems := map[string]bool{}
	for _, q := range storetest.ReadNQuads(t, "testdata/layout3.nq") {
		before.Add(q)
		if q.Predicate == quad.IRI("urn:leydigkg:position") {
			withItems[strings.SplitN(quad.ToString(q.Subject), "#", 2)[0]] = true
		}
	}
	if before.Version() != 3 {
		t.Fatalf("testdata/layout3.nq reads as layout %d", before.Version())
	}
	want, _ := before.Batch()
	for name, spec := range map[string]func(t *testing.T) string{
		"bolt":     func(t *testing.T) string { return "bolt:" + filepath.Join(t.TempDir(), "old") },
		"postgres": func(t *testing.T) string { return pgtest.Spec(t) }, // skipped without LEYDIGKG_TEST_POSTGRES
	} {
		t.Run(name, func(t *testing.T) {
			s, u := upgrade(t, spec(t), "testdata/layout3.nq", 3)
			defer s.Close()
			if u.Records != len(withItems) {
				t.Errorf("Upgrade says it rewrote %d records; %d links and relations have evidence nodes", u.Records, len(withItems))
			}
			if d := diff(expected(t, want), dump(t, s)); d != "" {
				t.Errorf("the upgraded store does not hold exactly this layout of layout 3's records (+ held, - missing):\n%s", d)
			}
		})
	}
}

// TestShellWord: the upgrade command a refusal names pastes into a shell
// as one word, whatever the store's spec holds.
func TestShellWord(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"bolt:/var/lib/leydigkg", "bolt:/var/lib/leydigkg"},
		{"postgres://kg@db:5432/kg?sslmode=disable&search_path=x", "'postgres://kg@db:5432/kg?sslmode=disable&search_path=x'"},
		{"bolt:/data/my store", "'bolt:/data/my store'"},
		{"bolt:/it's", `'bolt:/it'\''s'`},
		{"", "''"},
	} {
		if got := shellWord(tc.in); got != tc.want {
			t.Errorf("shellWord(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

// TestNewerLayoutRefused: a store of a layout newer than this one is
// refused by Open and by Upgrade alike, never read or rewritten.
func TestNewerLayoutRefused(t *testing.T) {
	ctx := context.Background()
	spec := "bolt:" + filepath.Join(t.TempDir(), "new")
	f := filepath.Join(t.TempDir(), "newer.nq")
	if err := os.WriteFile(f, []byte(`<urn:leydigkg:store> <urn:leydigkg:layoutVersion> "99"^^<xsd:integer> .`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	storetest.WriteNQuads(t, spec, f)
	if _, err := OpenWith(ctx, spec, Options{Beliefs: testBeliefs}); !errors.Is(err, graph.ErrOldLayout) || !strings.Contains(err.Error(), "holds layout 99, newer than this leydigkg's") {
		t.Errorf("Open: %v", err)
	}
	if u, err := Upgrade(ctx, spec); !errors.Is(err, graph.ErrOldLayout) || !strings.Contains(err.Error(), "holds layout 99, newer") || u != (Upgraded{}) {
		t.Errorf("Upgrade = %+v, %v", u, err)
	}
}

// TestUpgradeNoStore: upgrading a bolt path that holds no store (a
// mistyped one) is an error, and leaves the path as it was: missing, or
// an empty directory.
func TestUpgradeNoStore(t *testing.T) {
	dir := t.TempDir()
	for name, path := range map[string]string{"missing": filepath.Join(dir, "nosuch", "store"), "empty directory": dir} {
		t.Run(name, func(t *testing.T) {
			u, err := Upgrade(context.Background(), "bolt:"+path)
			if !errors.Is(err, graph.ErrNotFound) || !strings.Contains(err.Error(), "no store at") || u != (Upgraded{}) {
				t.Errorf("Upgrade = %+v, %v; want no store", u, err)
			}
			if name == "missing" {
				if _, err := os.Stat(filepath.Join(dir, "nosuch")); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("Upgrade left %s behind: %v", path, err)
				}
			} else if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("Upgrade left %d entries in the empty directory", len(entries))
			}
		})
	}
}
