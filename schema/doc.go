// Package schema is leydigkg's GraphQL API, built with graphql-go over any
// Store (a *graph.Store has every method it needs):
//
//	s, err := schema.New(store)
//	res := graphql.Do(graphql.Params{Schema: s, RequestString: `{ stats { entities links } }`, Context: ctx})
//
// Resolver errors carry extensions.code (NOT_FOUND, BAD_USER_INPUT, ...);
// FormatError gives the rest (parse and validation errors) a code too.
package schema
