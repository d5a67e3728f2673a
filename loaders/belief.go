package loaders

import (
	"bytes"
	"errors"
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/leydigkg/leydigkg/graph"
)

// beliefRow is a row of a belief table file.
type beliefRow struct {
	Source         string  `yaml:"source"`
	KnowledgeLevel string  `yaml:"knowledge_level"`
	AgentType      string  `yaml:"agent_type"`
	Hedged         *bool   `yaml:"hedged"`
	Random         float64 `yaml:"random"`
	Systematic     float64 `yaml:"systematic"`
	Why            string  `yaml:"why"`
}

// ReadBeliefTable reads a belief table: a YAML list of rows, each with
// what it matches (source, knowledge_level, agent_type, hedged), its
// random and systematic error rates and why (data/belief/default.yaml is
// the one shipped, and documents the format). Errors are ParseErrors at
// the row or field.
func ReadBeliefTable(f File) (graph.BeliefTable, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(f.Data, &doc); err != nil {
		return nil, &ParseError{File: f.Name, Line: 1, Column: 1, Err: fmt.Errorf("%w: %v", ErrSyntax, err)}
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.SequenceNode {
		return nil, &ParseError{File: f.Name, Line: 1, Column: 1, Err: fmt.Errorf("%w: a belief table is a list of rows", ErrType)}
	}
	at := func(n *yaml.Node, err error) error {
		return &ParseError{File: f.Name, Line: n.Line, Column: n.Column, Err: err}
	}
	var t graph.BeliefTable
	for _, n := range doc.Content[0].Content {
		var r beliefRow
		if err := decodeKnown(n, &r); err != nil {
			return nil, at(n, err)
		}
		row := graph.BeliefRow{Source: r.Source, KnowledgeLevel: graph.KnowledgeLevel(r.KnowledgeLevel),
			AgentType: graph.AgentType(r.AgentType), Hedged: r.Hedged, Random: r.Random, Systematic: r.Systematic, Why: r.Why}
		if err := row.Check(); err != nil {
			return nil, at(n, err)
		}
		t = append(t, row)
	}
	if err := t.Check(); err != nil {
		last := doc.Content[0]
		if len(last.Content) > 0 {
			last = last.Content[len(last.Content)-1]
		}
		return nil, at(last, err)
	}
	return t, nil
}

// decodeKnown decodes a mapping node into v, refusing keys v has no field
// for.
func decodeKnown(n *yaml.Node, v any) error {
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("%w: a row is a mapping (source:, random:, ...)", ErrType)
	}
	out, err := yaml.Marshal(n)
	if err != nil {
		return err
	}
	dec := yaml.NewDecoder(bytes.NewReader(out))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		var te *yaml.TypeError
		if errors.As(err, &te) {
			return fmt.Errorf("%w: %v", ErrUnknownField, te.Errors)
		}
		return fmt.Errorf("%w: %v", ErrType, err)
	}
	return nil
}
