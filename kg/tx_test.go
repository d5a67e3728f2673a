package kg

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"

	"github.com/leydigkg/leydigkg/graph"
)

// TestUpdate runs several writes in one Update, on every backend: all of
// them are stored when fn succeeds, none when a later one fails, and reads
// within fn see the earlier ones while readers outside do not.
func TestUpdate(t *testing.T) {
	epsilon := graph.Entity{ID: "epsilon", Name: "Epsilon", Kind: graph.Molecule}
	link := graph.Link{ID: "ea", Subject: "epsilon", Object: "alpha", Effect: graph.Increases, Predicate: "biolink:regulates", Confidence: 0.5,
		Evidence: []graph.Evidence{{Quote: "q", Source: "src"}}}
	errStop := errors.New("stop")
	tests := []struct {
		name string
		fn   func(t *testing.T, s *Store, ctx context.Context) error
		want error // Update's error; nil: every write stored
		// after edits the fixture into what the store must hold when
		// Update succeeds.
		after func(b *graph.Batch)
	}{
		{"entity then a link to it", func(t *testing.T, s *Store, ctx context.Context) error {
			if _, err := s.Apply(ctx, &graph.Batch{Entities: []graph.Entity{epsilon}}); err != nil {
				return err
			}
			if e, err := s.Entity(ctx, "epsilon"); err != nil || e.Name != "Epsilon" {
				t.Errorf("the transaction does not see its entity: %v %v", e, err)
			}
			if _, err := s.Entity(context.Background(), "epsilon"); !errors.Is(err, graph.ErrNotFound) {
				t.Errorf("a reader outside sees the entity before the commit: %v", err)
			}
			_, err := s.Apply(ctx, &graph.Batch{Links: []graph.Link{link}})
			return err
		}, nil, func(b *graph.Batch) {
			b.Entities = append(b.Entities, epsilon)
			b.Links = append(b.Links, link)
		}},
		{"the second write fails", func(t *testing.T, s *Store, ctx context.Context) error {
			if _, err := s.Apply(ctx, &graph.Batch{Entities: []graph.Entity{epsilon}}); err != nil {
				return err
			}
			return s.RemoveLink(ctx, "no_such_link")
		}, graph.ErrNotFound, nil},
		{"a link to an entity added later is refused", func(t *testing.T, s *Store, ctx context.Context) error {
			if _, err := s.Apply(ctx, &graph.Batch{Links: []graph.Link{link}}); err != nil {
				return err
			}
			_, err := s.Apply(ctx, &graph.Batch{Entities: []graph.Entity{epsilon}})
			return err
		}, graph.ErrUnknownEntity, nil},
		{"fn's own error", func(t *testing.T, s *Store, ctx context.Context) error {
			if err := s.RemoveLink(ctx, "ab"); err != nil {
				return err
			}
			return errStop
		}, errStop, nil},
		{"remove, cascade, add evidence", func(t *testing.T, s *Store, ctx context.Context) error {
			if err := s.RemoveLink(ctx, "ab"); err != nil {
				return err
			}
			if _, err := s.AddEvidence(ctx, "bg", graph.Evidence{Quote: "more", Source: "src"}); err != nil {
				return err
			}
			links, err := s.RemoveEntity(ctx, "delta", true)
			if !slices.Equal(links, []string{"da", "gd"}) {
				t.Errorf("cascade removed %v", links)
			}
			return err
		}, nil, func(b *graph.Batch) {
			b.Links = slices.DeleteFunc(b.Links, func(l graph.Link) bool { return l.ID == "ab" || l.ID == "da" || l.ID == "gd" })
			b.Entities = slices.DeleteFunc(b.Entities, func(e graph.Entity) bool { return e.ID == "delta" })
			for i := range b.Links {
				if b.Links[i].ID == "bg" {
					b.Links[i].Evidence = append(b.Links[i].Evidence, graph.Evidence{Quote: "more", Source: "src"})
				}
			}
		}},
		{"added then removed: nothing", func(t *testing.T, s *Store, ctx context.Context) error {
			if _, err := s.Apply(ctx, &graph.Batch{Entities: []graph.Entity{epsilon}}); err != nil {
				return err
			}
			_, err := s.RemoveEntity(ctx, "epsilon", false)
			return err
		}, nil, func(b *graph.Batch) {}},
	}
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					s := open(t)
					mustApply(t, s, fixture())
					before := dump(t, s)
					err := s.Update(context.Background(), func(ctx context.Context) error { return tt.fn(t, s, ctx) })
					if !errors.Is(err, tt.want) || (tt.want != nil && err == nil) {
						t.Fatalf("Update: %v, want %v", err, tt.want)
					}
					if tt.want != nil {
						if got := dump(t, s); !slices.Equal(got, before) {
							t.Errorf("a failed Update changed the store")
						}
						return
					}
					b := fixture()
					tt.after(b)
					if got := dump(t, s); !slices.Equal(got, expected(t, b)) {
						t.Errorf("the store holds\n%v\nwant\n%v", got, expected(t, b))
					}
				})
			}
		})
	}
}

// TestUpdateDone checks that a write with the context of an Update that has
// returned is refused, not written on its own.
func TestUpdateDone(t *testing.T) {
	s := mustOpen(t, "memory")
	mustApply(t, s, fixture())
	var kept context.Context
	if err := s.Update(context.Background(), func(ctx context.Context) error { kept = ctx; return nil }); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveLink(kept, "ab"); !errors.Is(err, ErrTxDone) {
		t.Errorf("RemoveLink after Update: %v", err)
	}
	if _, err := s.Link(context.Background(), "ab"); err != nil {
		t.Errorf("the link is gone: %v", err)
	}
}

// TestSameEdgeTwoAssertions: two assertions between the same entities with
// the same effect but other predicates share their edge's subject,
// predicate and object; only its label tells them apart. Written in one
// transaction, or one after the other and then one deleted, each keeps its
// own edge in the store (read back after reopening it).
func TestSameEdgeTwoAssertions(t *testing.T) {
	ctx := context.Background()
	ev := []graph.Evidence{{Source: "src", Quote: "q"}}
	base := fixture()
	regulates := graph.Batch{Links: []graph.Link{{ID: "ab2", Subject: "alpha", Object: "beta", Effect: graph.Increases, Predicate: "biolink:causes", Evidence: ev}}}
	for _, tc := range []struct {
		name  string
		write func(s *Store) error
		want  []string
	}{
		{"one transaction", func(s *Store) error {
			return s.Update(ctx, func(ctx context.Context) error {
				if _, err := s.Apply(ctx, base); err != nil {
					return err
				}
				_, err := s.Apply(ctx, &regulates)
				return err
			})
		}, []string{"ab", "ab2"}},
		{"one deleted, the other added", func(s *Store) error {
			without := *base
			without.Links = slices.DeleteFunc(slices.Clone(base.Links), func(l graph.Link) bool { return l.ID == "ab" })
			if _, err := s.Apply(ctx, &without); err != nil {
				return err
			}
			if _, err := s.Apply(ctx, &regulates); err != nil {
				return err
			}
			return s.Update(ctx, func(ctx context.Context) error {
				if err := s.RemoveLink(ctx, "ab2"); err != nil {
					return err
				}
				_, err := s.Apply(ctx, base)
				return err
			})
		}, []string{"ab"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := "bolt:" + filepath.Join(t.TempDir(), "db")
			s := mustOpen(t, dir)
			if err := tc.write(s); err != nil {
				t.Fatal(err)
			}
			s.Close()
			s = mustOpen(t, dir)
			var got []string
			for _, id := range []string{"ab", "ab2"} {
				if l, err := s.Link(ctx, id); err == nil && l.Subject == "alpha" && l.Object == "beta" {
					got = append(got, id)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("links from alpha to beta after reopening: %v, want %v", got, tc.want)
			}
		})
	}
}
