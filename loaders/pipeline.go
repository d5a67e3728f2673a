package loaders

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"reflect"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/cayleygraph/quad"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/kg"
)

// Input is one file to load: its name (which picks the format, and names
// it in messages) and its contents. Size, when known, drives progress.
type Input struct {
	Name string
	R    io.Reader
	Size int64
	// Format, when set, is the input's format, over Options.Format and
	// its name (the curated files loaded beside a user's --format files).
	Format string
}

// Report says what a load read, wrote and left out. It accounts for
// every row read: Rows is the sum of NewAssertions, AddedEvidence,
// Duplicates(), Ignored, SkippedRows and Records (Unaccounted says by how
// much it is not). A row is a line of a signed edge list or of a KGX file,
// a record of curated YAML or N-Quads (an N-Quads label is part of its
// entity's record, not a row).
type Report struct {
	Files int
	Rows  int // rows read: records, repeats, ignored statements and bad rows
	Read  int // records read (entities, links, sources, references), repeats included

	NewAssertions int // link rows that made a new assertion (Applied.Links)
	AddedEvidence int // link rows that added evidence (or an alias) to an assertion stored or read before
	Stored        int // link rows whose evidence the store held already: duplicates
	Repeated      int // rows that repeat a row read before, exactly: duplicates
	Records       int // rows of entities, sources and references, written or stored already

	Ignored   int            // statements outside the graph (non-causal edges, unmapped predicates, unsigned rows)
	IgnoredBy map[string]int // Ignored by reason

	Skipped     ErrorList // problems of the bad rows left out (SkipInvalid), with positions (Count: how many)
	SkippedRows int       // bad rows left out (a row may have several problems)

	Created int           // entities created for names no entity had (not rows)
	Applied graph.Applied // what the write changed
	// Bulk says the store was empty and the records were written by a
	// bulk load, filled while the input was read (kg.Store.Bulk).
	Bulk    bool
	Elapsed time.Duration
}

// Minus is r without base: what r's load did beyond a load whose inputs
// were the first of r's, read into an empty store (base), as the curated
// files are when they fill a new store in the same load as a user's files.
// Skipped problems and Bulk stay r's.
func (r *Report) Minus(base *Report) *Report {
	out := *r
	out.Files -= base.Files
	out.Rows -= base.Rows
	out.Read -= base.Read
	out.NewAssertions -= base.NewAssertions
	out.AddedEvidence -= base.AddedEvidence
	out.Stored -= base.Stored
	out.Repeated -= base.Repeated
	out.Records -= base.Records
	out.Ignored -= base.Ignored
	out.Created -= base.Created
	out.IgnoredBy = maps.Clone(r.IgnoredBy)
	for why, n := range base.IgnoredBy {
		if out.IgnoredBy[why] -= n; out.IgnoredBy[why] == 0 {
			delete(out.IgnoredBy, why)
		}
	}
	a, b := &out.Applied, base.Applied
	a.Sources -= b.Sources
	a.References -= b.References
	a.Entities -= b.Entities
	a.Relations -= b.Relations
	a.RelationsUnchanged -= b.RelationsUnchanged
	a.Links -= b.Links
	a.Merged -= b.Merged
	a.Evidence -= b.Evidence
	a.Unchanged -= b.Unchanged
	a.Quads -= b.Quads
	return &out
}

// Duplicates are the rows that repeat an evidence item: one read before
// (Repeated) or one the store holds (Stored).
func (r *Report) Duplicates() int { return r.Repeated + r.Stored }

// Unaccounted is how many rows the counts leave unexplained: 0 unless the
// accounting has a bug.
func (r *Report) Unaccounted() int {
	return r.Rows - (r.NewAssertions + r.AddedEvidence + r.Duplicates() + r.Ignored + r.SkippedRows + r.Records)
}

func (r *Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d row(s) in %d file(s): %d new assertion(s), %d added evidence to existing assertions, %d duplicate(s) (%d repeated, %d already stored), %d ignored",
		r.Rows, r.Files, r.NewAssertions, r.AddedEvidence, r.Duplicates(), r.Repeated, r.Stored, r.Ignored)
	if len(r.IgnoredBy) > 0 {
		b.WriteString(" (")
		for i, why := range slices.Sorted(maps.Keys(r.IgnoredBy)) {
			if i > 0 {
				b.WriteString("; ")
			}
			fmt.Fprintf(&b, "%d %s", r.IgnoredBy[why], why)
		}
		b.WriteString(")")
	}
	fmt.Fprintf(&b, ", %d skipped as invalid, %d entity/source/reference record(s)", r.SkippedRows, r.Records)
	if n := r.Unaccounted(); n != 0 {
		fmt.Fprintf(&b, ", %d UNACCOUNTED (a bug: please report it)", n)
	}
	how := ""
	if r.Bulk {
		how = " by a bulk load"
	}
	rels := ""
	if r.Applied.Relations > 0 {
		rels = fmt.Sprintf(", %d part-of/subclass-of relations", r.Applied.Relations)
	}
	fmt.Fprintf(&b, "; written%s: %d entities (%d created from names), %d links, %d evidence items, %d sources%s, in %s",
		how, r.Applied.Entities, r.Created, r.Applied.Links, r.Applied.Evidence, r.Applied.Sources, rels, r.Elapsed.Round(time.Millisecond))
	return b.String()
}

// Loader loads files of every format into a store: it reads them all,
// resolves names, validates everything against the store, and writes one
// batch with Store.Apply, so that a load is all or nothing. With
// Options.SkipInvalid the bad records are left out (and reported) and the
// rest written.
type Loader struct {
	Store *kg.Store
	Opts  Options
	// Log gets a line per phase; nil logs nothing.
	Log *slog.Logger
	// Progress, when set, is given the total input size and returns a
	// writer that is fed every byte read (a progress bar).
	Progress func(total int64) io.Writer
}

// OpenFiles opens files from disk as Inputs; close them with the returned
// function.
func OpenFiles(names ...string) ([]Input, func(), error) {
	var ins []Input
	var closers []io.Closer
	closeAll := func() {
		for _, c := range closers {
			c.Close()
		}
	}
	for _, n := range names {
		f, err := os.Open(n)
		if err != nil {
			closeAll()
			return nil, nil, err
		}
		closers = append(closers, f)
		var size int64
		if st, err := f.Stat(); err == nil {
			size = st.Size()
		}
		ins = append(ins, Input{Name: n, R: f, Size: size})
	}
	return ins, closeAll, nil
}

// Reader opens the right RecordReader for one input: Format's, or else
// the one Readers gives the file's name and first bytes.
func (o *Options) Reader(in Input) (RecordReader, error) {
	r, err := decompress(in.Name, in.R, o.Limits.withDefaults())
	if err != nil {
		return nil, err
	}
	if format := cmp.Or(in.Format, o.Format); format != "" {
		f, ok := Readers.Lookup(format)
		if !ok {
			return nil, fmt.Errorf("%w: %q", ErrFormat, format)
		}
		return f.Codec(in.Name, r, *o)
	}
	if _, err := FormatOf(in.Name); err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := br.Peek(64 << 10)
	var pe *ParseError
	if errors.As(err, &pe) { // a limit passed already: Peek took the error, the reader would see none
		return nil, pe
	}
	f, _ := Readers.ByFile(in.Name, withSep(head, o.Signed.Comma))
	return f.Codec(in.Name, br, *o)
}

// readCurated reads a curated YAML file whole (see readYAML), then yields
// its records.
func readCurated(name string, r io.Reader, opts Options) (RecordReader, error) {
	data, err := readYAML(name, r, opts.Limits.withDefaults())
	var pe *ParseError
	if errors.As(err, &pe) {
		return &sliceReader{errs: ErrorList{pe}}, nil
	}
	if err != nil {
		return nil, err
	}
	return curatedReader(File{Name: name, Data: data}), nil
}

// readYAML reads a YAML file whole. A file larger than lim.YAML, or with a
// line longer than lim.Line, is a *ParseError where it passes the limit.
func readYAML(name string, r io.Reader, lim Limits) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, int64(lim.YAML)+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(data) > lim.YAML {
		c := cursor{1, 1}
		c.advance(data[:lim.YAML])
		return nil, tooLarge(Position{name, c.line, c.col}, "file", int64(lim.YAML), "max-yaml")
	}
	for i, line := 0, 1; i < len(data); line++ {
		n := bytes.IndexByte(data[i:], '\n')
		if n < 0 {
			n = len(data) - i
		}
		if n > lim.Line {
			return nil, tooLarge(Position{name, line, lim.Line + 1}, "line", int64(lim.Line), "max-line")
		}
		i += n + 1
	}
	return data, nil
}

// curatedReader yields the records of curated YAML, each able to locate
// its fields.
func curatedReader(f File) RecordReader {
	c, err := ReadCurated(f)
	out := &sliceReader{}
	var errs ErrorList
	if errors.As(err, &errs) {
		out.errs = errs
		if errors.Is(err, ErrSyntax) {
			return out
		}
	}
	loc := func(record graph.RecordKind, i int) func(string) (Position, bool) {
		return func(field string) (Position, bool) {
			pe := c.locate(graph.Problem{Record: record, Index: i, Field: field})
			if pe.File == "?" {
				return Position{}, false
			}
			return Position{File: pe.File, Line: pe.Line, Column: pe.Column}, true
		}
	}
	at := func(record graph.RecordKind, i int) Position {
		p, _ := loc(record, i)("")
		return p
	}
	b := &c.Batch
	for i := range b.Sources {
		out.recs = append(out.recs, Record{Pos: at(graph.SourceRecord, i), Source: &b.Sources[i], Locate: loc(graph.SourceRecord, i)})
	}
	for i := range b.References {
		out.recs = append(out.recs, Record{Pos: at(graph.ReferenceRecord, i), Reference: &b.References[i], Locate: loc(graph.ReferenceRecord, i)})
	}
	for i := range b.Entities {
		out.recs = append(out.recs, Record{Pos: at(graph.EntityRecord, i), Entity: &b.Entities[i], Locate: loc(graph.EntityRecord, i)})
	}
	for i := range b.Links {
		out.recs = append(out.recs, Record{Pos: at(graph.LinkRecord, i), Link: &b.Links[i], Locate: loc(graph.LinkRecord, i)})
	}
	for i := range b.Relations {
		out.recs = append(out.recs, Record{Pos: at(graph.RelationRecord, i), Relation: &b.Relations[i], Locate: loc(graph.RelationRecord, i)})
	}
	return out
}

// countingReader feeds what it reads to a progress writer.
type countingReader struct {
	r io.Reader
	w io.Writer
}

func (c countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if n > 0 {
		c.w.Write(p[:n])
	}
	return n, err
}

func (l *Loader) log(ctx context.Context, msg string, args ...any) {
	if l.Log != nil {
		l.Log.InfoContext(ctx, msg, args...)
	}
}

// Load reads, checks and writes the inputs. On failure nothing is written
// and the error is an ErrorList with every problem's position (or an I/O
// or store error).
func (l *Loader) Load(ctx context.Context, inputs ...Input) (*Report, error) {
	start := time.Now()
	opts := l.Opts.withDefaults()
	// Quads in the store's own layout go to a bulk load as they are read,
	// when the store is empty: see kg.Store.Bulk.
	sink := &bulkSink{open: func() *kg.Bulk { return l.Store.Bulk(ctx) }, skipInvalid: opts.SkipInvalid}
	defer sink.abort()
	opts.Own = sink
	c, err := l.read(ctx, inputs, &opts)
	if err != nil {
		return nil, err
	}
	own := sink.records() // once: it forgets the quads it decodes
	recs, bad := append(c.recs, own...), &c.bad
	c.recs, c.seen = nil, nil // assemble takes the links out of recs: a load holds each once
	l.log(ctx, "read", "records", len(recs), "repeated", c.repeated, "problems", len(bad.list)+bad.more)
	if !bad.empty() && !opts.SkipInvalid {
		return nil, bad.errors()
	}
	a := l.assemble(ctx, recs, &opts)
	rep := &Report{Files: len(inputs), Created: a.created, Repeated: c.repeated + a.repeated, IgnoredBy: c.ignored,
		Rows: c.rows + len(own), SkippedRows: c.badRows + len(a.bad)}
	rep.Read = rep.Rows - c.badRows
	for why, n := range a.ignoredBy {
		rep.IgnoredBy[why] += n
	}
	for _, n := range rep.IgnoredBy {
		rep.Ignored += n
		rep.Read -= n
	}
	bad.add(a.bad...)
	if !bad.empty() && !opts.SkipInvalid {
		return nil, bad.errors()
	}
	b, entries := a.batch, a.entries
	if opts.SkipInvalid {
		var dropped ErrorList
		var rows int
		if b, entries, dropped, rows, err = l.dropInvalid(ctx, b, entries); err != nil {
			return nil, err
		}
		bad.add(dropped...)
		rep.SkippedRows += rows
	}
	l.log(ctx, "checked", "entities", len(b.Entities), "links", len(b.Links))
	// What the report needs of b is taken now: neither Load nor the
	// assembly holds b while it is written (its records, 300 MB at 10⁶
	// signed rows, beside the store's copy of them). merged is taken out
	// of a for the same reason: a, which holds b too, is not read after.
	n := tallyOf(b, sink.bulk != nil && len(a.merged) == 0)
	merged := a.merged
	if rep.Applied, rep.Bulk, err = l.write(ctx, b, entries, sink.bulk, merged); err != nil {
		var errs ErrorList
		if errors.As(err, &errs) {
			p := &problemList{max: opts.Limits.Problems}
			p.add(errs...)
			return nil, p.errors()
		}
		return nil, err
	}
	rep.account(n, entries)
	rep.Skipped = bad.errors()
	rep.Elapsed = time.Since(start)
	l.log(ctx, "written", "entities", rep.Applied.Entities, "links", rep.Applied.Links, "quads", rep.Applied.Quads, "bulk", rep.Bulk)
	return rep, nil
}

// tally is what Report.account needs of a batch written: how many
// records of each kind, and, for a bulk load, how many assertions its
// links state.
type tally struct {
	sources, refs, entities, links int
	assertions                     int
}

// tallyOf counts b's records, and its links' assertions when withKeys.
func tallyOf(b *graph.Batch, withKeys bool) tally {
	n := tally{sources: len(b.Sources), refs: len(b.References), entities: len(b.Entities), links: len(b.Links)}
	if withKeys {
		keys := make(map[graph.AssertionKey]bool, len(b.Links))
		for i := range b.Links {
			keys[b.Links[i].Key()] = true
		}
		n.assertions = len(keys)
	}
	return n
}

// account sorts the rows of the batch written, tallied in n: new
// assertions, evidence added, evidence stored already, and other records
// (the ones the load made up are not rows).
func (r *Report) account(n tally, entries *batchEntries) {
	rows := func(recs []Record) int {
		n := 0
		for _, x := range recs {
			if !x.made && !x.Implicit {
				n++
			}
		}
		return n
	}
	r.Records = rows(entries.sources) + rows(entries.refs) + rows(entries.entities) + rows(entries.relations)
	a := &r.Applied
	if r.Bulk {
		// The store was empty: a link row makes an assertion or adds to
		// one an earlier row made. (The Applied of a bulk load counts the
		// records it wrote by bulk only.)
		r.NewAssertions = n.assertions
		r.AddedEvidence = n.links - n.assertions
		return
	}
	// Apply counts each link of b once: new, merged into a stored
	// assertion, folded into an earlier link of b, or unchanged; and every
	// other record as written or unchanged.
	// Relation rows are records (counted above), whether new, merged,
	// folded into an earlier one or unchanged.
	r.Stored = a.Unchanged - (n.sources - a.Sources) - (n.refs - a.References) - (n.entities - a.Entities) -
		a.RelationsUnchanged
	r.NewAssertions = a.Links
	r.AddedEvidence = n.links - a.Links - r.Stored
}

// read reads every input's records into a collector, with the problems
// of each.
func (l *Loader) read(ctx context.Context, inputs []Input, opts *Options) (*collector, error) {
	var progress io.Writer
	if l.Progress != nil {
		var total int64
		for _, in := range inputs {
			total += in.Size
		}
		progress = l.Progress(total)
	}
	c := newCollector(opts.Limits)
	for _, in := range inputs {
		if progress != nil {
			in.R = countingReader{in.R, progress}
		}
		r, err := opts.Reader(in)
		var pe *ParseError
		if errors.As(err, &pe) {
			c.bad.add(pe)
			c.rows++
			c.badRows++
			continue
		}
		if err != nil {
			return nil, err
		}
		for n := 0; ; n++ {
			rec, err := r.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			if errors.As(err, &pe) {
				c.bad.add(pe)
				c.rows++
				c.badRows++
				continue
			}
			if err != nil {
				return nil, fmt.Errorf("%s: %w", in.Name, err)
			}
			c.add(rec)
			if n%4096 == 0 && ctx.Err() != nil {
				return nil, ctx.Err()
			}
		}
		if rc, ok := r.(interface{ Repeated() int }); ok { // a reader that reads a whole file first
			c.repeated += rc.Repeated()
			c.rows += rc.Repeated()
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// bulkSink is the QuadSink of a Loader: it gathers the quads of the
// store's own layout across files, and writes them to a bulk load (opened
// on the first, if the store takes one) while the load may still succeed.
type bulkSink struct {
	ownQuads
	open        func() *kg.Bulk
	skipInvalid bool
	tried       bool
	bulk        *kg.Bulk
}

func (s *bulkSink) Quad(q quad.Quad, at Position, failing bool) {
	s.ownQuads.Quad(q, at, failing)
	if failing && !s.skipInvalid {
		return
	}
	if !s.tried {
		s.tried = true
		s.bulk = s.open()
	}
	if s.bulk != nil {
		s.bulk.Write(q)
	}
}

// abort drops a bulk load that was not committed.
func (s *bulkSink) abort() {
	if s.bulk != nil {
		s.bulk.Abort()
	}
}

// dropInvalid validates b against the store and drops what is bad, again
// until nothing is (a dropped entity takes its links with it), and lists
// what it dropped, and how many of the records dropped were rows read.
func (l *Loader) dropInvalid(ctx context.Context, b *graph.Batch, entries *batchEntries) (*graph.Batch, *batchEntries, ErrorList, int, error) {
	var bad ErrorList
	reported := map[Position]bool{}
	rows := 0
	for pass := 0; ; pass++ {
		if err := ctx.Err(); err != nil {
			return nil, nil, nil, 0, err
		}
		ps := l.Store.Check(ctx, b)
		if len(ps) == 0 {
			return b, entries, bad, rows, nil
		}
		drop := map[graph.RecordKind]map[int]bool{}
		var here []Position
		for _, p := range ps {
			e := entries.locate(p)
			if drop[p.Record] == nil {
				drop[p.Record] = map[int]bool{}
			}
			if r := entries.of(p.Record); !drop[p.Record][p.Index] && p.Index >= 0 && p.Index < len(r) && !r[p.Index].made && !r[p.Index].Implicit {
				rows++
			}
			drop[p.Record][p.Index] = true
			// A record dropped in one pass makes those that use it fail
			// in the next: report only the first pass's problems at a
			// position.
			at := Position{e.File, e.Line, e.Column}
			if pass == 0 || !reported[at] {
				bad = append(bad, e)
				here = append(here, at)
			}
		}
		for _, at := range here {
			reported[at] = true
		}
		b, entries = entries.without(b, drop)
	}
}

// write writes b: by committing the bulk load, when there is one and it
// takes the batch, else with Store.Apply (whose validation is then the
// check of a load without SkipInvalid).
func (l *Loader) write(ctx context.Context, b *graph.Batch, entries *batchEntries, bulk *kg.Bulk, merged map[string]string) (applied graph.Applied, byBulk bool, err error) {
	if bulk != nil && len(merged) > 0 {
		bulk.Abort() // entities made from names merge into this load's: Apply's work, not a bulk load's
		bulk = nil
	}
	if bulk != nil {
		written := func(record graph.RecordKind, i int) bool { return entries.of(record)[i].own }
		applied, byBulk, err = bulk.Commit(ctx, b, written)
	}
	switch {
	case byBulk || err != nil:
	case len(merged) > 0:
		applied, err = l.applyMerging(ctx, b, merged)
	default:
		applied, err = l.Store.Apply(ctx, b)
	}
	var ps graph.Problems
	if errors.As(err, &ps) { // invalid records (or, with SkipInvalid, the store changed under us)
		var errs ErrorList
		for _, p := range ps {
			errs = append(errs, entries.locate(p))
		}
		errs.Sort()
		return graph.Applied{}, false, errs
	}
	return applied, byBulk, err
}

// batchEntries holds each batch record's Record, by kind and index.
type batchEntries struct {
	sources, refs, entities, links, relations []Record
}

func (be *batchEntries) of(record graph.RecordKind) []Record {
	switch record {
	case graph.SourceRecord:
		return be.sources
	case graph.ReferenceRecord:
		return be.refs
	case graph.EntityRecord:
		return be.entities
	case graph.RelationRecord:
		return be.relations
	}
	return be.links
}

func (be *batchEntries) locate(p graph.Problem) *ParseError {
	recs := be.of(p.Record)
	if p.Index < 0 || p.Index >= len(recs) {
		return &ParseError{File: "?", Err: p}
	}
	r := recs[p.Index]
	at := r.Pos
	if r.Locate != nil {
		field := p.Field
		for {
			if pos, ok := r.Locate(field); ok {
				at = pos
				break
			}
			i := strings.LastIndexAny(field, ".[")
			if field == "" || i <= 0 {
				break
			}
			field = field[:i]
		}
	}
	return at.wrap(p.Err)
}

// without drops the records marked in drop.
func (be *batchEntries) without(b *graph.Batch, drop map[graph.RecordKind]map[int]bool) (*graph.Batch, *batchEntries) {
	nb := &graph.Batch{}
	ne := &batchEntries{}
	for i, x := range b.Sources {
		if !drop[graph.SourceRecord][i] {
			nb.Sources, ne.sources = append(nb.Sources, x), append(ne.sources, be.sources[i])
		}
	}
	for i, x := range b.References {
		if !drop[graph.ReferenceRecord][i] {
			nb.References, ne.refs = append(nb.References, x), append(ne.refs, be.refs[i])
		}
	}
	for i, x := range b.Entities {
		if !drop[graph.EntityRecord][i] {
			nb.Entities, ne.entities = append(nb.Entities, x), append(ne.entities, be.entities[i])
		}
	}
	for i, x := range b.Links {
		if !drop[graph.LinkRecord][i] {
			nb.Links, ne.links = append(nb.Links, x), append(ne.links, be.links[i])
		}
	}
	for i, x := range b.Relations {
		if !drop[graph.RelationRecord][i] {
			nb.Relations, ne.relations = append(nb.Relations, x), append(ne.relations, be.relations[i])
		}
	}
	return nb, ne
}

// assembly is a batch being built from records, with each batch record's
// Record, and what was left out.
type assembly struct {
	batch     *graph.Batch
	entries   *batchEntries
	created   int            // entities made for names nothing had
	sources   int            // sources made for evidence that names one nothing has
	ignoredBy map[string]int // records outside the graph, by reason
	repeated  int            // records that repeat one of the batch
	bad       ErrorList      // links whose names do not resolve

	byID     map[string]int    // entity id -> index in batch.Entities
	byName   map[string][]int  // name or synonym, exactly -> indexes
	byXref   map[string][]int  // xref, exactly -> indexes
	implicit map[string]Record // id -> made-up entity, added when used
	resolved map[string]string // name -> the id it resolved to
	merged   map[string]string // stored entity made from a name -> the load's entity it merges into (remerge.go)
}

// assemble builds the batch: drops exact repeats, resolves names of
// ByName links, creates entities for names nothing has, derives missing
// link ids, and keeps the implicit entities that links use. It takes each
// link out of recs (Link is nil after) once the batch holds its copy: the
// entries keep a record's position, not its link.
func (l *Loader) assemble(ctx context.Context, recs []Record, opts *Options) *assembly {
	a := &assembly{batch: &graph.Batch{}, entries: &batchEntries{},
		byID: map[string]int{}, byName: map[string][]int{}, byXref: map[string][]int{}, implicit: map[string]Record{}, resolved: map[string]string{},
		ignoredBy: map[string]int{}}
	a.records(recs) // entities first, so that names resolve to them
	l.findMerges(ctx, a)
	seen := map[string]int{}
	links := 0
	for _, r := range recs {
		if r.Link != nil && r.Ignored == "" {
			links++
		}
	}
	a.batch.Links, a.entries.links = make([]graph.Link, 0, links), make([]Record, 0, links)
	for i := range recs {
		r := recs[i]
		if r.Link == nil || r.Ignored != "" {
			continue
		}
		lk := *r.Link
		r.Link, recs[i].Link = nil, nil
		if r.ByName {
			var err1, err2 error
			lk.Subject, err1 = l.resolveName(ctx, a, lk.Subject, r.Pos, opts.Kind)
			lk.Object, err2 = l.resolveName(ctx, a, lk.Object, r.Pos, opts.Kind)
			if err := errors.Join(err1, err2); err != nil {
				a.bad = append(a.bad, r.Pos.wrap(err))
				continue
			}
		}
		lk.Subject, lk.Object = a.into(lk.Subject), a.into(lk.Object)
		if lk.ID == "" {
			lk.ID = lk.Subject + "_" + strings.ToLower(string(lk.Effect)) + "_" + lk.Object
		}
		// Where each item of a file's row was read (a record of our own
		// layout or a JSON export says it itself: an export restores it
		// as it was).
		lk.Evidence = slices.Clone(lk.Evidence)
		for i := range lk.Evidence {
			if !r.own && !r.complete && lk.Evidence[i].At == "" && lk.Evidence[i].Quote == "" {
				lk.Evidence[i].At = fmt.Sprintf("%s:%d", r.Pos.File, r.Pos.Line)
			}
		}
		b, be := a.batch, a.entries
		if i, rep := repeated(seen, lk.ID, b.Links, &lk); rep {
			be.links[i].own = be.links[i].own || r.own
			a.repeated++
			continue
		}
		b.Links, be.links = append(b.Links, lk), append(be.links, r)
	}
	l.addSources(ctx, a, opts)
	return a
}

// addSources adds the Source records that the batch's evidence names and
// neither the batch nor the store has: Options.Source as given, any other
// (a file, a KGX knowledge source) titled by its id.
func (l *Loader) addSources(ctx context.Context, a *assembly, opts *Options) {
	have := map[string]bool{}
	for _, s := range a.batch.Sources {
		have[s.ID] = true
	}
	for i := range a.batch.Links {
		for _, e := range a.batch.Links[i].Evidence {
			if have[e.Source] {
				continue
			}
			have[e.Source] = true
			if _, err := l.Store.Source(ctx, e.Source); err == nil {
				continue
			}
			src := graph.Source{ID: e.Source, Title: e.Source}
			if e.Source == opts.Source.ID {
				src = opts.Source
				if src.Title == "" {
					src.Title = src.ID
				}
			}
			a.batch.Sources = append(a.batch.Sources, src)
			a.entries.sources = append(a.entries.sources, Record{Pos: a.entries.links[i].Pos, Source: &src, made: true})
			a.sources++
		}
	}
}

// records adds the records other than links, each repeat once, and counts
// the ignored ones.
func (a *assembly) records(recs []Record) {
	b, be := a.batch, a.entries
	seenSources, seenRefs, seenEntities, seenRelations := map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
	for _, r := range recs {
		switch {
		case r.Ignored != "":
			a.ignoredBy[r.Ignored]++
		case r.Source != nil:
			if i, rep := repeated(seenSources, r.Source.ID, b.Sources, r.Source); rep {
				be.sources[i].own = be.sources[i].own || r.own
				a.repeated++
			} else {
				b.Sources, be.sources = append(b.Sources, *r.Source), append(be.sources, r)
			}
		case r.Reference != nil:
			if i, rep := repeated(seenRefs, r.Reference.ID, b.References, r.Reference); rep {
				be.refs[i].own = be.refs[i].own || r.own
				a.repeated++
			} else {
				b.References, be.refs = append(b.References, *r.Reference), append(be.refs, r)
			}
		case r.Relation != nil:
			if i, rep := repeated(seenRelations, r.Relation.Key(), b.Relations, r.Relation); rep {
				be.relations[i].own = be.relations[i].own || r.own
				a.repeated++
			} else {
				b.Relations, be.relations = append(b.Relations, *r.Relation), append(be.relations, r)
			}
		case r.Entity != nil && r.Implicit:
			if _, ok := a.implicit[r.Entity.ID]; !ok {
				a.implicit[r.Entity.ID] = r
			}
		case r.Entity != nil:
			if i, rep := repeated(seenEntities, r.Entity.ID, b.Entities, r.Entity); rep {
				be.entities[i].own = be.entities[i].own || r.own
				a.repeated++
				continue
			}
			a.addEntity(r, append([]string{r.Entity.Name}, r.Entity.Synonyms...)...)
		}
	}
}

// addEntity adds r's entity, found by its id and by names.
func (a *assembly) addEntity(r Record, names ...string) {
	b, be := a.batch, a.entries
	a.byID[r.Entity.ID] = len(b.Entities)
	for _, x := range r.Entity.Xrefs {
		a.byXref[x] = append(a.byXref[x], len(b.Entities))
	}
	for _, n := range names {
		a.byName[n] = append(a.byName[n], len(b.Entities))
	}
	b.Entities, be.entities = append(b.Entities, *r.Entity), append(be.entities, r)
}

// resolveName gives the id of the entity a link's end names (see
// resolve); for a name nothing has, the implicit entity of that id, or
// else a new entity of kind, made at the link.
func (l *Loader) resolveName(ctx context.Context, a *assembly, name string, at Position, kind graph.Kind) (string, error) {
	if id, ok := a.resolved[name]; ok {
		return id, nil
	}
	id, err := l.resolve(ctx, name, a)
	switch {
	case errors.Is(err, graph.ErrAmbiguous):
		return "", err
	case err == nil:
	case a.implicit[name].Entity != nil:
		id = name
		a.addEntity(a.implicit[name])
		a.created++
	default:
		id = slug(name)
		if _, taken := a.byID[id]; !taken {
			e := graph.Entity{ID: id, Name: name, Kind: kind}
			a.addEntity(Record{Pos: at, Entity: &e, made: true}, name)
			a.created++
		}
	}
	a.resolved[name] = id
	return id, nil
}

// repeated says whether v repeats exactly a record of have with its id,
// and which (seen maps ids to indexes in have); if not, v will be have's
// next record under that id. A record that differs from an earlier one of
// the same id is kept, for validation to report.
func repeated[T any](seen map[string]int, id string, have []T, v *T) (int, bool) {
	if id == "" {
		return 0, false
	}
	if i, ok := seen[id]; ok && reflect.DeepEqual(have[i], *v) {
		return i, true
	}
	seen[id] = len(have)
	return 0, false
}

// resolve finds the entity a name means, exactly as written (a file's
// names are never folded: miR-21 is not MIR21, mouse Trp53 not human
// TRP53): an id in the batch or the store, else an xref, then a name or
// synonym in the batch (the order the store's Lookup takes, so that a
// name means the same whether the entity's file is loaded with it or
// before it), else an xref, name or synonym in the store. It returns
// graph.ErrNotFound for a name nothing has, and graph.ErrAmbiguous for
// one that several entities have.
func (l *Loader) resolve(ctx context.Context, name string, a *assembly) (string, error) {
	if _, ok := a.byID[name]; ok {
		return name, nil
	}
	if e, err := l.Store.Entity(ctx, name); err == nil {
		return a.into(e.ID), nil
	}
	for _, m := range []map[string][]int{a.byXref, a.byName} {
		switch ix := m[name]; len(ix) {
		case 0:
		case 1:
			return a.batch.Entities[ix[0]].ID, nil
		default:
			return "", fmt.Errorf("%w: %q names %d entities of the files", graph.ErrAmbiguous, name, len(ix))
		}
	}
	e, err := l.Store.Lookup(ctx, name)
	if err != nil {
		return "", err
	}
	return a.into(e.ID), nil
}

// slug makes an id from a name: the name itself when it is a valid id,
// else the name with every character an id may not hold turned into _.
func slug(name string) string {
	var b strings.Builder
	for i, r := range name {
		ok := r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r) ||
			(i > 0 && strings.ContainsRune("_.:/#~%+=?&@-", r)))
		if ok {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	s := b.String()
	if s != "" && s[0] == '_' {
		s = "x" + s
	}
	return s
}
