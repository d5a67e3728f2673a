package schema

import "github.com/graphql-go/graphql"

// warmEnums builds the lookup maps that graphql-go v0.8.1 builds lazily,
// without a lock, on an enum's first use (Enum.getValueLookup and
// getNameLookup write a field that concurrent requests read: a data race the
// race detector reports under load). After this every use only reads them.
func warmEnums(s *graphql.Schema) {
	for _, t := range s.TypeMap() {
		e, ok := t.(*graphql.Enum)
		if !ok || len(e.Values()) == 0 {
			continue
		}
		v := e.Values()[0]
		e.Serialize(v.Value)
		e.ParseValue(v.Name)
	}
}
