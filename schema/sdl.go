package schema

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/graphql-go/graphql"
)

// SDL prints s in the GraphQL schema definition language: its directives
// (those not built in), then every named type but the introspection types
// and the built-in scalars, sorted by name, each with its description,
// fields, arguments, default values and deprecations. Fields, arguments
// and enum values are sorted by name, so the output is the same on every
// run (graphql-go keeps them in maps). It is the text committed as
// schema/schema.graphql, for client generators; graphql-go v0.8.1 has no
// schema printer of its own.
func SDL(s *graphql.Schema) string {
	var b strings.Builder
	if q, m := s.QueryType(), s.MutationType(); (q != nil && q.Name() != "Query") || (m != nil && m.Name() != "Mutation") {
		b.WriteString("schema {\n")
		if q != nil {
			fmt.Fprintf(&b, "  query: %s\n", q.Name())
		}
		if m != nil {
			fmt.Fprintf(&b, "  mutation: %s\n", m.Name())
		}
		b.WriteString("}\n\n")
	}
	for _, d := range s.Directives() {
		if builtinDirectives[d.Name] {
			continue
		}
		description(&b, d.Description, "")
		fmt.Fprintf(&b, "directive @%s%s on %s\n\n", d.Name, arguments(d.Args, ""), strings.Join(d.Locations, " | "))
	}
	tm := s.TypeMap()
	names := make([]string, 0, len(tm))
	for name := range tm {
		if strings.HasPrefix(name, "__") || builtinScalars[name] {
			continue
		}
		names = append(names, name)
	}
	slices.Sort(names)
	for i, name := range names {
		if i > 0 {
			b.WriteString("\n")
		}
		printType(&b, tm[name])
	}
	return b.String()
}

var builtinScalars = map[string]bool{"String": true, "Int": true, "Float": true, "Boolean": true, "ID": true}

var builtinDirectives = map[string]bool{"include": true, "skip": true, "deprecated": true, "specifiedBy": true}

func printType(b *strings.Builder, t graphql.Type) {
	description(b, t.Description(), "")
	switch t := t.(type) {
	case *graphql.Scalar:
		fmt.Fprintf(b, "scalar %s\n", t.Name())
	case *graphql.Enum:
		fmt.Fprintf(b, "enum %s {\n", t.Name())
		vals := slices.Clone(t.Values())
		slices.SortFunc(vals, func(a, b *graphql.EnumValueDefinition) int { return strings.Compare(a.Name, b.Name) })
		for _, v := range vals {
			description(b, v.Description, "  ")
			fmt.Fprintf(b, "  %s%s\n", v.Name, deprecated(v.DeprecationReason))
		}
		b.WriteString("}\n")
	case *graphql.InputObject:
		fmt.Fprintf(b, "input %s {\n", t.Name())
		fields := t.Fields()
		for _, name := range sortedKeys(fields) {
			f := fields[name]
			description(b, f.Description(), "  ")
			fmt.Fprintf(b, "  %s: %s%s\n", name, f.Type.String(), defaultValue(f.Type, f.DefaultValue))
		}
		b.WriteString("}\n")
	case *graphql.Object:
		fmt.Fprintf(b, "type %s%s {\n", t.Name(), implements(t.Interfaces()))
		printFields(b, t.Fields())
		b.WriteString("}\n")
	case *graphql.Interface:
		fmt.Fprintf(b, "interface %s {\n", t.Name())
		printFields(b, t.Fields())
		b.WriteString("}\n")
	case *graphql.Union:
		members := make([]string, len(t.Types()))
		for i, o := range t.Types() {
			members[i] = o.Name()
		}
		fmt.Fprintf(b, "union %s = %s\n", t.Name(), strings.Join(members, " | "))
	}
}

func implements(is []*graphql.Interface) string {
	if len(is) == 0 {
		return ""
	}
	names := make([]string, len(is))
	for i, x := range is {
		names[i] = x.Name()
	}
	return " implements " + strings.Join(names, " & ")
}

func printFields(b *strings.Builder, fields graphql.FieldDefinitionMap) {
	for _, name := range sortedKeys(fields) {
		f := fields[name]
		description(b, f.Description, "  ")
		fmt.Fprintf(b, "  %s%s: %s%s\n", name, arguments(f.Args, "  "), f.Type.String(), deprecated(f.DeprecationReason))
	}
}

// arguments prints an argument list: on one line when no argument has a
// description, else one argument a line, each under its description.
func arguments(args []*graphql.Argument, indent string) string {
	if len(args) == 0 {
		return ""
	}
	args = slices.Clone(args)
	slices.SortFunc(args, func(a, b *graphql.Argument) int { return strings.Compare(a.Name(), b.Name()) })
	described := slices.ContainsFunc(args, func(a *graphql.Argument) bool { return a.Description() != "" })
	var b strings.Builder
	b.WriteString("(")
	for i, a := range args {
		arg := a.Name() + ": " + a.Type.String() + defaultValue(a.Type, a.DefaultValue)
		if !described {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(arg)
			continue
		}
		b.WriteString("\n")
		description(&b, a.Description(), indent+"  ")
		b.WriteString(indent + "  " + arg)
	}
	if described {
		b.WriteString("\n" + indent)
	}
	b.WriteString(")")
	return b.String()
}

// defaultValue prints " = value" for a default, "" for none.
func defaultValue(t graphql.Input, v any) string {
	if v == nil {
		return ""
	}
	return " = " + literal(t, v)
}

// literal prints a Go value as a GraphQL literal of type t.
func literal(t graphql.Input, v any) string {
	switch x := t.(type) {
	case *graphql.NonNull:
		return literal(x.OfType, v)
	case *graphql.List:
		items, ok := v.([]any)
		if !ok {
			return literal(x.OfType, v)
		}
		parts := make([]string, len(items))
		for i, item := range items {
			parts[i] = literal(x.OfType, item)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case *graphql.Enum:
		if s, ok := x.Serialize(v).(string); ok {
			return s
		}
	case *graphql.InputObject:
		m, ok := v.(map[string]any)
		if ok {
			fields := x.Fields()
			var parts []string
			for _, k := range sortedKeys(m) {
				if f := fields[k]; f != nil {
					parts = append(parts, k+": "+literal(f.Type, m[k]))
				}
			}
			return "{" + strings.Join(parts, ", ") + "}"
		}
	}
	j, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(j)
}

func deprecated(reason string) string {
	switch reason {
	case "":
		return ""
	case graphql.DefaultDeprecationReason:
		return " @deprecated"
	}
	j, _ := json.Marshal(reason)
	return " @deprecated(reason: " + string(j) + ")"
}

// description prints a block string above a definition.
func description(b *strings.Builder, d, indent string) {
	if d == "" {
		return
	}
	d = strings.ReplaceAll(d, `"""`, `\"""`)
	b.WriteString(indent + `"""` + "\n")
	for _, line := range strings.Split(d, "\n") {
		if line == "" {
			b.WriteString("\n")
			continue
		}
		b.WriteString(indent + line + "\n")
	}
	b.WriteString(indent + `"""` + "\n")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
