package schema

import (
	"fmt"
	"sort"

	"github.com/graphql-go/graphql/gqlerrors"
	"github.com/graphql-go/graphql/language/ast"
	"github.com/graphql-go/graphql/language/location"
)

// Defaults of Limits.NameLength and Limits.TextLength.
const (
	DefaultMaxNameLength = 512
	DefaultMaxTextLength = 16 << 10
)

// textFields are the argument and input-object fields that hold prose
// (Limits.TextLength); every other string (ids, names, synonyms, CURIEs,
// predicates, search text, cursors) is a name (Limits.NameLength).
var textFields = map[string]bool{"quote": true, "description": true, "mechanism": true, "section": true, "reasoning": true}

// maxStringErrors bounds the errors one document gets for its strings.
const maxStringErrors = 10

// checkStrings refuses, with BAD_USER_INPUT, every string in the document's
// arguments (literal or default value) and in the request's variables that
// is longer than its limit: l.TextLength for the fields in textFields,
// l.NameLength for the rest. A string reaches a field through its
// argument's name, an input object's field names, or the variable that
// carries it; a variable used in several places gets the smallest limit.
func checkStrings(doc *ast.Document, variables map[string]any, l Limits) []gqlerrors.FormattedError {
	c := &stringCheck{limits: l, vars: map[string]string{}}
	var defs []*ast.VariableDefinition
	for _, d := range doc.Definitions {
		switch d := d.(type) {
		case *ast.OperationDefinition:
			c.directives(d.Directives)
			c.selections(d.SelectionSet)
			defs = append(defs, d.VariableDefinitions...)
		case *ast.FragmentDefinition:
			c.directives(d.Directives)
			c.selections(d.SelectionSet)
		}
	}
	for _, v := range defs {
		if v.Variable == nil || v.Variable.Name == nil {
			continue
		}
		name := v.Variable.Name.Value
		field := c.vars[name]
		c.literal(field, fmt.Sprintf("the default of $%s", name), v.DefaultValue)
		if x, ok := variables[name]; ok {
			c.json(field, "$"+name, x)
		}
	}
	return c.errs
}

type stringCheck struct {
	limits Limits
	vars   map[string]string // variable -> the field it fills; "" for a name field
	errs   []gqlerrors.FormattedError
}

// limit is the longest string field may hold, or 0 for no limit.
func (c *stringCheck) limit(field string) int {
	if textFields[field] {
		return c.limits.TextLength
	}
	return c.limits.NameLength
}

func (c *stringCheck) check(field, what string, n int, loc *ast.Location) {
	max := c.limit(field)
	if max <= 0 || n <= max || len(c.errs) >= maxStringErrors {
		return
	}
	e := gqlerrors.FormattedError{
		Message:    fmt.Sprintf("%s is %d bytes long; at most %d are allowed for %s", what, n, max, kindOf(field)),
		Locations:  []location.SourceLocation{},
		Extensions: map[string]any{"code": CodeBadUserInput},
	}
	if loc != nil && loc.Source != nil {
		e.Locations = []location.SourceLocation{location.GetLocation(loc.Source, loc.Start)}
	}
	c.errs = append(c.errs, e)
}

func kindOf(field string) string {
	if textFields[field] {
		return "a text (" + field + ")"
	}
	return "an id, name or search text"
}

func (c *stringCheck) selections(set *ast.SelectionSet) {
	if set == nil {
		return
	}
	for _, sel := range set.Selections {
		switch sel := sel.(type) {
		case *ast.Field:
			for _, a := range sel.Arguments {
				c.argument(a)
			}
			c.directives(sel.Directives)
			c.selections(sel.SelectionSet)
		case *ast.InlineFragment:
			c.directives(sel.Directives)
			c.selections(sel.SelectionSet)
		case *ast.FragmentSpread:
			c.directives(sel.Directives)
		}
	}
}

func (c *stringCheck) directives(ds []*ast.Directive) {
	for _, d := range ds {
		for _, a := range d.Arguments {
			c.argument(a)
		}
	}
}

func (c *stringCheck) argument(a *ast.Argument) {
	if a.Name == nil {
		return
	}
	c.literal(a.Name.Value, fmt.Sprintf("argument %q", a.Name.Value), a.Value)
}

// literal checks a value written in the document, and notes which field
// each variable in it fills.
func (c *stringCheck) literal(field, what string, v ast.Value) {
	switch v := v.(type) {
	case *ast.StringValue:
		c.check(field, what, len(v.Value), v.Loc)
	case *ast.ListValue:
		for _, x := range v.Values {
			c.literal(field, what, x)
		}
	case *ast.ObjectValue:
		for _, f := range v.Fields {
			if f.Name != nil {
				c.literal(f.Name.Value, fmt.Sprintf("field %q", f.Name.Value), f.Value)
			}
		}
	case *ast.Variable:
		if v.Name != nil {
			name := v.Name.Value
			if old, seen := c.vars[name]; !seen || c.limit(field) < c.limit(old) {
				c.vars[name] = field
			}
		}
	}
}

// json checks a variable's decoded value.
func (c *stringCheck) json(field, what string, v any) {
	switch v := v.(type) {
	case string:
		c.check(field, what, len(v), nil)
	case []any:
		for _, x := range v {
			c.json(field, what, x)
		}
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys) // the same errors, in the same order, every time
		for _, k := range keys {
			c.json(k, fmt.Sprintf("%s, field %q,", what, k), v[k])
		}
	}
}
