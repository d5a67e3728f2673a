package loaders

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/leydigkg/leydigkg/graph"
)

// KGX columns (FIELD-NOTES.md), and ours: leydigkg_kind,
// leydigkg_category and leydigkg_alias (an entity's old ids) carry what
// Biolink has no slot for, so that an export loads back unchanged. KGX wants a category on every node, so an export
// writes one for an entity that has none (its kind's); leydigkg_category
// holds the categories the entity has, none included, and where the
// column is there it is what the entity gets.
const (
	kgxKind     = "leydigkg_kind"
	kgxCategory = "leydigkg_category"
	kgxAlias    = "leydigkg_alias" // an entity's old ids
)

// oldPredicates are the signed predicates Biolink 3.1 removed; they load
// as biolink:regulates with their sign.
var oldPredicates = map[string]graph.Effect{
	"biolink:positively_regulates":                  graph.Increases,
	"biolink:negatively_regulates":                  graph.Decreases,
	"biolink:positively_regulates_entity_to_entity": graph.Increases,
	"biolink:negatively_regulates_entity_to_entity": graph.Decreases,
}

// directions are object_direction_qualifier values.
var directions = map[string]graph.Effect{
	"upregulated": graph.Increases, "increased": graph.Increases,
	"downregulated": graph.Decreases, "decreased": graph.Decreases,
}

// kgxRow gives a KGX record's fields by name, whatever the file's syntax.
type kgxRow interface {
	has(name string) bool
	str(name string) (string, error)
	list(name string) ([]string, error)
	pos(name string) Position
}

// kgxRecord turns a node or an edge into a record.
func kgxRecord(row kgxRow, opts *Options, file string) (Record, error) {
	at := row.pos("")
	if row.has("subject") || row.has("object") || row.has("predicate") {
		return kgxEdge(row, opts, file)
	}
	id, err := row.str("id")
	if err != nil {
		return Record{}, err
	}
	if id == "" {
		return Record{}, row.pos("id").errorf(ErrMissingField, "id")
	}
	e := &graph.Entity{ID: id}
	var errs []error
	get := func(dst *string, name string) {
		v, err := row.str(name)
		errs = append(errs, err)
		*dst = v
	}
	getList := func(dst *[]string, name string) {
		v, err := row.list(name)
		errs = append(errs, err)
		*dst = v
	}
	var kind string
	get(&e.Name, "name")
	get(&e.Description, "description")
	get(&kind, kgxKind)
	if row.has(kgxCategory) {
		getList(&e.Categories, kgxCategory)
	} else {
		getList(&e.Categories, "category")
	}
	getList(&e.Xrefs, "xref")
	getList(&e.Synonyms, "synonym")
	getList(&e.Aliases, kgxAlias)
	if err := firstErr(errs); err != nil {
		return Record{}, err
	}
	if e.Name == "" {
		e.Name = id // KGX makes name optional; the id is what the file calls it
	}
	e.Kind = graph.Kind(kind)
	if kind == "" {
		e.Kind = opts.Kind
		for _, c := range e.Categories {
			if k, ok := graph.CategoryKinds[c]; ok {
				e.Kind = k
				break
			}
		}
	}
	slices.Sort(e.Categories)
	e.Categories = slices.Compact(e.Categories)
	return Record{Pos: at, Entity: e, Locate: func(f string) (Position, bool) { return kgxLocate(row, f) }}, nil
}

func kgxLocate(row kgxRow, field string) (Position, bool) {
	if rest, ok := strings.CutPrefix(field, "evidence[0]."); ok { // an edge is one item
		col := strings.SplitN(rest, "[", 2)[0]
		if c, ok := map[string]string{"taxon": kgxTaxon(row), "aggregators": "aggregator_knowledge_source", "score": "has_confidence_score",
			"cellTypes": "leydigkg_cell_type", "tissues": "leydigkg_tissue", "mechanism": "leydigkg_mechanism"}[col]; ok {
			col = c
		}
		if row.has(col) {
			return row.pos(col), true
		}
	}
	cat := "category"
	if row.has(kgxCategory) {
		cat = kgxCategory
	}
	name := map[string]string{"kind": kgxKind, "categories": cat, "xrefs": "xref", "synonyms": "synonym",
		"effect": "object_direction_qualifier", "evidence": "primary_knowledge_source"}[strings.SplitN(strings.SplitN(field, "[", 2)[0], ".", 2)[0]]
	if name == "" {
		name = strings.SplitN(field, "[", 2)[0]
	}
	if row.has(name) {
		return row.pos(name), true
	}
	return Position{}, false
}

func kgxEdge(row kgxRow, opts *Options, file string) (Record, error) {
	at := row.pos("")
	l := &graph.Link{}
	var pred, qpred, dir, sdir, oaspect, saspect, negated, level, agent, source, taxon, score, mech, direct string
	var errs []error
	get := func(dst *string, name string) {
		v, err := row.str(name)
		errs = append(errs, err)
		*dst = v
	}
	get(&l.ID, "id")
	get(&l.Subject, "subject")
	get(&l.Object, "object")
	get(&pred, "predicate")
	get(&qpred, "qualified_predicate")
	get(&dir, "object_direction_qualifier")
	get(&sdir, "subject_direction_qualifier")
	get(&oaspect, "object_aspect_qualifier")
	get(&saspect, "subject_aspect_qualifier")
	get(&negated, "negated")
	get(&source, "primary_knowledge_source")
	get(&level, "knowledge_level")
	get(&agent, "agent_type")
	get(&taxon, kgxTaxon(row))
	get(&score, "has_confidence_score")
	get(&mech, "leydigkg_mechanism")
	get(&direct, "leydigkg_direct")
	var pubs, aggs, cells, tissues []string
	for _, x := range []struct {
		dst  *[]string
		name string
	}{{&pubs, "publications"}, {&aggs, "aggregator_knowledge_source"}, {&cells, "leydigkg_cell_type"}, {&tissues, "leydigkg_tissue"}} {
		v, err := row.list(x.name)
		errs = append(errs, err)
		*x.dst = v
	}
	if err := firstErr(errs); err != nil {
		return Record{}, err
	}
	switch {
	case l.Subject == "":
		return Record{}, row.pos("subject").errorf(ErrMissingField, "subject")
	case l.Object == "":
		return Record{}, row.pos("object").errorf(ErrMissingField, "object")
	case pred == "":
		return Record{}, row.pos("predicate").errorf(ErrMissingField, "predicate")
	}
	not, err := kgxBool(row, "negated", negated)
	if err != nil {
		return Record{}, err
	}
	if slices.Contains(graph.RelationPredicates, pred) {
		if not == 1 { // no negative evidence for structure: never read as its opposite
			return Record{Pos: at, Ignored: "negated " + pred + ": a relation said not to hold"}, nil
		}
		return kgxRelation(row, l, pred, source, level, agent, pubs, opts, file), nil
	}
	for _, q := range []struct{ name, aspect string }{{"object_aspect_qualifier", oaspect}, {"subject_aspect_qualifier", saspect}} {
		if aspectSign(q.aspect) == 0 {
			return Record{Pos: at, Ignored: q.name + " " + q.aspect + " says no more or less of the entity"}, nil
		}
	}
	l.Predicate = pred
	if e, ok := oldPredicates[pred]; ok {
		l.Predicate, l.Effect = "biolink:regulates", e
	} else if want, causal := graph.Predicates[pred]; !causal {
		return Record{Pos: at, Ignored: "predicate " + pred + " is not a signed causal one"}, nil // outside this graph
	} else {
		l.Effect = want
	}
	if dir != "" {
		e, ok := directions[dir]
		if !ok {
			return Record{}, row.pos("object_direction_qualifier").errorf(ErrInvalidValue, "object_direction_qualifier %q (want upregulated, downregulated, increased or decreased)", dir)
		}
		if l.Effect != "" && l.Effect != e {
			return Record{}, row.pos("object_direction_qualifier").errorf(ErrInvalidValue, "object_direction_qualifier %q contradicts %s", dir, pred)
		}
		l.Effect = e
	}
	if l.Effect == "" {
		return Record{}, row.pos("predicate").errorf(ErrMissingField, "%s needs an object_direction_qualifier (upregulated or downregulated) to give the sign", pred)
	}
	if qpred != "" && !qualifiedPredicates[qpred] {
		return Record{}, row.pos("qualified_predicate").errorf(ErrInvalidValue, "qualified_predicate %q (want biolink:causes)", qpred)
	}
	// The qualifiers (qualifiers.go): what of the object and of the
	// subject changes, and which way the subject goes.
	for _, aspect := range []string{oaspect, saspect} {
		if aspectSign(aspect) < 0 {
			l.Effect = reverse(l.Effect)
		}
	}
	if sdir != "" {
		e, ok := directions[sdir]
		if !ok {
			return Record{}, row.pos("subject_direction_qualifier").errorf(ErrInvalidValue, "subject_direction_qualifier %q (want upregulated, downregulated, increased or decreased)", sdir)
		}
		if e == graph.Decreases {
			l.Effect = reverse(l.Effect)
		}
	}
	if want := graph.Predicates[l.Predicate]; want != "" && want != l.Effect {
		// The qualifiers reversed what the predicate alone says (less A
		// causes B): the link is stated by Biolink 4.x's signless
		// biolink:affects, with the qualified sign.
		l.Predicate = "biolink:affects"
	}
	// The edge is one evidence item of its knowledge source (or of the
	// file), known by the edge's id.
	if source == "" {
		source = opts.sourceFor(file)
	}
	ev := graph.Evidence{Source: source, Key: l.ID, KnowledgeLevel: graph.KnowledgeLevel(level), AgentType: graph.AgentType(agent),
		Negated: not == 1}
	if ev.Key == "" {
		ev.Key = l.Subject + " " + pred + " " + l.Object
		if ev.Negated {
			ev.Key = l.Subject + " not " + pred + " " + l.Object // the same edge asserted is another item
		}
	}
	// An export gives a link's further sources edges named ID@SOURCE, and
	// a source's further contexts ID@SOURCE@N (export.KGX): they are the
	// link ID, not a link of their own (which the store would keep as an
	// alias).
	l.ID = exportedID(l.ID, source)
	ev.Publications = sortedSet(pubs)
	if err := kgxContext(row, &ev, taxon, score, mech, direct, aggs, cells, tissues); err != nil {
		return Record{}, err
	}
	l.Evidence = []graph.Evidence{ev}
	return Record{Pos: at, Link: l, Locate: func(f string) (Position, bool) { return kgxLocate(row, f) }}, nil
}

// kgxTaxon is the column an edge gives its taxon in: Biolink 4.x's
// species_context_qualifier, else the node slot in_taxon some files put on
// edges, else taxon.
func kgxTaxon(row kgxRow) string {
	for _, c := range []string{"species_context_qualifier", "in_taxon"} {
		if row.has(c) {
			return c
		}
	}
	return "taxon"
}

// kgxBool reads a true/false field: 1 true, 0 false, -1 empty.
func kgxBool(row kgxRow, name, v string) (int, error) {
	switch strings.ToLower(v) {
	case "":
		return -1, nil
	case "false", "0":
		return 0, nil
	case "true", "1":
		return 1, nil
	}
	return 0, row.pos(name).errorf(ErrInvalidValue, "%s %q (want true or false)", name, v)
}

// kgxContext gives an edge's item its context: taxon (a bare number is an
// NCBITaxon id), the source's score, aggregators, and our own columns.
func kgxContext(row kgxRow, ev *graph.Evidence, taxon, score, mech, direct string, aggs, cells, tissues []string) error {
	if taxon != "" && isPMID(taxon) { // digits only
		taxon = "NCBITaxon:" + taxon
	}
	ev.Taxon, ev.Mechanism = taxon, mech
	if score != "" {
		f, err := strconv.ParseFloat(score, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return row.pos("has_confidence_score").errorf(ErrInvalidValue, "has_confidence_score %q is not a number", score)
		}
		ev.Score = &f
	}
	d, err := kgxBool(row, "leydigkg_direct", direct)
	if err != nil {
		return err
	}
	if d >= 0 {
		b := d == 1
		ev.Direct = &b
	}
	ev.Aggregators, ev.CellTypes, ev.Tissues = sortedSet(aggs), sortedSet(cells), sortedSet(tissues)
	return nil
}

// exportedID is the link id of an export's edge id: ID@SOURCE and
// ID@SOURCE@N are ID.
func exportedID(id, source string) string {
	if i := strings.LastIndex(id, "@"+source); i > 0 {
		rest := id[i+1+len(source):]
		if n, ok := strings.CutPrefix(rest, "@"); rest == "" || ok && n != "" && strings.Trim(n, "0123456789") == "" {
			return id[:i]
		}
	}
	return id
}

func sortedSet(l []string) []string {
	if len(l) == 0 {
		return nil
	}
	slices.Sort(l)
	return slices.Compact(l)
}

// kgxRelation is a part-of or subclass-of edge: a relation, with one
// evidence item of its knowledge source known by the edge's id (an
// export's further sources' edges, ID@SOURCE, are the same relation).
func kgxRelation(row kgxRow, l *graph.Link, pred, source, level, agent string, pubs []string, opts *Options, file string) Record {
	r := &graph.Relation{Subject: l.Subject, Predicate: pred, Object: l.Object}
	if source == "" {
		source = opts.sourceFor(file)
	}
	key := l.ID
	if id, ok := strings.CutSuffix(key, "@"+source); ok && id != "" {
		key = id
	}
	if key == "" {
		key = r.Key()
	}
	slices.Sort(pubs)
	r.Evidence = []graph.Evidence{{Source: source, Key: key, KnowledgeLevel: graph.KnowledgeLevel(level),
		AgentType: graph.AgentType(agent), Publications: slices.Compact(pubs)}}
	return Record{Pos: row.pos(""), Relation: r, Locate: func(f string) (Position, bool) { return kgxLocate(row, f) }}
}

// --- TSV ---

type kgxTSV struct {
	file   string
	cr     *csv.Reader
	cap    *recordCap
	header map[string]int
	opts   Options
	done   bool
}

// NewKGXReader reads a KGX TSV file, nodes or edges (told by the header).
// Rows may be ragged: missing trailing fields are empty. Lists are joined
// by |.
func NewKGXReader(name string, r io.Reader, opts Options) (RecordReader, error) {
	opts = opts.withDefaults()
	r, comma := delimited(name, r, opts.Signed.Comma)
	rc := newRecordCap(r, opts.Limits.Line)
	cr := csv.NewReader(rc)
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true // KGX TSV does not quote; a " is part of a name
	k := &kgxTSV{file: name, cr: cr, cap: rc, opts: opts, header: map[string]int{}}
	row, err := cr.Read()
	if rc.over {
		return nil, rc.err(name)
	}
	if errors.Is(err, io.EOF) {
		k.done = true
		return k, nil
	}
	if err != nil {
		return nil, csvError(k.file, err)
	}
	for i, h := range row {
		h = strings.TrimSpace(h)
		if _, dup := k.header[h]; dup {
			line, col := cr.FieldPos(i)
			return nil, &ParseError{File: name, Line: line, Column: col, Err: fmt.Errorf("%w: column %q twice", ErrDuplicateID, h)}
		}
		k.header[h] = i
	}
	if _, ok := k.header["id"]; !ok {
		if _, ok := k.header["subject"]; !ok {
			return nil, &ParseError{File: name, Line: 1, Column: 1, Err: fmt.Errorf("%w: a KGX file's header has id (nodes) or subject, predicate, object (edges)", ErrMissingField)}
		}
	}
	return k, nil
}

func colOf(cr *csv.Reader, i int) int { _, c := cr.FieldPos(i); return c }

// csvError gives encoding/csv's syntax errors in file our position and
// sentinel.
func csvError(file string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &ParseError{File: file, Line: pe.Line, Column: pe.Column, Err: fmt.Errorf("%w: %w", ErrSyntax, pe.Err)}
	}
	return err
}

func (k *kgxTSV) Read() (Record, error) {
	if k.done {
		return Record{}, io.EOF
	}
	k.cap.reset()
	row, err := k.cr.Read()
	if k.cap.over {
		k.done = true // the rest of the record is not read: nor is the file's
		return Record{}, k.cap.err(k.file)
	}
	if errors.Is(err, io.EOF) {
		k.done = true
		return Record{}, io.EOF
	}
	if err != nil {
		return Record{}, csvError(k.file, err)
	}
	line, _ := k.cr.FieldPos(0)
	t := &tsvRow{k: k, row: row, line: line, cols: make([]int, len(row))}
	for i := range row {
		t.cols[i] = colOf(k.cr, i)
	}
	if len(row) > len(k.header) {
		return Record{}, t.posAt(len(k.header)).errorf(ErrSyntax, "row has %d fields, the header %d", len(row), len(k.header))
	}
	return kgxRecord(t, &k.opts, k.file)
}

type tsvRow struct {
	k    *kgxTSV
	row  []string
	line int
	cols []int
}

func (t *tsvRow) has(name string) bool { _, ok := t.k.header[name]; return ok }

func (t *tsvRow) str(name string) (string, error) {
	i, ok := t.k.header[name]
	if !ok || i >= len(t.row) {
		return "", nil // ragged row: a missing trailing field is empty
	}
	return strings.TrimSpace(t.row[i]), nil
}

func (t *tsvRow) list(name string) ([]string, error) {
	s, _ := t.str(name)
	if s == "" {
		return nil, nil
	}
	var out []string
	for _, v := range strings.Split(s, "|") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out, nil
}

func (t *tsvRow) posAt(i int) Position {
	if i >= len(t.cols) {
		c := 1
		if n := len(t.cols); n > 0 {
			c = t.cols[n-1] + len(t.row[n-1])
		}
		return Position{File: t.k.file, Line: t.line, Column: c}
	}
	return Position{File: t.k.file, Line: t.line, Column: t.cols[i]}
}

func (t *tsvRow) pos(name string) Position {
	if i, ok := t.k.header[name]; ok {
		return t.posAt(i)
	}
	return t.posAt(0)
}

// --- JSON Lines ---

// lineReader reads lines of at most max bytes, counting them.
type lineReader struct {
	br   *bufio.Reader
	max  int
	line int
	buf  []byte
}

func newLineReader(r io.Reader, max int) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(r, 64<<10), max: max}
}

// next returns the next line without its end, and whether it was too long
// (then it is dropped). It returns io.EOF after the last line.
func (lr *lineReader) next() ([]byte, bool, error) {
	lr.buf = lr.buf[:0]
	tooLong := false
	for {
		chunk, err := lr.br.ReadSlice('\n')
		if !tooLong {
			if len(lr.buf)+len(chunk) > lr.max {
				tooLong, lr.buf = true, lr.buf[:0]
			} else {
				lr.buf = append(lr.buf, chunk...)
			}
		}
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF):
			if len(chunk) == 0 && len(lr.buf) == 0 && !tooLong {
				return nil, false, io.EOF
			}
			lr.line++
			return bytes.TrimRight(lr.buf, "\r\n"), tooLong, nil
		case err != nil:
			return nil, false, err
		}
		lr.line++
		return bytes.TrimRight(lr.buf, "\r\n"), tooLong, nil
	}
}

type kgxJSONL struct {
	file string
	lr   *lineReader
	opts Options
}

// NewKGXJSONLReader reads KGX JSON Lines: one node or edge object a line
// (edges have subject, predicate and object); lists are JSON arrays.
func NewKGXJSONLReader(name string, r io.Reader, opts Options) (RecordReader, error) {
	opts = opts.withDefaults()
	return &kgxJSONL{file: name, lr: newLineReader(dropBOM(r), opts.Limits.Line), opts: opts}, nil
}

func (k *kgxJSONL) Read() (Record, error) {
	for {
		line, tooLong, err := k.lr.next()
		if err != nil {
			return Record{}, err
		}
		at := Position{File: k.file, Line: k.lr.line, Column: 1}
		if tooLong {
			return Record{}, tooLarge(at, "line", int64(k.lr.max), "max-line")
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(line, &obj); err != nil {
			var se *json.SyntaxError
			if errors.As(err, &se) {
				at.Column = int(se.Offset)
			}
			return Record{}, at.errorf(ErrSyntax, "%w", err)
		}
		if obj == nil {
			return Record{}, at.errorf(ErrType, "want a JSON object")
		}
		return kgxRecord(&jsonRow{obj: obj, line: line, at: at}, &k.opts, k.file)
	}
}

type jsonRow struct {
	obj  map[string]json.RawMessage
	line []byte
	at   Position
}

func (j *jsonRow) has(name string) bool { _, ok := j.obj[name]; return ok }

func (j *jsonRow) pos(name string) Position {
	p := j.at
	if name != "" {
		if i := bytes.Index(j.line, []byte(`"`+name+`"`)); i >= 0 {
			p.Column = i + 1
		}
	}
	return p
}

func (j *jsonRow) str(name string) (string, error) {
	raw, ok := j.obj[name]
	if !ok || string(raw) == "null" {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		if b := string(raw); b == "true" || b == "false" { // negated
			return b, nil
		}
		var n json.Number
		if json.Unmarshal(raw, &n) == nil {
			return n.String(), nil
		}
		var l []string
		if json.Unmarshal(raw, &l) == nil && len(l) <= 1 { // a one-item list where text is due
			if len(l) == 1 {
				return l[0], nil
			}
			return "", nil
		}
		return "", j.pos(name).errorf(ErrType, "%s: want text", name)
	}
	return strings.TrimSpace(s), nil
}

func (j *jsonRow) list(name string) ([]string, error) {
	raw, ok := j.obj[name]
	if !ok || string(raw) == "null" {
		return nil, nil
	}
	var l []string
	if err := json.Unmarshal(raw, &l); err != nil {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			if s == "" {
				return nil, nil
			}
			return []string{s}, nil
		}
		return nil, j.pos(name).errorf(ErrType, "%s: want a list of text", name)
	}
	return l, nil
}

func firstErr(errs []error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
