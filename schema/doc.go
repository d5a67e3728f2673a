// Package schema is leydigkg's GraphQL API, built with graphql-go over any
// Store (a *kg.Store has every method it needs):
//
//	s, err := schema.New(store)
//	res := graphql.Do(graphql.Params{Schema: s, RequestString: `{ stats { entities links } }`, Context: ctx})
//
// Resolver errors carry extensions.code (NOT_FOUND, BAD_USER_INPUT, ...);
// FormatError gives the rest (parse and validation errors) a code too.
//
// When the store is also a Writer the schema has mutations (addEntity,
// addLink, addEvidence, removeLink, removeEntity); they run only under a
// context marked by WithWrites. Guard and CheckLength measure a document
// before it is validated (depth, aliases, fields, length, estimated cost)
// and refuse it with LIMIT_EXCEEDED: run them first, since some of
// graphql-go's validation rules are quadratic and one overflows the stack on
// a fragment cycle.
package schema
