package kg

import (
	"context"
	"errors"
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
