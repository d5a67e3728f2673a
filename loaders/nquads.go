package loaders

import (
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cayleygraph/quad"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/internal/layout"
)

// PredicateMapping is what an N-Quads predicate IRI means: a link with this
// effect, stored under this Biolink predicate (default biolink:regulates).
type PredicateMapping struct {
	Effect    graph.Effect
	Predicate string
}

const biolinkVocab = "https://w3id.org/biolink/vocab/"

// DefaultPredicateMap maps the signed predicates of Biolink (old style) and
// of the Relation Ontology.
var DefaultPredicateMap = map[string]PredicateMapping{
	biolinkVocab + "positively_regulates":                  {graph.Increases, "biolink:regulates"},
	biolinkVocab + "negatively_regulates":                  {graph.Decreases, "biolink:regulates"},
	"http://purl.obolibrary.org/obo/RO_0002213":            {graph.Increases, "biolink:regulates"}, // positively regulates
	"http://purl.obolibrary.org/obo/RO_0002212":            {graph.Decreases, "biolink:regulates"}, // negatively regulates
	biolinkVocab + "positively_regulates_entity_to_entity": {graph.Increases, "biolink:regulates"},
	biolinkVocab + "negatively_regulates_entity_to_entity": {graph.Decreases, "biolink:regulates"},
}

// ParsePredicateMapping reads one mapping, "IRI=EFFECT" or
// "IRI=EFFECT=biolink:predicate" (as --map takes it, and as a mapping
// file's lines are, with blanks for = too).
func ParsePredicateMapping(s string) (string, PredicateMapping, error) {
	f := strings.FieldsFunc(s, func(r rune) bool { return r == '=' || r == ' ' || r == '\t' })
	if len(f) < 2 || len(f) > 3 {
		return "", PredicateMapping{}, fmt.Errorf("%w: mapping %q (want IRI=INCREASES|DECREASES[=biolink:predicate])", ErrInvalidValue, s)
	}
	e, err := graph.ParseEffect(f[1])
	if err != nil {
		if e, err = ParseSign(f[1]); err != nil {
			return "", PredicateMapping{}, err
		}
	}
	m := PredicateMapping{Effect: e, Predicate: "biolink:regulates"}
	if len(f) == 3 {
		if err := graph.CheckPredicate(f[2], e); err != nil {
			return "", PredicateMapping{}, err
		}
		m.Predicate = f[2]
	}
	return strings.Trim(f[0], "<>"), m, nil
}

// ReadPredicateMap reads a mapping file: one ParsePredicateMapping a line,
// # comments.
func ReadPredicateMap(name string, r io.Reader) (map[string]PredicateMapping, error) {
	out := map[string]PredicateMapping{}
	lr := newLineReader(dropBOM(r), DefaultLimits.Line)
	var errs ErrorList
	for {
		line, _, err := lr.next()
		if errors.Is(err, io.EOF) {
			return out, errs.Err()
		}
		if err != nil {
			return nil, err
		}
		s := strings.TrimSpace(string(line))
		if s == "" || s[0] == '#' {
			continue
		}
		iri, m, err := ParsePredicateMapping(s)
		if err != nil {
			errs = append(errs, &ParseError{File: name, Line: lr.line, Column: 1, Err: err})
			continue
		}
		out[iri] = m
	}
}

// IRIs an N-Quads file names things with.
const (
	rdfType       = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
	rdfsLabel     = "http://www.w3.org/2000/01/rdf-schema#label"
	skosPrefLabel = "http://www.w3.org/2004/02/skos/core#prefLabel"
	skosAltLabel  = "http://www.w3.org/2004/02/skos/core#altLabel"
	exactSynonym  = "http://www.geneontology.org/formats/oboInOwl#hasExactSynonym"
	dcDescription = "http://purl.org/dc/terms/description"
	oboPrefix     = "http://purl.obolibrary.org/obo/"
)

var (
	oboLocal  = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9]*)_([A-Za-z0-9]+)$`)
	parseAtRe = regexp.MustCompile(` at (\d+)$`)
)

// nquadsReader reads the whole file, then yields records: links for mapped
// predicates, entities for their ends (named by rdfs:label, typed by a
// Biolink rdf:type), and the records of our own layout (layout.QuadsOf).
type nquadsReader struct {
	sliceReader
	repeated int
}

// Repeated is how many link quads the file said again: left out, as a
// graph holds a statement once.
func (r *nquadsReader) Repeated() int { return r.repeated }

// NewNQuadsReader reads N-Quads or N-Triples with cayley's parser
// (github.com/cayleygraph/quad/nquads), one line at a time so that every
// problem has its line and column. Quads in the store's own layout go to
// opts.Own; without one, they are decoded into records at the end.
func NewNQuadsReader(name string, r io.Reader, opts Options) (RecordReader, error) {
	opts = opts.withDefaults()
	own, alone := opts.Own, (*ownQuads)(nil)
	if own == nil {
		alone = &ownQuads{}
		own = alone
	}
	lines := &nquadLines{file: name, lr: newLineReader(dropBOM(r), opts.Limits.Line)}
	if opts.Base != "" {
		base, err := url.Parse(opts.Base)
		if err != nil || !base.IsAbs() {
			return nil, fmt.Errorf("%w: base IRI %q is not absolute", ErrInvalidValue, opts.Base)
		}
		lines.qp.base = base
	}
	m := newQuadMapper(name, opts)
	out := &nquadsReader{}
	bad := &problemList{max: opts.Limits.Problems}
	for {
		q, at, err := lines.next()
		var pe *ParseError
		switch {
		case errors.Is(err, io.EOF):
			out.recs = append(out.recs, m.entities()...)
			if alone != nil {
				out.recs = append(out.recs, alone.records()...)
			}
			out.errs, out.repeated = bad.errors(), m.repeated
			return out, nil
		case errors.As(err, &pe):
			bad.add(pe)
		case err != nil:
			return nil, err
		case layout.IsOwnIRI(q.Subject):
			own.Quad(layout.Stored(q), at, !bad.empty() && !opts.SkipInvalid)
		default:
			switch rec, err := m.quad(q, at); {
			case err != nil:
				bad.add(err)
			case rec == nil: // said of a node, or a link said again
			case rec.Ignored != "":
				if out.ignored == nil {
					out.ignored = map[string]int{}
				}
				out.ignored[rec.Ignored]++
			default:
				out.recs = append(out.recs, *rec)
			}
		}
	}
}

// nquadLines reads the quads of an N-Quads file a line at a time.
type nquadLines struct {
	file string
	lr   *lineReader
	qp   quadParser
}

// next returns the next quad and the position of its line's first term.
// A bad line is a *ParseError (and reading may go on); io.EOF ends the
// file.
func (ql *nquadLines) next() (quad.Quad, Position, error) {
	for {
		raw, tooLong, err := ql.lr.next()
		if err != nil {
			return quad.Quad{}, Position{}, err
		}
		at := Position{File: ql.file, Line: ql.lr.line, Column: 1}
		if tooLong {
			return quad.Quad{}, at, tooLarge(at, "line", int64(ql.lr.max), "max-line")
		}
		line := strings.TrimLeft(string(raw), " \t")
		indent := len(raw) - len(line) // spaces and tabs: one byte, one column
		if t := strings.TrimSpace(line); t == "" || t[0] == '#' {
			continue
		}
		at.Column = indent + 1
		if !utf8.ValidString(line) {
			at.Column += utf8.RuneCountInString(line[:firstInvalid(line)])
			return quad.Quad{}, at, at.errorf(ErrSyntax, "not valid UTF-8")
		}
		q, err := ql.qp.parse(line)
		switch {
		case err != nil:
			return q, at, parseError(err, at, indent)
		case !q.IsValid():
			return q, at, at.errorf(ErrSyntax, "%w: a quad needs a subject, a predicate and an object", quad.ErrInvalid)
		}
		if err := checkTerms(q); err != nil {
			return q, at, err.at(line, at)
		}
		return q, at, nil
	}
}

// parseError rewrites an error of cayley's N-Quads parser, which words
// them with %v: it keeps the text, wraps our sentinel and quad's, and
// turns "at N" into a column.
func parseError(err error, at Position, indent int) *ParseError {
	msg := err.Error()
	if m := parseAtRe.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		at.Column = indent + n + 1
		msg = strings.TrimSuffix(msg, m[0])
	}
	sentinel := quad.ErrInvalid
	if errors.Is(err, quad.ErrIncomplete) {
		sentinel = quad.ErrIncomplete
	}
	msg = strings.TrimPrefix(strings.TrimPrefix(msg, sentinel.Error()), ": ")
	if msg != "" {
		msg = ": " + msg
	}
	return at.wrap(fmt.Errorf("%w: %w%s", ErrSyntax, sentinel, msg))
}

type nqNode struct {
	pos         Position
	label       string
	synonyms    []string
	description string
	categories  []string
	used        bool
}

// quadMapper turns quads that are not in the store's own layout into
// records: a link for each quad of a mapped predicate, and, once every
// quad is read, an entity for each end of a link, named by the labels
// and typed by the Biolink classes the file gives it.
type quadMapper struct {
	opts   Options
	preds  map[string]PredicateMapping
	source string
	nodes  map[string]*nqNode
	order  []string // nodes' ids, in the order met
	links  map[nqLink]bool
	// repeated counts the link quads said again, which are left out.
	repeated int
}

// nqLink is what a link quad says.
type nqLink struct {
	subject, object string
	mapping         PredicateMapping
}

func newQuadMapper(file string, opts Options) *quadMapper {
	preds := map[string]PredicateMapping{}
	for k, v := range DefaultPredicateMap {
		preds[k] = v
	}
	for k, v := range opts.Predicates {
		preds[k] = v
	}
	return &quadMapper{opts: opts, preds: preds, source: opts.sourceFor(file), nodes: map[string]*nqNode{}, links: map[nqLink]bool{}}
}

// id is the entity id a subject or object names: an IRI, compacted
// (compact), or a blank node, skolemised: genid:FILE:LABEL, FILE a hash of
// the file's source, so that a label is one entity within its file and
// another file's same label another entity. A label an id cannot hold
// (non-ASCII) is hashed too.
func (m *quadMapper) id(v quad.Value) (string, bool) {
	switch v := v.(type) {
	case quad.IRI:
		return compact(string(v), m.opts.Prefixes), true
	case quad.BNode:
		label := string(v)
		for i := 0; i < len(label); i++ {
			if c := label[i]; !isAlnum(c) && c != '_' && c != '-' && c != '.' {
				label = fmt.Sprintf("h%016x", fnv64(label))
				break
			}
		}
		return fmt.Sprintf("genid:%08x:%s", uint32(fnv64(m.source)), label), true
	}
	return "", false
}

func fnv64(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

func (m *quadMapper) node(id string, at Position) *nqNode {
	n := m.nodes[id]
	if n == nil {
		n = &nqNode{pos: at}
		m.nodes[id] = n
		m.order = append(m.order, id)
	}
	return n
}

// quad maps one quad: to a link record, to an ignored record, or (for
// what it says about a node) to nothing.
func (m *quadMapper) quad(q quad.Quad, at Position) (*Record, *ParseError) {
	pred, _ := q.Predicate.(quad.IRI)
	s, okS := m.id(q.Subject)
	if pm, ok := m.preds[string(pred)]; ok {
		o, okO := m.id(q.Object)
		if !okS || !okO {
			return nil, at.errorf(ErrType, "a %s link needs IRIs or blank nodes at both ends, not %s and %s", pred, q.Subject, q.Object)
		}
		if k := (nqLink{s, o, pm}); m.links[k] {
			m.repeated++
			return nil, nil
		} else {
			m.links[k] = true
		}
		m.node(s, at).used = true
		m.node(o, at).used = true
		return &Record{Pos: at, ByName: true, Link: &graph.Link{
			Subject: s, Object: o, Effect: pm.Effect, Predicate: pm.Predicate,
			// One evidence item of the file (graph.EvidenceKey).
			Evidence: []graph.Evidence{{Source: m.source}},
		}}, nil
	}
	ignored := func(why string) (*Record, *ParseError) { return &Record{Pos: at, Ignored: why}, nil }
	if !okS {
		return ignored("a statement about a literal")
	}
	text, isText := literal(q.Object)
	switch {
	case pred == rdfsLabel && isText, pred == skosPrefLabel && isText:
		n := m.node(s, at)
		if n.label == "" {
			n.label = text
		} else if text != n.label && !slices.Contains(n.synonyms, text) {
			n.synonyms = append(n.synonyms, text)
		}
	case (pred == skosAltLabel || pred == exactSynonym) && isText:
		if n := m.node(s, at); !slices.Contains(n.synonyms, text) {
			n.synonyms = append(n.synonyms, text)
		}
	case pred == dcDescription && isText:
		m.node(s, at).description = text
	case pred == rdfType:
		t, ok := q.Object.(quad.IRI)
		if !ok || !strings.HasPrefix(string(t), biolinkVocab) {
			return ignored("an rdf:type outside Biolink")
		}
		n, c := m.node(s, at), "biolink:"+strings.TrimPrefix(string(t), biolinkVocab)
		if !slices.Contains(n.categories, c) {
			n.categories = append(n.categories, c)
		}
	default:
		return ignored("a predicate with no mapping (see --map)")
	}
	return nil, nil
}

// entities makes an entity of every node at an end of a link: named but
// in no link, a node is not part of the causal graph.
func (m *quadMapper) entities() []Record {
	var recs []Record
	for _, id := range m.order {
		n := m.nodes[id]
		if !n.used {
			continue
		}
		e := &graph.Entity{ID: id, Name: n.label, Description: n.description, Kind: m.opts.Kind, Synonyms: n.synonyms, Categories: n.categories}
		if e.Name == "" {
			e.Name = id
		}
		for _, c := range n.categories {
			if k, ok := graph.CategoryKinds[c]; ok {
				e.Kind = k
				break
			}
		}
		recs = append(recs, Record{Pos: n.pos, Entity: e, Implicit: true})
	}
	return recs
}

// QuadSink is given the quads of the store's own layout (layout.IsOwnIRI)
// that an N-Quads file holds, instead of the reader mapping them: a
// Loader gathers them across the files of a load (a record may span
// files) and writes them to a bulk load as they are read. failing says
// the file has had a problem the load will fail on.
type QuadSink interface {
	Quad(q quad.Quad, at Position, failing bool)
}

// ownQuads gathers the quads of the store's own layout from the N-Quads
// files of a load and turns them into records once all are read. A
// quad's mark is its line counted across all the files, and its column:
// line<<20 | column.
type ownQuads struct {
	dec    *layout.Decoder
	files  []string
	starts []int64 // the first line of each file, counted across files
	last   int64   // the last line marked
}

// Quad adds one quad, marked with where it was read.
func (o *ownQuads) Quad(q quad.Quad, at Position, _ bool) {
	if n := len(o.files); n == 0 || o.files[n-1] != at.File {
		o.files = append(o.files, at.File)
		o.starts = append(o.starts, o.last+1)
	}
	if o.dec == nil {
		o.dec = layout.NewDecoder()
	}
	o.last = o.starts[len(o.starts)-1] + int64(at.Line)
	o.dec.AddAt(q, o.last<<20|int64(min(at.Column, 1<<20-1)))
}

// records returns the records decoded from the quads added, each at the
// first quad of its node, and forgets the quads.
func (o *ownQuads) records() []Record {
	if o.dec == nil {
		return nil
	}
	b, marks := o.dec.Batch()
	o.dec = nil // its quads are garbage now: a large load needs the memory
	posOf := func(mark int64) Position {
		line := mark >> 20
		f, found := slices.BinarySearch(o.starts, line)
		if !found {
			f--
		}
		return Position{File: o.files[f], Line: int(line - o.starts[f]), Column: int(mark & (1<<20 - 1))}
	}
	recs := make([]Record, 0, b.Len())
	for i := range b.Sources {
		recs = append(recs, Record{Pos: posOf(marks.Sources[i]), Source: &b.Sources[i], own: true})
	}
	for i := range b.References {
		recs = append(recs, Record{Pos: posOf(marks.References[i]), Reference: &b.References[i], own: true})
	}
	for i := range b.Entities {
		recs = append(recs, Record{Pos: posOf(marks.Entities[i]), Entity: &b.Entities[i], own: true})
	}
	for i := range b.Links {
		recs = append(recs, Record{Pos: posOf(marks.Links[i]), Link: &b.Links[i], own: true})
	}
	for i := range b.Relations {
		recs = append(recs, Record{Pos: posOf(marks.Relations[i]), Relation: &b.Relations[i], own: true})
	}
	return recs
}

func firstInvalid(s string) int {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return i
			}
		}
	}
	return len(s)
}

// literal returns the text of a string-like object.
func literal(v quad.Value) (string, bool) {
	switch v := v.(type) {
	case quad.String:
		return string(v), true
	case quad.LangString:
		return string(v.Value), true
	case quad.TypedString:
		return string(v.Value), true
	}
	return "", false
}

// compact turns an IRI into a CURIE when a prefix (or the OBO rule) covers
// it; otherwise the IRI itself is the id.
func compact(iri string, prefixes map[string]string) string {
	best, bestStem := "", ""
	for p, stem := range prefixes {
		if strings.HasPrefix(iri, stem) && len(stem) > len(bestStem) {
			best, bestStem = p, stem
		}
	}
	if bestStem != "" {
		return best + ":" + strings.TrimPrefix(iri, bestStem)
	}
	if local, ok := strings.CutPrefix(iri, oboPrefix); ok {
		if m := oboLocal.FindStringSubmatch(local); m != nil {
			return m[1] + ":" + m[2]
		}
	}
	return iri
}

type termError struct{ term, msg string }

// at places the error at its term in line, which starts at at.
func (e *termError) at(line string, at Position) *ParseError {
	if i := strings.Index(line, e.term); i >= 0 {
		at.Column += utf8.RuneCountInString(line[:i])
	}
	return at.wrap(fmt.Errorf("%w: %w: %s", ErrSyntax, quad.ErrInvalid, e.msg))
}

// checkTerms holds a parsed quad to the N-Quads grammar: IRIs or blank
// nodes as subject and graph, an IRI as predicate, and IRIs without
// spaces or <>"{}|^`\ in them.
func checkTerms(q quad.Quad) *termError {
	iri := func(v quad.Value, role string, bnode, lit bool) *termError {
		switch v := v.(type) {
		case nil:
			return nil
		case quad.IRI:
			if i := strings.IndexAny(string(v), " \t<>\"{}|^`\\"); i >= 0 {
				return &termError{string(v), fmt.Sprintf("%s IRI <%s> holds %q", role, string(v), string(v)[i])}
			}
			return nil
		case quad.BNode:
			if bnode {
				return nil
			}
		default:
			if lit { // every other value is a literal (cayley reads typed ones as Int, Float, ...)
				return nil
			}
		}
		t := quad.ToString(v)
		if len(t) > 40 {
			t = t[:40]
		}
		return &termError{t, fmt.Sprintf("malformed %s %q: want an IRI in <...>", role, t)}
	}
	for _, c := range []struct {
		v           quad.Value
		role        string
		bnode, lits bool
	}{{q.Subject, "subject", true, false}, {q.Predicate, "predicate", false, false}, {q.Object, "object", true, true}, {q.Label, "graph", true, false}} {
		if err := iri(c.v, c.role, c.bnode, c.lits); err != nil {
			return err
		}
	}
	return nil
}
