package kg

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/cayleygraph/quad"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/internal/index"
	"github.com/leydigkg/leydigkg/internal/layout"
	"github.com/leydigkg/leydigkg/internal/store"
)

// Store is a knowledge graph held in a cayley quad store.
//
// cayley is the store of record; the Store keeps an immutable, indexed
// snapshot of it for reads and traversals; each write makes the next one
// from the current one and what it changed, and swaps it in atomically. Readers use the snapshot and never touch cayley,
// so a Store is safe for concurrent use by many readers and writers even
// over cayley's memstore, which is not (cayley #779).
type Store struct {
	mu         sync.Mutex // serializes writes and every use of db
	db         *store.DB
	closed     bool
	stopFollow func() // SQL stores: follows other servers' writes

	snap    atomic.Pointer[index.Snapshot]
	compact compaction // rebuilds the snapshot once writes have grown its overlays
	reloads int        // the follower's reloads of the whole graph, for tests

	// bulkApply is the size from which Apply writes into a bolt store that
	// holds little (DB.BulkCopyMax quads) through a bulk load rather than
	// in one transaction, whose cost grows with its size.
	bulkApply int

	beliefs graph.BeliefTable // how far to trust each kind of evidence

	versioned bool // the store records its layout version (layout.VersionQuad)
}

// Options tune a Store.
type Options struct {
	// Beliefs scores links from their evidence (see graph.BeliefTable);
	// data.BeliefTable is the one leydigkg ships. Nil treats every
	// evidence item alike (UniformBeliefs).
	Beliefs graph.BeliefTable
}

// UniformBeliefs is the belief table of a Store opened without one: every
// evidence item counts alike, one item giving 0.5.
var UniformBeliefs = graph.BeliefTable{{Random: 0.3, Systematic: 0.2,
	Why: "No belief table was given: every evidence item counts alike."}}

const defaultBulkApply = 50_000

// Open opens the store named by spec:
//
//	memory          a fresh in-memory store (cayley's memstore)
//	bolt:PATH       a bolt database in the directory PATH, created if missing
//	postgres:DSN    a PostgreSQL database (also a bare postgres://... URL)
//	cockroach:DSN   a CockroachDB database
//
// An empty spec means memory. A SQL database gets cayley's tables and the
// Store's change counter on first use. Several Stores (in several
// processes) may share one SQL database: each follows the others' writes.
// When the database cannot be reached, errors wrap graph.ErrUnavailable.
func Open(ctx context.Context, spec string) (*Store, error) {
	return OpenWith(ctx, spec, Options{})
}

// OpenWith is Open with options.
func OpenWith(ctx context.Context, spec string, opts Options) (*Store, error) {
	if opts.Beliefs != nil {
		if err := opts.Beliefs.Check(); err != nil {
			return nil, err
		}
	}
	db, err := store.Open(ctx, spec)
	if err != nil {
		return nil, err
	}
	return newStore(ctx, db, opts)
}

// newStore makes db a Store, reading what it holds.
func newStore(ctx context.Context, db *store.DB, opts Options) (*Store, error) {
	if opts.Beliefs == nil {
		opts.Beliefs = UniformBeliefs
	}
	s := &Store{db: db, bulkApply: defaultBulkApply, beliefs: opts.Beliefs}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.reloadLocked(ctx); err != nil {
		db.Close()
		return nil, err
	}
	s.stopFollow = db.Follow(s.sync)
	return s, nil
}

// reloadLocked rebuilds the snapshot from every quad in the store. A
// memory store keeps no quads: its snapshot is the store, never rebuilt.
func (s *Store) reloadLocked(ctx context.Context) error {
	if !s.db.KeepsQuads() && s.snap.Load() != nil {
		return nil
	}
	d := layout.NewDecoder()
	err := s.db.ReadAllIDs(ctx, func(q quad.Quad, ids *store.NodeIDs) { d.AddIDs(q, (*[4]uint64)(ids)) })
	if err != nil {
		return err
	}
	switch d.Version() {
	case 0:
	case layout.Version:
		s.versioned = true
	case 1, 2, 3:
		return fmt.Errorf("%w: %s holds layout %d; upgrade it with: leydigkg upgrade --store %s", graph.ErrOldLayout, s.db, d.Version(), shellWord(s.db.String()))
	default:
		return newerLayout(s.db, d.Version())
	}
	r := d.IndexRecords()
	for _, l := range r.Links { // fresh records, not yet shared
		s.score(l)
	}
	s.scoreRows(r.RowLinks)
	s.rebuiltLocked(index.New(r, s.beliefs))
	return nil
}

// sync brings the snapshot up to date when another server changed the
// database (the follower calls it): by the change log's entries when it
// has them all, else by reading the whole graph again.
func (s *Store) sync(ctx context.Context) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	if changed, err := s.db.Changed(ctx); err == nil && changed {
		defer index.Writing()()
		if s.followLogLocked(ctx) {
			return
		}
		s.reloads++
		s.reloadLocked(ctx) // on failure the DB marks itself stale: the next sync tries again
	}
}

// Backend names the kind of store: "memory", "bolt", "postgres" or
// "cockroach".
func (s *Store) Backend() string { return s.db.Backend() }

// String names the store as its spec does, with any password hidden.
func (s *Store) String() string { return s.db.String() }

// Ping says whether the store's database answers: nil for memory and bolt,
// an error wrapping ErrUnavailable when a SQL database cannot be reached.
// Reads keep working from the snapshot either way; writes need it.
func (s *Store) Ping(ctx context.Context) error { return s.db.Ping(ctx) }

// Close closes the underlying quad store. Reads of an already taken
// snapshot keep working; writes fail with ErrClosed.
func (s *Store) Close() error { return s.close((*store.DB).Close) }

// close marks the store closed, stops following, and closes the DB with
// end (Close or Discard).
func (s *Store) close(end func(*store.DB) error) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()
	s.stopFollow() // it may be waiting for s.mu
	s.mu.Lock()
	defer s.mu.Unlock()
	return end(s.db)
}

// Discard closes a store that should not have been made: a bolt store
// whose directory was missing or empty when it was opened is removed (the
// directory, or what was put into it), so that a refused first load
// leaves the path as it was. Other stores are only closed.
func (s *Store) Discard() error { return s.close((*store.DB).Discard) }

// Ready reports whether the store is open and holds a graph: the readiness
// probe of a server.
func (s *Store) Ready() error {
	s.mu.Lock()
	closed := s.closed
	s.mu.Unlock()
	if closed {
		return graph.ErrClosed
	}
	if s.snap.Load().Stats().Entities == 0 {
		return fmt.Errorf("%w: the store holds no entities", graph.ErrNotFound)
	}
	return nil
}

// Check validates b against the store without writing anything. The result
// is empty when Apply would accept b.
func (s *Store) Check(ctx context.Context, b *graph.Batch) graph.Problems {
	return graph.Check(b, s.snapshot(ctx))
}

// Apply validates b against the store and writes it in one transaction: all
// of it or none of it. Records already stored with identical content are
// skipped, so applying the same batch twice is harmless. When validation
// fails the error is a graph.Problems listing every problem. When the
// backend refuses the write, the store is reopened and left exactly as it
// was.
func (s *Store) Apply(ctx context.Context, b *graph.Batch) (graph.Applied, error) {
	if tx := s.txOf(ctx); tx != nil {
		var res graph.Applied
		err := tx.do(func(snap *index.Snapshot) (change, error) {
			c, applied, err := s.planApply(snap, b, true, false)
			res = applied
			return c, err
		})
		if err != nil {
			return graph.Applied{}, err
		}
		return res, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return graph.Applied{}, graph.ErrClosed
	}
	snap := s.snap.Load()
	c, res, err := s.planApply(snap, b, s.db.KeepsQuads(), s.db.IsBolt())
	if err != nil || c.fresh == nil {
		return res, err
	}
	if err := ctx.Err(); err != nil {
		return graph.Applied{}, err
	}
	fresh := c.fresh
	// Only new records (a merge may add quads and remove none) may be
	// indexed afresh by Plus, which adds them beside the stored ones.
	onlyNew := len(c.remove) == 0 && !c.merges
	if onlyNew && (c.stream || len(c.add) >= s.bulkApply) && s.db.IsBolt() { // a bulk load may write them
		if held, err := s.db.Count(ctx, s.db.BulkCopyMax()+1); err == nil && held <= s.db.BulkCopyMax() {
			n, err := s.writeFreshLocked(ctx, c, held > 0, func() *index.Snapshot { return snap.Plus(fresh) })
			if err != nil {
				return graph.Applied{}, err
			}
			res.Quads = n
			return res, nil
		}
	}
	c.made(&res)
	qs := c.add
	large := len(qs) >= concurrentNext || !s.db.KeepsQuads() && fresh.Len() >= compactAfter // a memory store writes no quads
	if onlyNew && large && fresh.Len() >= snap.Stats().Entities+snap.Stats().Links {
		// A load at least as large as what is there: the next snapshot is
		// indexed afresh (what a compaction after With would do anyway,
		// in the background, leaving the overlays' garbage behind: a
		// memory store serving 10⁵ signed rows had 153 MB resident, not
		// 104).
		err := s.writeNextLocked(ctx, qs, nil, []index.Delta{c.delta}, func() (*index.Snapshot, bool) { return snap.Plus(fresh), true })
		if err != nil {
			return graph.Applied{}, err
		}
		return res, nil
	}
	if err := s.writeLocked(ctx, qs, c.remove, c.delta); err != nil {
		return graph.Applied{}, err
	}
	return res, nil
}

// planApply validates b against snap and returns what writing it changes:
// new records, and assertions b merges into stored ones (their quads
// replaced by the merged link's); a change without fresh records changes
// nothing.
// Without quads (a memory store, which keeps none), the change is in
// records only.
// With stream (a bolt store, which a large load of new records fills by
// a bulk load), such a load's quads and delta are left to make (see
// change.stream): the bulk load makes the quads as it writes them, and
// needs no delta, where the two would hold a copy of every record and
// some 300 bytes a quad at once (2 GB at 10⁶ signed rows).
func (s *Store) planApply(snap *index.Snapshot, b *graph.Batch, quads, stream bool) (change, graph.Applied, error) {
	if ps := graph.Check(b, snap); len(ps) > 0 {
		return change{}, graph.Applied{}, ps
	}
	fresh, replaced, _, res := s.newRecords(b, snap)
	if fresh.Len() == 0 {
		return change{}, res, nil
	}
	if !quads {
		return change{delta: index.DeltaOf(fresh), fresh: fresh, merges: replaced.Len() > 0}, res, nil
	}
	if replaced.Len() > 0 {
		add, remove := quadDiff(layout.QuadsOf(replaced), layout.QuadsOf(fresh))
		res.Quads = len(add) + len(remove)
		return change{add: add, remove: remove, delta: index.DeltaOf(fresh), fresh: fresh, merges: true}, res, nil
	}
	c := change{fresh: fresh, stream: true}
	if !stream || fresh.Len() < s.bulkApply { // (every record has one quad at least)
		c.made(&res)
	}
	return c, res, nil
}

// writeLocked writes the quads add and removes the quads remove in one
// transaction. When the write succeeds, the next snapshot is the current
// one changed by deltas (the same change, in records rather than quads),
// in time proportional to the change, without reading the store back.
// When it fails, or another server wrote too, the snapshot is read back
// from the store.
func (s *Store) writeLocked(ctx context.Context, add, remove []quad.Quad, deltas ...index.Delta) error {
	snap := s.snap.Load()
	return s.writeNextLocked(ctx, add, remove, deltas, func() (*index.Snapshot, bool) {
		next := snap
		for _, d := range deltas {
			next = next.With(d)
		}
		return next, false
	})
}

// concurrentNext is the fewest quads written from which the next snapshot
// is made while the store writes them, rather than after: a load's index
// (a second or so at 10^5 links) then costs no time of its own.
const concurrentNext = 5_000

// writeNextLocked is writeLocked with the next snapshot made by next, which
// says whether it indexed the records afresh (no overlays to compact).
func (s *Store) writeNextLocked(ctx context.Context, add, remove []quad.Quad, deltas []index.Delta, next func() (*index.Snapshot, bool)) error {
	defer index.Writing()()
	type made struct {
		snap    *index.Snapshot
		rebuilt bool
	}
	var pending chan made
	if len(add)+len(remove) >= concurrentNext {
		pending = make(chan made, 1)
		go func() {
			snap, rebuilt := next()
			pending <- made{snap, rebuilt}
		}()
		defer func() {
			if pending != nil {
				<-pending // the write failed: wait for it, and drop it
			}
		}()
	}
	if !s.versioned {
		add = append(slices.Clip(add), layout.VersionQuad())
	}
	var entry func() []byte
	if s.db.Logs() {
		entry = logEntryOf(deltas)
	}
	stale, err := s.db.WriteLogged(ctx, add, remove, entry)
	if err == nil {
		s.versioned = true
	}
	if errors.Is(err, store.ErrBroken) {
		s.closed = true
		return err
	}
	if stale {
		rerr := s.reloadLocked(context.WithoutCancel(ctx))
		switch {
		case err != nil:
			return errors.Join(err, rerr)
		case rerr == nil:
			return nil
		}
		// Another server wrote too and its writes could not be read:
		// build on the snapshot, and the follower reloads later.
	}
	if err != nil {
		return err // the database is unreachable: the follower reloads once it answers
	}
	var m made
	if pending != nil {
		m = <-pending
		pending = nil
	} else {
		m.snap, m.rebuilt = next()
	}
	if m.rebuilt {
		s.rebuiltLocked(m.snap)
		return nil
	}
	s.advanceLocked(m.snap, deltas)
	return nil
}

// writeFreshLocked writes c's quads into a bolt store that holds little
// through a bulk load, made from c.fresh as the load takes them when c
// streams; the next snapshot, next, is built after the write, when the
// load has let go of its own tables: built while the quads were written,
// it held its records and arrays beside the bulk load's (of 10⁶ signed
// rows: peak RSS 3.85 GB, 3.2 GB after, for some 5 s more). It returns
// how many quads of c it wrote.
func (s *Store) writeFreshLocked(ctx context.Context, c change, copyStore bool, next func() *index.Snapshot) (int, error) {
	n := 0
	err := s.db.WriteFreshOf(ctx, func(emit func(quad.Quad)) {
		count := func(q quad.Quad) { n++; emit(q) }
		if c.stream {
			layout.EachQuad(c.fresh, count)
		} else {
			for _, q := range c.add {
				count(q)
			}
		}
		if !s.versioned {
			emit(layout.VersionQuad())
		}
	}, copyStore)
	if err == nil {
		s.versioned = true
	}
	if errors.Is(err, store.ErrBroken) {
		s.closed = true
	}
	if err != nil {
		return 0, err
	}
	s.rebuiltLocked(next())
	return n, nil
}

// newRecords returns what b adds to the store: its records not yet stored,
// and for each link, the assertion it states, new or merged with the
// stored one (graph.Merge), scored; replaced are the stored links merged
// ones take the place of, folded the links of b merged into an earlier
// one of b. (graph.Check has made sure that the records
// already stored are identical, and that no evidence item clashes.)
func (s *Store) newRecords(b *graph.Batch, snap *index.Snapshot) (fresh, replaced *graph.Batch, folded int, res graph.Applied) {
	fresh = &graph.Batch{
		Sources:    notIn(b.Sources, func(x graph.Source) bool { _, ok := snap.Source(x.ID); return ok }, &res.Unchanged),
		References: notIn(b.References, func(x graph.Reference) bool { _, ok := snap.Reference(x.ID); return ok }, &res.Unchanged),
		Entities:   notIn(b.Entities, func(x graph.Entity) bool { _, ok := snap.Entity(x.ID); return ok }, &res.Unchanged),
	}
	replaced = &graph.Batch{}
	folded = s.newRelations(b, snap, fresh, replaced, &res)
	fresh.Links = make([]graph.Link, 0, len(b.Links))
	at := make(map[graph.AssertionKey]int, len(b.Links)) // -> index in fresh.Links
	for i := range b.Links {
		l := &b.Links[i]
		key := l.Key()
		if j, ok := at[key]; ok { // stated twice in b
			m, added, _ := graph.Merge(&fresh.Links[j], l)
			fresh.Links[j] = m
			res.Evidence += added
			folded++
			continue
		}
		old, stored := snap.Assertion(key)
		if !stored {
			at[key] = len(fresh.Links)
			fresh.Links = append(fresh.Links, *l)
			res.Links++
			res.Evidence += len(l.Evidence)
			continue
		}
		m, added, changed := graph.Merge(old, l)
		if !changed {
			res.Unchanged++
			continue
		}
		at[key] = len(fresh.Links)
		fresh.Links = append(fresh.Links, m)
		replaced.Links = append(replaced.Links, *old)
		res.Merged++
		res.Evidence += added
	}
	for i := range fresh.Links {
		s.score(&fresh.Links[i])
	}
	res.Sources, res.References = len(fresh.Sources), len(fresh.References)
	res.Entities = len(fresh.Entities)
	return fresh, replaced, folded, res
}

// newRelations adds to fresh the relations of b, new or merged with the
// stored one of their key (graph.MergeRelation), as newRecords does for
// links; replaced gets the stored relations merged ones take the place
// of. It counts what it does in res and returns how many relations of b
// it folded into an earlier one of b.
func (s *Store) newRelations(b *graph.Batch, snap *index.Snapshot, fresh, replaced *graph.Batch, res *graph.Applied) (folded int) {
	at := map[string]int{} // key -> index in fresh.Relations
	for i := range b.Relations {
		r := &b.Relations[i]
		if j, ok := at[r.Key()]; ok {
			m, added, _ := graph.MergeRelation(&fresh.Relations[j], r)
			fresh.Relations[j] = m
			res.Evidence += added
			folded++
			continue
		}
		old, stored := snap.Relation(r.Key())
		if !stored {
			at[r.Key()] = len(fresh.Relations)
			fresh.Relations = append(fresh.Relations, *r)
			res.Relations++
			res.Evidence += len(r.Evidence)
			continue
		}
		m, added, changed := graph.MergeRelation(old, r)
		if !changed {
			res.Unchanged++
			res.RelationsUnchanged++
			continue
		}
		at[r.Key()] = len(fresh.Relations)
		fresh.Relations = append(fresh.Relations, m)
		replaced.Relations = append(replaced.Relations, *old)
		res.Merged++
		res.Evidence += added
	}
	return folded
}

// score sets l's confidence: its belief, from its evidence.
func (s *Store) score(l *graph.Link) {
	l.Confidence = s.beliefs.Score(l.Evidence)
}

// scoreRows sets row links' confidence, as score sets links'. A row's
// one item scores by its kind: its source, knowledge level and agent type
// (what graph.BeliefRow matches, with a quote, which a row has none of),
// never where it was read. So each kind is scored once, not each of some
// 10⁷ rows with its At made.
func (s *Store) scoreRows(rls []index.RowLink) {
	type kind struct {
		src   string
		level graph.KnowledgeLevel
		agent graph.AgentType
	}
	scores := map[kind]float64{}
	var last kind
	var lastScore float64
	for i := range rls {
		rl := &rls[i]
		k := kind{rl.Source, rl.Level(), rl.Agent()}
		if i == 0 || k != last {
			c, ok := scores[k]
			if !ok {
				c = s.beliefs.Score([]graph.Evidence{rl.Item()})
				scores[k] = c
			}
			last, lastScore = k, c
		}
		rl.Confidence = lastScore
	}
}

// Belief is how far to trust a link, and why: its belief and each
// source's part in it.
func (s *Store) Belief(l *graph.Link) graph.Belief {
	return s.beliefs.Belief(l.Evidence, nil)
}

// notIn keeps the items not stored, counting the others. When none is
// stored it returns items itself.
func notIn[T any](items []T, stored func(T) bool, skipped *int) []T {
	var out []T
	copying := false
	for i, x := range items {
		switch {
		case stored(x):
			if !copying {
				copying = true
				out = make([]T, i, len(items))
				copy(out, items[:i])
			}
			*skipped++
		case copying:
			out = append(out, x)
		}
	}
	if !copying {
		return items
	}
	return out
}

// Quads streams every quad in the store to fn, in no particular order. A
// memory store, which keeps no quads, lays out its records.
func (s *Store) Quads(ctx context.Context, fn func(quad.Quad) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return graph.ErrClosed
	}
	if !s.db.KeepsQuads() {
		return s.snapQuads(ctx, fn)
	}
	return s.db.Quads(ctx, fn)
}

// snapQuads hands fn the quads of the snapshot's records, as a store that
// keeps quads would hold them.
func (s *Store) snapQuads(ctx context.Context, fn func(quad.Quad) error) error {
	b := batchOf(s.snap.Load().Records())
	if b.Len() == 0 {
		return ctx.Err()
	}
	var err error
	layout.EachQuad(b, func(q quad.Quad) {
		if err == nil {
			err = fn(q)
		}
	})
	if err == nil {
		err = fn(layout.VersionQuad())
	}
	if err == nil {
		err = ctx.Err()
	}
	return err
}

// batchOf copies records into a Batch, each kind sorted by id.
func batchOf(r index.Records) *graph.Batch {
	b := &graph.Batch{
		Sources:    derefSorted(r.Sources, func(x *graph.Source) string { return x.ID }),
		References: derefSorted(r.References, func(x *graph.Reference) string { return x.ID }),
		Entities:   derefSorted(r.Entities, func(x *graph.Entity) string { return x.ID }),
		Links:      derefSorted(r.Links, func(x *graph.Link) string { return x.ID }),
		Relations:  derefSorted(r.Relations, func(x *graph.Relation) string { return x.Key() }),
	}
	return b
}

func derefSorted[T any](xs []*T, id func(*T) string) []T {
	out := make([]T, len(xs))
	for i, x := range xs {
		out[i] = *x
	}
	slices.SortFunc(out, func(a, b T) int { return strings.Compare(id(&a), id(&b)) })
	return out
}

// Records returns everything the store holds as one Batch, each kind sorted
// by id: the whole graph, for an export. It is the snapshot that queries
// read (what the store held at its last load or write), copied, so the
// store is not read again: a deep copy, which the caller may change.
func (s *Store) Records(ctx context.Context) (*graph.Batch, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	closed := s.closed
	s.mu.Unlock()
	if closed {
		return nil, graph.ErrClosed
	}
	return deepCopy(batchOf(s.snap.Load().Records())), nil // the caller's to change
}

// ReadRecords is Records read from the store itself: every quad read back
// and decoded, as a reopen would see them. Records answers from the
// snapshot; checks that the store holds what the snapshot says compare
// the two.
func (s *Store) ReadRecords(ctx context.Context) (*graph.Batch, error) {
	d := layout.NewDecoder()
	if err := s.Quads(ctx, func(q quad.Quad) error { d.Add(q); return nil }); err != nil {
		return nil, err
	}
	b, _ := d.Batch()
	for i := range b.Links {
		s.score(&b.Links[i])
	}
	return b, nil
}

// Upgraded says what Upgrade did.
type Upgraded struct {
	From, To int // the layout the store held and the one it holds now; both 0 when it needed no upgrade
	// Records is how many records were rewritten: every record of a store
	// of layout 1 or 2; of layout 3, the links and relations whose evidence
	// items lost their old quads.
	Records int
}

// Upgrade turns a store written by an older leydigkg (layout 1, 2 or 3)
// into this one's layout, in one transaction: all of it or nothing. A
// store already in this layout is left alone.
//
// Layout 3 differs from this one only by two quads on each evidence item's
// node (layout.OldItemQuad): they are removed, and the version quad
// replaced, after one pass over the quads that holds only those, so that a
// store of millions of rows is upgraded in memory in proportion to its
// evidence items. Stores of layouts 1 and 2 are read whole, their records
// rebuilt and written again. Stop the servers on a store before upgrading
// it: a server of the older layout writing meanwhile would leave its new
// items' old quads behind (read right, as the decoder prefers them).
func Upgrade(ctx context.Context, spec string) (Upgraded, error) {
	db, err := store.Open(ctx, spec)
	if err != nil {
		return Upgraded{}, err
	}
	if db.Created() { // a mistyped path: nothing to upgrade, and nothing left behind
		return Upgraded{}, errors.Join(fmt.Errorf("%w: no store at %s to upgrade", graph.ErrNotFound, db), db.Discard())
	}
	defer db.Close()
	var (
		version  = 0
		stale    []quad.Quad
		rewrites = map[quad.Value]bool{}
	)
	err = db.ReadAll(ctx, func(q quad.Quad) {
		if v, ok := layout.VersionOf(q); ok {
			version = v
			stale = append(stale, q)
		} else if layout.OldItemQuad(q) {
			stale = append(stale, q)
			rewrites[layout.RecordOf(q.Subject)] = true
		}
	})
	switch {
	case err != nil:
		return Upgraded{}, err
	case version > layout.Version:
		return Upgraded{}, newerLayout(db, version)
	case version == layout.Version:
		return Upgraded{}, nil
	case version == 3:
		if _, err := db.Write(ctx, []quad.Quad{layout.VersionQuad()}, stale); err != nil {
			return Upgraded{}, err
		}
		return Upgraded{From: 3, To: layout.Version, Records: len(rewrites)}, nil
	}
	return upgradeRecords(ctx, db)
}

// newerLayout is the error for a store of a layout newer than this one.
func newerLayout(db fmt.Stringer, v int) error {
	return fmt.Errorf("%w: %s holds layout %d, newer than this leydigkg's %d", graph.ErrOldLayout, db, v, layout.Version)
}

// upgradeRecords rewrites a store of layout 1 or 2 record by record. An
// empty store it leaves alone.
func upgradeRecords(ctx context.Context, db *store.DB) (Upgraded, error) {
	d := layout.NewDecoder()
	var own []quad.Quad
	err := db.ReadAll(ctx, func(q quad.Quad) {
		d.Add(q)
		if layout.IsOwnIRI(q.Subject) {
			own = append(own, q)
		}
	})
	if err != nil {
		return Upgraded{}, err
	}
	from := d.Version() // not newer: Upgrade read the version quad
	if from == 0 || from >= layout.Version {
		return Upgraded{}, nil // empty, or an export's records: up to date
	}
	r := d.Records()
	layout.Upgrade(&r)
	b := &graph.Batch{}
	for _, x := range r.Sources {
		b.Sources = append(b.Sources, *x)
	}
	for _, x := range r.References {
		b.References = append(b.References, *x)
	}
	for _, x := range r.Entities {
		b.Entities = append(b.Entities, *x)
	}
	for _, x := range r.Links {
		b.Links = append(b.Links, *x)
	}
	for _, x := range r.Relations {
		b.Relations = append(b.Relations, *x)
	}
	add, remove := quadDiff(own, append(layout.QuadsOf(b), layout.VersionQuad()))
	if _, err := db.Write(ctx, add, remove); err != nil {
		return Upgraded{}, err
	}
	return Upgraded{From: from, To: layout.Version, Records: b.Len()}, nil
}

// shellWord is s as one word of a POSIX shell, to paste: as it is when it
// holds only characters no shell reads specially, else in single quotes
// (a DSN's & and ? would end or glob the command).
func shellWord(s string) string {
	plain := s != "" && !strings.ContainsFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:@%+=,", r))
	})
	if plain {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
