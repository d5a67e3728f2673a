package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/leydigkg/leydigkg/kg"
	"github.com/leydigkg/leydigkg/schema"
)

// schemaCmd prints the GraphQL schema as SDL: the text committed as
// schema/schema.graphql, for client generators.
func schemaCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("schema", stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: leydigkg schema\n\nPrints the GraphQL schema that 'leydigkg serve' answers, in the schema definition\nlanguage (SDL), mutations included: the file schema/schema.graphql, for generating\ntyped clients (see docs/clients.md).\n")
	}
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError{fmt.Errorf("takes no arguments, got %q", pos)}
	}
	// The schema does not depend on the graph: an empty store has every
	// field, and a writable one the mutations.
	store, err := kg.Open(ctx, "memory")
	if err != nil {
		return err
	}
	defer store.Close()
	s, err := schema.New(store)
	if err != nil {
		return err
	}
	_, err = io.WriteString(stdout, schema.SDL(&s))
	return err
}
