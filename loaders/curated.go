package loaders

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/leydigkg/leydigkg/graph"
)

// File is a named file's contents.
type File struct {
	Name string
	Data []byte
}

// Curated is a set of curated YAML files (the format of data/README.md)
// read into one batch, with the position of every record and field so that
// validation problems can be reported as file:line:col.
type Curated struct {
	Batch graph.Batch
	pos   map[posKey]position
}

type posKey struct {
	record graph.RecordKind
	index  int
	field  string
}

type position struct {
	file      string
	line, col int
}

// ReadCurated parses curated YAML files. It reports every syntax and shape
// problem (not YAML, unknown fields, wrong types) as an ErrorList, and
// returns what it could read all the same; it does not check what the
// records say: that is Check's work.
func ReadCurated(files ...File) (*Curated, error) {
	c := &Curated{pos: map[posKey]position{}}
	var errs ErrorList
	for _, f := range files {
		p := &curatedParser{c: c, file: f.Name}
		p.parse(f.Data)
		errs = append(errs, p.errs...)
	}
	errs.Sort()
	return c, errs.Err()
}

// Check validates the batch with check (graph.CheckBatch, or a Store's
// Check to validate against what a store holds) and returns its problems
// with their positions, or nil.
func (c *Curated) Check(check func(*graph.Batch) graph.Problems) error {
	var errs ErrorList
	for _, p := range check(&c.Batch) {
		errs = append(errs, c.locate(p))
	}
	errs.Sort()
	return errs.Err()
}

// locate finds the position of a problem: its field, else the nearest
// enclosing field, else its record.
func (c *Curated) locate(p graph.Problem) *ParseError {
	field := p.Field
	for {
		if pos, ok := c.pos[posKey{p.Record, p.Index, field}]; ok {
			return &ParseError{File: pos.file, Line: pos.line, Column: pos.col, Err: p.Err}
		}
		if field == "" {
			return &ParseError{File: "?", Line: 0, Column: 0, Err: p}
		}
		if i := strings.LastIndexAny(field, ".["); i > 0 {
			field = field[:i]
		} else {
			field = ""
		}
	}
}

type curatedParser struct {
	c    *Curated
	file string
	errs ErrorList
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

func (p *curatedParser) errorf(n *yaml.Node, err error, format string, args ...any) {
	line, col := 1, 1
	if n != nil {
		line, col = n.Line, n.Column
	}
	p.errs = append(p.errs, &ParseError{File: p.file, Line: line, Column: col, Err: fmt.Errorf("%w: "+format, append([]any{err}, args...)...)})
}

func (p *curatedParser) mark(record graph.RecordKind, index int, field string, n *yaml.Node) {
	p.c.pos[posKey{record, index, field}] = position{p.file, n.Line, n.Column}
}

func (p *curatedParser) parse(data []byte) {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return // an empty file holds no records
		}
		line := 1
		msg := err.Error()
		if m := yamlLine.FindStringSubmatch(msg); m != nil {
			line, _ = strconv.Atoi(m[1])
			msg = m[2]
		} else {
			msg = strings.TrimPrefix(msg, "yaml: ")
		}
		p.errs = append(p.errs, &ParseError{File: p.file, Line: line, Column: 1, Err: fmt.Errorf("%w: %s", ErrSyntax, msg)})
		return
	}
	var more yaml.Node
	if err := dec.Decode(&more); err == nil {
		p.errorf(&more, ErrSyntax, "one YAML document per file, found another")
	}
	root := &doc
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			return
		}
		root = root.Content[0]
	}
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return
	}
	if root.Kind != yaml.MappingNode {
		p.errorf(root, ErrType, "want a mapping with keys sources, references, entities, links, relations")
		return
	}
	p.fields(root, func(key string, v *yaml.Node) bool {
		var each func(n *yaml.Node)
		switch key {
		case "sources":
			each = p.source
		case "references":
			each = p.reference
		case "entities":
			each = p.entity
		case "links":
			each = p.link
		case "relations":
			each = p.relation
		default:
			return false
		}
		if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
			return true
		}
		if v.Kind != yaml.SequenceNode {
			p.errorf(v, ErrType, "%s: want a list of records", key)
			return true
		}
		for _, item := range v.Content {
			if item.Kind != yaml.MappingNode {
				p.errorf(item, ErrType, "%s: want a record (a mapping)", key)
				continue
			}
			each(item)
		}
		return true
	})
}

// fields calls fn for each key of a mapping; fn returns false for an
// unknown key, which is reported. Repeated keys are reported too.
func (p *curatedParser) fields(m *yaml.Node, fn func(key string, v *yaml.Node) bool) {
	seen := map[string]bool{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			p.errorf(k, ErrType, "want a plain key")
			continue
		}
		if v.Kind == yaml.AliasNode {
			v = v.Alias
		}
		if seen[k.Value] {
			p.errorf(k, ErrDuplicateID, "key %q repeated", k.Value)
			continue
		}
		seen[k.Value] = true
		if !fn(k.Value, v) {
			p.errorf(k, ErrUnknownField, "%q", k.Value)
		}
	}
}

func (p *curatedParser) str(field string, v *yaml.Node) string {
	switch {
	case v.Kind == yaml.ScalarNode && v.Tag == "!!null":
		return ""
	case v.Kind == yaml.ScalarNode:
		return v.Value
	}
	p.errorf(v, ErrType, "%s: want text", field)
	return ""
}

func (p *curatedParser) strs(record graph.RecordKind, index int, field string, v *yaml.Node) []string {
	if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		p.errorf(v, ErrType, "%s: want a list", field)
		return nil
	}
	out := make([]string, 0, len(v.Content))
	for i, item := range v.Content {
		f := fmt.Sprintf("%s[%d]", field, i)
		p.mark(record, index, f, item)
		out = append(out, p.str(f, item))
	}
	return out
}

func (p *curatedParser) source(n *yaml.Node) {
	i := len(p.c.Batch.Sources)
	p.c.Batch.Sources = append(p.c.Batch.Sources, graph.Source{})
	s := &p.c.Batch.Sources[i]
	p.mark(graph.SourceRecord, i, "", n)
	p.fields(n, func(key string, v *yaml.Node) bool {
		p.mark(graph.SourceRecord, i, key, v)
		switch key {
		case "id":
			s.ID = p.str(key, v)
		case "title":
			s.Title = p.str(key, v)
		case "description":
			s.Description = p.str(key, v)
		case "url":
			s.URL = p.str(key, v)
		case "version":
			s.Version = p.str(key, v)
		case "license":
			s.License = p.str(key, v)
		default:
			return false
		}
		return true
	})
}

func (p *curatedParser) reference(n *yaml.Node) {
	i := len(p.c.Batch.References)
	p.c.Batch.References = append(p.c.Batch.References, graph.Reference{})
	r := &p.c.Batch.References[i]
	p.mark(graph.ReferenceRecord, i, "", n)
	p.fields(n, func(key string, v *yaml.Node) bool {
		p.mark(graph.ReferenceRecord, i, key, v)
		switch key {
		case "id":
			r.ID = p.str(key, v)
		case "citation":
			r.Citation = p.str(key, v)
		case "authors":
			r.Authors = p.strs(graph.ReferenceRecord, i, key, v)
		case "title":
			r.Title = p.str(key, v)
		case "journal":
			r.Journal = p.str(key, v)
		case "year":
			y, err := strconv.Atoi(p.str(key, v))
			if err != nil || v.Tag != "!!int" {
				p.errorf(v, ErrType, "year: want a whole number, not %q", v.Value)
			}
			r.Year = y
		case "as_cited":
			r.AsCited = p.str(key, v)
		case "volume":
			r.Volume = p.str(key, v)
		case "pages":
			r.Pages = p.str(key, v)
		case "doi":
			r.DOI = p.str(key, v)
		case "pmid":
			r.PMID = p.str(key, v)
		case "note":
			r.Note = p.str(key, v)
		default:
			return false
		}
		return true
	})
}

func (p *curatedParser) entity(n *yaml.Node) {
	i := len(p.c.Batch.Entities)
	p.c.Batch.Entities = append(p.c.Batch.Entities, graph.Entity{})
	e := &p.c.Batch.Entities[i]
	p.mark(graph.EntityRecord, i, "", n)
	p.fields(n, func(key string, v *yaml.Node) bool {
		p.mark(graph.EntityRecord, i, key, v)
		switch key {
		case "id":
			e.ID = p.str(key, v)
		case "name":
			e.Name = p.str(key, v)
		case "kind":
			e.Kind = graph.Kind(p.str(key, v))
		case "description":
			e.Description = p.str(key, v)
		case "synonyms":
			e.Synonyms = p.strs(graph.EntityRecord, i, key, v)
		case "xrefs":
			e.Xrefs = p.strs(graph.EntityRecord, i, key, v)
		case "aliases":
			e.Aliases = p.strs(graph.EntityRecord, i, key, v)
		default:
			return false
		}
		return true
	})
}

func (p *curatedParser) link(n *yaml.Node) {
	i := len(p.c.Batch.Links)
	p.c.Batch.Links = append(p.c.Batch.Links, graph.Link{})
	l := &p.c.Batch.Links[i]
	p.mark(graph.LinkRecord, i, "", n)
	p.fields(n, func(key string, v *yaml.Node) bool {
		p.mark(graph.LinkRecord, i, key, v)
		switch key {
		case "id":
			l.ID = p.str(key, v)
		case "subject":
			l.Subject = p.str(key, v)
		case "object":
			l.Object = p.str(key, v)
		case "effect":
			l.Effect = graph.Effect(p.str(key, v))
		case "predicate":
			l.Predicate = p.str(key, v)
		case "mechanism":
			l.Mechanism = p.str(key, v)
		case "confidence":
			p.errorf(v, ErrInvalidValue, "confidence: a link's confidence is its belief, computed from its evidence (data/belief/default.yaml); say what the evidence is instead (knowledge_level, agent_type)")
		case "shortcut_of":
			l.ShortcutOf = p.chains(i, key, v)
		case "aliases":
			l.Aliases = p.strs(graph.LinkRecord, i, key, v)
		case "evidence":
			l.Evidence = p.evidenceList(graph.LinkRecord, i, v)
		default:
			return false
		}
		return true
	})
}

// chains reads a list of lists of entity ids (a link's shortcut_of).
func (p *curatedParser) chains(link int, field string, v *yaml.Node) [][]string {
	if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		p.errorf(v, ErrType, "%s: want a list of chains, each a list of entity ids", field)
		return nil
	}
	out := make([][]string, 0, len(v.Content))
	for j, item := range v.Content {
		f := fmt.Sprintf("%s[%d]", field, j)
		p.mark(graph.LinkRecord, link, f, item)
		out = append(out, p.strs(graph.LinkRecord, link, f, item))
	}
	return out
}

func (p *curatedParser) relation(n *yaml.Node) {
	i := len(p.c.Batch.Relations)
	p.c.Batch.Relations = append(p.c.Batch.Relations, graph.Relation{})
	r := &p.c.Batch.Relations[i]
	p.mark(graph.RelationRecord, i, "", n)
	p.fields(n, func(key string, v *yaml.Node) bool {
		p.mark(graph.RelationRecord, i, key, v)
		switch key {
		case "subject":
			r.Subject = p.str(key, v)
		case "predicate":
			r.Predicate = p.str(key, v)
		case "object":
			r.Object = p.str(key, v)
		case "note":
			r.Note = p.str(key, v)
		case "evidence":
			r.Evidence = p.evidenceList(graph.RelationRecord, i, v)
		default:
			return false
		}
		return true
	})
}

// evidenceList reads the evidence items of a link or relation.
func (p *curatedParser) evidenceList(record graph.RecordKind, i int, v *yaml.Node) []graph.Evidence {
	if v.Kind != yaml.SequenceNode {
		if !(v.Kind == yaml.ScalarNode && v.Tag == "!!null") {
			p.errorf(v, ErrType, "evidence: want a list")
		}
		return nil
	}
	evs := make([]graph.Evidence, 0, len(v.Content))
	for j, item := range v.Content {
		evs = append(evs, p.evidence(record, i, fmt.Sprintf("evidence[%d]", j), item))
	}
	return evs
}

func (p *curatedParser) evidence(record graph.RecordKind, link int, field string, n *yaml.Node) graph.Evidence {
	var ev graph.Evidence
	p.mark(record, link, field, n)
	if n.Kind != yaml.MappingNode {
		p.errorf(n, ErrType, "%s: want a record with quote, section, source, references", field)
		return ev
	}
	p.fields(n, func(key string, v *yaml.Node) bool {
		f := field + "." + key
		p.mark(record, link, f, v)
		switch key {
		case "quote":
			ev.Quote = p.str(f, v)
		case "section":
			ev.Section = p.str(f, v)
		case "source":
			ev.Source = p.str(f, v)
		case "references":
			ev.References = p.strs(record, link, f, v)
		case "publications":
			ev.Publications = p.strs(record, link, f, v)
		case "knowledge_level":
			ev.KnowledgeLevel = graph.KnowledgeLevel(p.str(f, v))
		case "agent_type":
			ev.AgentType = graph.AgentType(p.str(f, v))
		case "reasoning":
			ev.Reasoning = p.str(f, v)
		default:
			return false
		}
		return true
	})
	// Curated by hand, and stated by its quote unless it says otherwise.
	if ev.KnowledgeLevel == "" {
		ev.KnowledgeLevel = graph.KnowledgeAssertion
	}
	if ev.AgentType == "" {
		ev.AgentType = graph.ManualAgent
	}
	return ev
}
