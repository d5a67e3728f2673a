package index

import (
	"slices"
	"strings"

	"github.com/leydigkg/leydigkg/graph"
)

// structure holds what is not causal: part-of and subclass-of relations,
// by their ends, and the old ids (aliases) of entities. No traversal of
// causal links reads it unless asked to reason along subclass-of
// (inherit).
type structure struct {
	relations []*graph.Relation          // by Key
	relKey    map[string]*graph.Relation // Key -> relation
	// Node number -> the relations of each predicate it is the subject
	// (up) or the object (down) of, by the other end's id.
	up, down map[string]map[int32][]*graph.Relation
	alias    map[string]int32 // an entity's old id -> its node number
}

func newStructure(rels []*graph.Relation, entities []*graph.Entity, byID map[string]int32) structure {
	st := structure{
		relations: slices.Clone(rels),
		relKey:    make(map[string]*graph.Relation, len(rels)),
		up:        map[string]map[int32][]*graph.Relation{},
		down:      map[string]map[int32][]*graph.Relation{},
		alias:     map[string]int32{},
	}
	slices.SortFunc(st.relations, func(a, b *graph.Relation) int { return strings.Compare(a.Key(), b.Key()) })
	for _, r := range st.relations {
		st.relKey[r.Key()] = r
		sub, ok1 := byID[r.Subject]
		obj, ok2 := byID[r.Object]
		if !ok1 || !ok2 {
			continue // a hand-edited store: the relation's ends are gone
		}
		addRel(st.up, r.Predicate, sub, r)
		addRel(st.down, r.Predicate, obj, r)
	}
	for i, e := range entities {
		for _, a := range e.Aliases {
			if _, isID := byID[a]; !isID {
				st.alias[a] = int32(i)
			}
		}
	}
	return st
}

func addRel(m map[string]map[int32][]*graph.Relation, predicate string, n int32, r *graph.Relation) {
	if m[predicate] == nil {
		m[predicate] = map[int32][]*graph.Relation{}
	}
	m[predicate][n] = append(m[predicate][n], r)
}

// Relation returns the relation with this graph.Relation.Key.
func (s *Snapshot) Relation(key string) (*graph.Relation, bool) {
	r, ok := s.relKey[key]
	return r, ok
}

// Relations lists every relation, by subject, predicate and object.
func (s *Snapshot) Relations() []*graph.Relation { return s.relations }

// Alias returns the entity that has id among its old ids.
func (s *Snapshot) Alias(id string) (*graph.Entity, bool) {
	n, ok := s.alias[id]
	if !ok {
		return nil, false
	}
	return s.entities[n], true
}

// EntityOrAlias returns the entity with this id, or with this old id.
func (s *Snapshot) EntityOrAlias(id string) (*graph.Entity, bool) {
	if e, ok := s.Entity(id); ok {
		return e, true
	}
	return s.Alias(id)
}

// RelationsFrom lists the relations with predicate whose subject is
// entity id (what it is part of, or a kind of), by object id.
func (s *Snapshot) RelationsFrom(id, predicate string) []*graph.Relation {
	n, ok := s.byID[id]
	if !ok {
		return nil
	}
	return s.up[predicate][n]
}

// RelationsTo lists the relations with predicate whose object is entity
// id (its parts, or its kinds), by subject id.
func (s *Snapshot) RelationsTo(id, predicate string) []*graph.Relation {
	n, ok := s.byID[id]
	if !ok {
		return nil
	}
	return s.down[predicate][n]
}

// RelationsOf lists every relation entity id is an end of.
func (s *Snapshot) RelationsOf(id string) []*graph.Relation {
	var out []*graph.Relation
	for _, p := range graph.RelationPredicates {
		out = append(out, s.RelationsFrom(id, p)...)
		out = append(out, s.RelationsTo(id, p)...)
	}
	return out
}
