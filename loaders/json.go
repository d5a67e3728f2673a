package loaders

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"regexp"
	"strings"

	"github.com/leydigkg/leydigkg/graph"
)

// NewJSONReader reads the JSON document export --format json writes: one
// object whose keys sources, references, entities, links and relations
// each hold a list of records, in the graph package's JSON form. Each
// record's position is its opening brace; an unknown field is an error
// at its key, and so a file from another tool is refused rather than
// half read. The file is read whole, within the limits of curated YAML.
func NewJSONReader(name string, r io.Reader, opts Options) (RecordReader, error) {
	data, err := readYAML(name, dropBOM(r), opts.Limits.withDefaults())
	var pe *ParseError
	if errors.As(err, &pe) {
		return &sliceReader{errs: ErrorList{pe}}, nil
	}
	if err != nil {
		return nil, err
	}
	p := &jsonParser{file: name, data: data, out: &sliceReader{}, cur: cursor{1, 1}}
	if err := p.document(); err != nil {
		return &sliceReader{errs: ErrorList{err}}, nil
	}
	return p.out, nil
}

type jsonParser struct {
	file string
	data []byte
	out  *sliceReader
	last int64  // the offset cur is at
	cur  cursor // the position of data[last]
}

// at is the position of byte offset off of the file. Records come in
// the file's order: it goes on from the last offset asked, so that a
// file's positions cost one pass, not one per record.
func (p *jsonParser) at(off int64) Position {
	off = min(max(off, 0), int64(len(p.data)))
	if off < p.last {
		p.last, p.cur = 0, cursor{1, 1}
	}
	p.cur.advance(p.data[p.last:off])
	p.last = off
	return Position{File: p.file, Line: p.cur.line, Column: p.cur.col}
}

// start skips the white space, commas and colons from off to where the
// next JSON value (or key) begins: json.Decoder's InputOffset stops after
// the last token, before them.
func (p *jsonParser) start(off int64) int64 {
	for off < int64(len(p.data)) {
		switch p.data[off] {
		case ' ', '\t', '\r', '\n', ',', ':':
			off++
		default:
			return off
		}
	}
	return off
}

// syntax turns a decoder's error into a syntax error at its position;
// end is where the input ends, for an error at its end.
func (p *jsonParser) syntax(err error, end int64) *ParseError {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		return p.at(max(se.Offset-1, 0)).errorf(ErrSyntax, "%s", se.Error())
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return p.at(end).errorf(ErrSyntax, "unexpected end of JSON input")
	}
	return p.at(end).errorf(ErrSyntax, "%s", err.Error())
}

// document reads the top-level object: its lists of records go to p.out,
// a record's own problems to p.out.errs; the error returned is one that
// ends the file (bad syntax, not an object).
func (p *jsonParser) document() *ParseError {
	end := int64(len(p.data))
	// The syntax first, as one value: a Decoder's syntax errors have
	// their offset in the file only when nothing was read before.
	var whole json.RawMessage
	if err := json.NewDecoder(bytes.NewReader(p.data)).Decode(&whole); err == io.EOF {
		return nil // an empty file holds no records
	} else if err != nil {
		return p.syntax(err, end)
	}
	dec := json.NewDecoder(bytes.NewReader(p.data))
	tok, err := dec.Token()
	if err != nil {
		return p.syntax(err, end)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return p.at(p.start(0)).errorf(ErrType, "want an object with keys sources, references, entities, links, relations")
	}
	seen := map[string]bool{}
	for dec.More() {
		keyAt := p.start(dec.InputOffset())
		tok, err := dec.Token()
		if err != nil {
			return p.syntax(err, end)
		}
		key, _ := tok.(string)
		valAt := p.start(dec.InputOffset())
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return p.syntax(err, end)
		}
		switch {
		case seen[key]:
			p.out.errs = append(p.out.errs, p.at(keyAt).errorf(ErrDuplicateID, "key %q repeated", key))
		case !jsonKinds[key]:
			p.out.errs = append(p.out.errs, p.at(keyAt).errorf(ErrUnknownField, "%q", key))
		default:
			p.list(key, valAt, raw)
		}
		seen[key] = true
	}
	if _, err := dec.Token(); err != nil {
		return p.syntax(err, end)
	}
	off := dec.InputOffset()
	if _, err := dec.Token(); err != io.EOF {
		return p.at(p.start(off)).errorf(ErrSyntax, "one JSON document per file, found more after it")
	}
	return nil
}

var jsonKinds = map[string]bool{"sources": true, "references": true, "entities": true, "links": true, "relations": true}

// list reads the records of one key, whose value raw starts at byte base.
func (p *jsonParser) list(key string, base int64, raw json.RawMessage) {
	if string(raw) == "null" {
		return
	}
	if raw[0] != '[' {
		p.out.errs = append(p.out.errs, p.at(base).errorf(ErrType, "%s: want a list of records", key))
		return
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.Token() // '[': raw is a valid array
	for dec.More() {
		at := base + p.startIn(raw, dec.InputOffset())
		var item json.RawMessage
		dec.Decode(&item) // raw is valid JSON
		rec, err := p.record(key, at, item)
		if err != nil {
			p.out.errs = append(p.out.errs, err)
			continue
		}
		p.out.recs = append(p.out.recs, rec)
	}
}

// startIn is start within raw rather than the file.
func (p *jsonParser) startIn(raw []byte, off int64) int64 {
	q := jsonParser{data: raw}
	return q.start(off)
}

// record decodes one record of kind key that starts at byte at.
func (p *jsonParser) record(key string, at int64, item json.RawMessage) (Record, *ParseError) {
	rec := Record{Pos: p.at(at), complete: true}
	if item[0] != '{' {
		return rec, rec.Pos.errorf(ErrType, "%s: want a record (an object)", key)
	}
	var v any
	switch key {
	case "sources":
		rec.Source = &graph.Source{}
		v = rec.Source
	case "references":
		rec.Reference = &graph.Reference{}
		v = rec.Reference
	case "entities":
		rec.Entity = &graph.Entity{}
		v = rec.Entity
	case "links":
		rec.Link = &graph.Link{}
		v = rec.Link
	case "relations":
		rec.Relation = &graph.Relation{}
		v = rec.Relation
	}
	dec := json.NewDecoder(bytes.NewReader(item))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return rec, p.fieldError(at, item, err)
	}
	if rec.Link != nil {
		// A link's confidence is its belief, computed from its evidence
		// when it is stored: what an export says of it is not content.
		rec.Link.Confidence = 0
	}
	return rec, nil
}

var unknownField = regexp.MustCompile(`^json: unknown field "(.*)"$`)

// fieldError places a record's decoding error: an unknown field at its
// key, a value of the wrong type at the value.
func (p *jsonParser) fieldError(at int64, item []byte, err error) *ParseError {
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &te):
		// At the key of the field, the last part of its path.
		name := te.Field[strings.LastIndexByte(te.Field, '.')+1:]
		return p.at(at+keyOffset(item, name)).errorf(ErrType, "%s: want %s, not %s", te.Field, te.Type, te.Value)
	case unknownField.MatchString(err.Error()):
		name := unknownField.FindStringSubmatch(err.Error())[1]
		return p.at(at+keyOffset(item, name)).errorf(ErrUnknownField, "%q", name)
	}
	return p.at(at).errorf(ErrType, "%s", err.Error())
}

// keyOffset is where the first key name stands in a record's JSON (its
// opening quote), or 0 when it is not found.
func keyOffset(item []byte, name string) int64 {
	in := jsonParser{data: item}
	dec := json.NewDecoder(bytes.NewReader(item))
	for {
		off := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return 0
		}
		// A key is a string followed by a colon.
		if s, ok := tok.(string); ok && s == name {
			if end := dec.InputOffset(); skipSpace(item, end) < len(item) && item[skipSpace(item, end)] == ':' {
				return in.start(off)
			}
		}
	}
}

func skipSpace(b []byte, off int64) int {
	i := int(off)
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return i
}
