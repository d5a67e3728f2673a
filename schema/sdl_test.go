package schema_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/graphql-go/graphql"
	"github.com/graphql-go/graphql/language/ast"
	"github.com/graphql-go/graphql/language/parser"

	"github.com/leydigkg/leydigkg/schema"
)

// sdlFile is the schema as SDL, committed for client generators.
const sdlFile = "schema.graphql"

// TestSDLCommitted fails when schema.graphql is not what the schema prints:
// regenerate it with go run ./cmd/leydigkg schema > schema/schema.graphql
// (or go test ./schema -run TestSDLCommitted -update).
func TestSDLCommitted(t *testing.T) {
	sc, err := schema.New(curated(t))
	if err != nil {
		t.Fatal(err)
	}
	got := schema.SDL(&sc)
	if *update {
		if err := os.WriteFile(sdlFile, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(sdlFile)
	if err != nil {
		t.Fatalf("%v; generate it: go run ./cmd/leydigkg schema > schema/schema.graphql", err)
	}
	if got != string(want) {
		line := 1
		for i := 0; i < min(len(got), len(want)); i++ {
			if got[i] != want[i] {
				break
			}
			if got[i] == '\n' {
				line++
			}
		}
		t.Errorf("schema/schema.graphql is stale (first difference on line %d); regenerate it: go run ./cmd/leydigkg schema > schema/schema.graphql", line)
	}
}

// TestSDLFaithful parses the printed SDL and checks it against the schema:
// every type, every field of every object, input and enum, with its
// arguments and type, and every description.
func TestSDLFaithful(t *testing.T) {
	sc, err := schema.New(curated(t))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := parser.Parse(parser.ParseParams{Source: schema.SDL(&sc)})
	if err != nil {
		t.Fatalf("the SDL does not parse: %v", err)
	}
	type def struct {
		desc   string
		fields map[string]string // field -> "(args) Type" or value name
		descs  map[string]string
	}
	defs := map[string]def{}
	desc := func(s *ast.StringValue) string {
		if s == nil {
			return ""
		}
		return s.Value
	}
	for _, n := range doc.Definitions {
		switch d := n.(type) {
		case *ast.ObjectDefinition:
			x := def{desc(d.Description), map[string]string{}, map[string]string{}}
			for _, f := range d.Fields {
				var args []string
				for _, a := range f.Arguments {
					args = append(args, a.Name.Value+":"+typeString(a.Type))
					x.descs[f.Name.Value+"."+a.Name.Value] = desc(a.Description)
				}
				slices.Sort(args)
				x.fields[f.Name.Value] = "(" + strings.Join(args, ",") + ")" + typeString(f.Type)
				x.descs[f.Name.Value] = desc(f.Description)
			}
			defs[d.Name.Value] = x
		case *ast.InputObjectDefinition:
			x := def{desc(d.Description), map[string]string{}, map[string]string{}}
			for _, f := range d.Fields {
				x.fields[f.Name.Value] = typeString(f.Type)
				x.descs[f.Name.Value] = desc(f.Description)
			}
			defs[d.Name.Value] = x
		case *ast.EnumDefinition:
			x := def{desc(d.Description), map[string]string{}, map[string]string{}}
			for _, v := range d.Values {
				x.fields[v.Name.Value] = v.Name.Value
				x.descs[v.Name.Value] = desc(v.Description)
			}
			defs[d.Name.Value] = x
		case *ast.ScalarDefinition:
			defs[d.Name.Value] = def{desc: desc(d.Description)}
		}
	}
	checked := 0
	for name, typ := range sc.TypeMap() {
		if strings.HasPrefix(name, "__") || map[string]bool{"String": true, "Int": true, "Float": true, "Boolean": true, "ID": true}[name] {
			continue
		}
		got, ok := defs[name]
		if !ok {
			t.Errorf("type %s is missing from the SDL", name)
			continue
		}
		if got.desc != typ.Description() {
			t.Errorf("%s: description %q, want %q", name, got.desc, typ.Description())
		}
		want := def{fields: map[string]string{}, descs: map[string]string{}}
		switch x := typ.(type) {
		case *graphql.Object:
			for fname, f := range x.Fields() {
				var args []string
				for _, a := range f.Args {
					args = append(args, a.Name()+":"+a.Type.String())
					want.descs[fname+"."+a.Name()] = a.Description()
				}
				slices.Sort(args)
				want.fields[fname] = "(" + strings.Join(args, ",") + ")" + f.Type.String()
				want.descs[fname] = f.Description
			}
		case *graphql.InputObject:
			for fname, f := range x.Fields() {
				want.fields[fname] = f.Type.String()
				want.descs[fname] = f.Description()
			}
		case *graphql.Enum:
			for _, v := range x.Values() {
				want.fields[v.Name] = v.Name
				want.descs[v.Name] = v.Description
			}
		default:
			continue
		}
		for k, v := range want.fields {
			checked++
			if got.fields[k] != v {
				t.Errorf("%s.%s: %q in the SDL, want %q", name, k, got.fields[k], v)
			}
		}
		for k, v := range want.descs { // fields' and arguments' descriptions
			if got.descs[k] != v {
				t.Errorf("%s.%s: description %q in the SDL, want %q", name, k, got.descs[k], v)
			}
		}
		if len(got.fields) != len(want.fields) {
			t.Errorf("%s: %d fields in the SDL, want %d", name, len(got.fields), len(want.fields))
		}
	}
	if checked < 100 {
		t.Errorf("only %d fields checked", checked)
	}
}

func typeString(t ast.Type) string {
	switch t := t.(type) {
	case *ast.NonNull:
		return typeString(t.Type) + "!"
	case *ast.List:
		return "[" + typeString(t.Type) + "]"
	case *ast.Named:
		return t.Name.Value
	}
	return "?"
}
