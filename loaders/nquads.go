package loaders

import (
	"errors"
	"fmt"
	"io"
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
	lr := newLineReader(r)
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
}

type nqNode struct {
	pos         Position
	label       string
	synonyms    []string
	description string
	categories  []string
	used        bool
}

// NewNQuadsReader reads N-Quads or N-Triples with cayley's parser
// (github.com/cayleygraph/quad/nquads), one line at a time so that every
// problem has its line and column.
func NewNQuadsReader(name string, r io.Reader, opts Options) (RecordReader, error) {
	opts = opts.withDefaults()
	preds := map[string]PredicateMapping{}
	for k, v := range DefaultPredicateMap {
		preds[k] = v
	}
	for k, v := range opts.Predicates {
		preds[k] = v
	}
	out := &nquadsReader{}
	lr := newLineReader(r)
	own := opts.ownQuads
	if own == nil {
		own = &ownQuads{}
	}
	file, lines := own.file(name)
	var qp quadParser
	defer func() { lines(lr.line) }()
	nodes := map[string]*nqNode{}
	var order []string
	node := func(id string, at Position) *nqNode {
		n := nodes[id]
		if n == nil {
			n = &nqNode{pos: at}
			nodes[id] = n
			order = append(order, id)
		}
		return n
	}
	source := opts.sourceFor(name)
	for {
		raw, tooLong, err := lr.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		at := Position{File: name, Line: lr.line, Column: 1}
		if tooLong {
			out.errs = append(out.errs, at.errorf(ErrSyntax, "line longer than %d bytes", maxLine))
			continue
		}
		line := strings.TrimLeft(string(raw), " \t")
		indent := len(raw) - len(line) // spaces and tabs: one byte, one column
		if t := strings.TrimSpace(line); t == "" || t[0] == '#' {
			continue
		}
		at.Column = indent + 1
		if !utf8.ValidString(line) {
			col := indent + 1 + utf8.RuneCountInString(line[:firstInvalid(line)])
			out.errs = append(out.errs, &ParseError{File: name, Line: at.Line, Column: col, Err: fmt.Errorf("%w: not valid UTF-8", ErrSyntax)})
			continue
		}
		q, err := qp.parse(line)
		if err != nil {
			// The parser words its errors with %v; keep its text, wrap
			// our sentinel and quad's, and turn "at N" into a column.
			col := at.Column
			msg := err.Error()
			if m := parseAtRe.FindStringSubmatch(msg); m != nil {
				n, _ := strconv.Atoi(m[1])
				col = indent + n + 1
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
			out.errs = append(out.errs, &ParseError{File: name, Line: at.Line, Column: col, Err: fmt.Errorf("%w: %w%s", ErrSyntax, sentinel, msg)})
			continue
		}
		if !q.IsValid() {
			out.errs = append(out.errs, at.errorf(ErrSyntax, "%w: a quad needs a subject, a predicate and an object", quad.ErrInvalid))
			continue
		}
		if err := checkTerms(q); err != nil {
			// cayley's parser lets some malformed terms through (an IRI
			// with a space reads as two plain words): refuse them.
			col := at.Column
			if i := strings.Index(line, err.term); i >= 0 {
				col = indent + utf8.RuneCountInString(line[:i]) + 1
			}
			out.errs = append(out.errs, &ParseError{File: name, Line: at.Line, Column: col, Err: fmt.Errorf("%w: %w: %s", ErrSyntax, quad.ErrInvalid, err.msg)})
			continue
		}
		if layout.IsOwnIRI(q.Subject) {
			own.add(q, file, at)
			if opts.own != nil && (len(out.errs) == 0 || opts.SkipInvalid) {
				opts.own(q)
			}
			continue
		}
		pred, _ := q.Predicate.(quad.IRI)
		subj, okS := q.Subject.(quad.IRI)
		if m, ok := preds[string(pred)]; ok {
			obj, okO := q.Object.(quad.IRI)
			if !okS || !okO {
				out.errs = append(out.errs, at.errorf(ErrType, "a %s link needs IRIs at both ends, not %s and %s", pred, q.Subject, q.Object))
				continue
			}
			s, o := compact(string(subj), opts.Prefixes), compact(string(obj), opts.Prefixes)
			node(s, at).used = true
			node(o, at).used = true
			out.recs = append(out.recs, Record{Pos: at, ByName: true, Link: &graph.Link{
				Subject: s, Object: o, Effect: m.Effect, Predicate: m.Predicate,
				Confidence: opts.Confidence, KnowledgeSource: source,
			}})
			continue
		}
		if !okS {
			out.recs = append(out.recs, Record{Pos: at, Ignored: true})
			continue
		}
		text, isText := literal(q.Object)
		s := compact(string(subj), opts.Prefixes)
		switch {
		case pred == rdfsLabel && isText, pred == skosPrefLabel && isText:
			n := node(s, at)
			if n.label == "" {
				n.label = text
			} else if text != n.label {
				n.synonyms = append(n.synonyms, text)
			}
		case (pred == skosAltLabel || pred == exactSynonym) && isText:
			n := node(s, at)
			n.synonyms = append(n.synonyms, text)
		case pred == dcDescription && isText:
			node(s, at).description = text
		case pred == rdfType:
			if t, ok := q.Object.(quad.IRI); ok && strings.HasPrefix(string(t), biolinkVocab) {
				n := node(s, at)
				n.categories = append(n.categories, "biolink:"+strings.TrimPrefix(string(t), biolinkVocab))
				continue
			}
			out.recs = append(out.recs, Record{Pos: at, Ignored: true})
		default:
			out.recs = append(out.recs, Record{Pos: at, Ignored: true})
		}
	}
	for _, id := range order {
		n := nodes[id]
		if !n.used {
			continue // named but in no link: not part of the causal graph
		}
		e := &graph.Entity{ID: id, Name: n.label, Description: n.description, Kind: opts.Kind, Synonyms: n.synonyms, Categories: n.categories}
		if e.Name == "" {
			e.Name = id
		}
		for _, c := range n.categories {
			if k, ok := graph.CategoryKinds[c]; ok {
				e.Kind = k
				break
			}
		}
		out.recs = append(out.recs, Record{Pos: n.pos, Entity: e, Implicit: true})
	}
	if opts.ownQuads == nil { // on its own, not in a Loader: this file's records
		out.recs = append(out.recs, own.records()...)
	}
	return out, nil
}

// ownQuads gathers the quads of the store's own layout from every N-Quads
// file of a load, so that a record may span files (an export cut in two),
// and turns them into records once all are read. A quad's mark is its line
// counted across all the files, and its column: line<<20 | column.
type ownQuads struct {
	dec    *layout.Decoder
	files  []string
	starts []int64 // the first line of each file, counted across files
	next   int64   // the first line of the next file
}

// file starts a file; end it with lines, the number it had.
func (o *ownQuads) file(name string) (file int, lines func(int)) {
	o.files = append(o.files, name)
	o.starts = append(o.starts, o.next)
	return len(o.files) - 1, func(n int) { o.next += int64(n) + 1 }
}

// add feeds one quad, marked with where it was read.
func (o *ownQuads) add(q quad.Quad, file int, at Position) {
	if o.dec == nil {
		o.dec = layout.NewDecoder()
	}
	o.dec.AddAt(q, (o.starts[file]+int64(at.Line))<<20|int64(min(at.Column, 1<<20-1)))
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
	recs := make([]Record, 0, len(b.Sources)+len(b.References)+len(b.Entities)+len(b.Links))
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
