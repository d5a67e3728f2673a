package schema

import (
	"github.com/graphql-go/graphql"

	"github.com/leydigkg/leydigkg/internal/buildinfo"
)

// BiolinkVersion is the Biolink Model release the predicates and the
// knowledge-level and agent-type enums follow.
const BiolinkVersion = "4.x"

// Meta says what serves the graph: the build and the curated data it
// carries. Meta{} gives this binary's build version and no data version.
type Meta struct {
	Version     string // leydigkg's version and revision (internal/buildinfo); empty: this binary's
	DataVersion string // hash of the curated files compiled in (data.Version); empty when unknown
}

// meta is the answer of the meta query.
type meta struct {
	Meta
	sources int
}

func (b *builder) metaField() *graphql.Field {
	str := graphql.String
	obj := graphql.NewObject(graphql.ObjectConfig{
		Name:        "Meta",
		Description: "What serves this graph: the build, the curated data compiled into it, the Biolink release it follows.",
		Fields: graphql.Fields{
			"version": {Type: nonNull(str), Description: "leydigkg's module version and VCS revision, e.g. \"(devel) (rev 8b371c9d2e41, 2026-12-01T17:00:00Z)\".",
				Resolve: func(p graphql.ResolveParams) (any, error) { return p.Source.(meta).Version, nil }},
			"dataVersion": {Type: str, Description: "A stable hash of the curated files compiled into the binary (\"sha256:…\"): equal for equal curated graphs. Null when unknown.",
				Resolve: func(p graphql.ResolveParams) (any, error) {
					if v := p.Source.(meta).DataVersion; v != "" {
						return v, nil
					}
					return nil, nil
				}},
			"biolinkVersion": {Type: nonNull(str), Description: "The Biolink Model release the predicates, knowledge levels and agent types follow.",
				Resolve: func(p graphql.ResolveParams) (any, error) { return BiolinkVersion, nil }},
			"sources": {Type: nonNull(graphql.Int), Description: "How many sources the graph's evidence comes from (list them with `sources`).",
				Resolve: func(p graphql.ResolveParams) (any, error) { return p.Source.(meta).sources, nil }},
		},
	})
	return &graphql.Field{
		Type:        nonNull(obj),
		Description: "What serves this graph: version, data version, Biolink version and the number of sources.",
		Resolve: func(p graphql.ResolveParams) (any, error) {
			return meta{Meta: b.meta, sources: len(b.store.Sources(p.Context))}, nil
		},
	}
}

// WithDefaults fills an empty Version with this binary's.
func (m Meta) WithDefaults() Meta {
	if m.Version == "" {
		m.Version = buildinfo.Read().String()
	}
	return m
}
