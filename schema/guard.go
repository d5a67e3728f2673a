package schema

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/graphql-go/graphql"
	"github.com/graphql-go/graphql/gqlerrors"
	"github.com/graphql-go/graphql/language/ast"
	"github.com/graphql-go/graphql/language/location"
)

// Limits bound the shape and estimated cost of one GraphQL document. A zero
// field takes its default; a negative one turns that check off.
type Limits struct {
	QueryLength int // bytes of the document
	Depth       int // nesting of selection sets, fragments expanded
	Aliases     int // aliased fields, fragments expanded
	Fields      int // field selections, fragments expanded
	Cost        int // estimated work, see Guard
	// Arguments, directives and variable definitions in the document, list
	// items and object fields in its literal values, and how deep those
	// values (and the request's variables) nest: graphql-go's validation is
	// superlinear in each (4,000 arguments take 15 s, 2,000 variable
	// definitions 3 s, a list nested 1,000 deep, 2 KB of brackets, 34 s, a
	// list of lists of 3,500 enum values 6 s).
	Arguments, Directives, Variables, Values, ValueDepth int
	// Unset is the multiplier assumed for a cost argument (first, limit,
	// maxDepth, maxLength) that a field declares but the query leaves out.
	Unset int
	// NameLength and TextLength bound, in bytes, every string argument,
	// written in the document or passed as a variable: TextLength the
	// prose (quote, description, mechanism, section, reasoning), NameLength every
	// other (ids, names, synonyms, xrefs, search text). Refused with
	// BAD_USER_INPUT: a name that matches nothing costs a typo search.
	NameLength, TextLength int
}

// Defaults of Limits. The example trace query of the playground has depth 5,
// 21 fields and costs 401; the introspection query GraphiQL sends (graphql-js
// getIntrospectionQuery with descriptions) costs 51,832. The cost limit
// matches the server's default budget of list items (100,000).
const (
	DefaultMaxQueryLength = 32 << 10
	DefaultMaxDepth       = 12
	DefaultMaxAliases     = 30
	DefaultMaxFields      = 500
	DefaultMaxCost        = 100_000
	DefaultUnsetArg       = 10
	DefaultMaxArguments   = 200
	DefaultMaxDirectives  = 50
	DefaultMaxVariables   = 50
	DefaultMaxValues      = 200
	DefaultMaxValueDepth  = 5
)

// WithDefaults fills the zero fields of l.
func (l Limits) WithDefaults() Limits {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&l.QueryLength, DefaultMaxQueryLength)
	def(&l.Depth, DefaultMaxDepth)
	def(&l.Aliases, DefaultMaxAliases)
	def(&l.Fields, DefaultMaxFields)
	def(&l.Cost, DefaultMaxCost)
	def(&l.Unset, DefaultUnsetArg)
	def(&l.Arguments, DefaultMaxArguments)
	def(&l.Directives, DefaultMaxDirectives)
	def(&l.Variables, DefaultMaxVariables)
	def(&l.Values, DefaultMaxValues)
	def(&l.ValueDepth, DefaultMaxValueDepth)
	def(&l.NameLength, DefaultMaxNameLength)
	def(&l.TextLength, DefaultMaxTextLength)
	return l
}

// costArgs are the arguments that multiply the cost of a field's
// selections: how many items a list returns (first, limit) and how far a
// traversal goes (maxDepth, maxLength). Any field that takes them is
// covered, whatever its name.
var costArgs = map[string]bool{"first": true, "limit": true, "maxDepth": true, "maxLength": true}

// listArgs are the list arguments that multiply a field's cost by their
// length: entities(ids), traces(pairs), and paths(from, to), which costs
// len(from) times len(to) as if every pair were traced.
var listArgs = map[string]bool{"ids": true, "pairs": true, "from": true, "to": true}

// LimitError is a document refused by Guard.
func limitError(format string, args ...any) gqlerrors.FormattedError {
	return gqlerrors.FormattedError{
		Message:    fmt.Sprintf(format, args...),
		Locations:  []location.SourceLocation{},
		Extensions: map[string]any{"code": CodeLimitExceeded},
	}
}

// CheckLength refuses a document longer than l.QueryLength before it is
// parsed.
func CheckLength(query string, l Limits) []gqlerrors.FormattedError {
	l = l.WithDefaults()
	if l.QueryLength > 0 && len(query) > l.QueryLength {
		return []gqlerrors.FormattedError{limitError("the query is %d bytes long; at most %d are allowed", len(query), l.QueryLength)}
	}
	return nil
}

// Guard measures doc against l: depth, aliases, fields and estimated cost,
// with fragments expanded; arguments, directives, variable definitions and
// the size and nesting of literal values and of variables, as written; it
// also refuses fragment cycles
// (GRAPHQL_VALIDATION_FAILED), on which graphql-go's validation overflows
// the stack. It must run before graphql.ValidateDocument, whose
// rules include some that are quadratic in the number of fields (16,000
// duplicate fields take seconds): Guard is linear in the size of the
// document, memoizing each fragment once, so fragments that spread each
// other many times over cannot blow it up.
//
// The cost of a field is 1 plus its selections' cost times the product of
// its arguments named first, limit, maxDepth or maxLength (l.Unset for one
// the field takes but the query leaves out) and of the lengths of its list
// arguments named ids, pairs, from and to (the batch and set-to-set
// fields: traces(pairs: [10 pairs]) costs ten traces). So
// trace(maxDepth: 4, limit: 5) { paths { links { ... } } } costs 20 times
// what one link asks for, and outgoing(first: 50) { object { outgoing ...
// multiplies at every level.
//
// Variables come from the request; a variable that is missing or not an
// integer counts as l.Unset. Every string argument, in the document or in
// the variables, is held to l.NameLength or l.TextLength (BAD_USER_INPUT).
// Guard returns nil when the document passes.
func Guard(s *graphql.Schema, doc *ast.Document, variables map[string]any, l Limits) []gqlerrors.FormattedError {
	l = l.WithDefaults()
	g := &guard{
		schema:    s,
		vars:      variables,
		limits:    l,
		fragments: map[string]*ast.FragmentDefinition{},
		memo:      map[string]*measure{},
	}
	var ops []*ast.OperationDefinition
	raw := measure{}
	for _, d := range doc.Definitions {
		switch d := d.(type) {
		case *ast.FragmentDefinition:
			if d.Name != nil {
				g.fragments[d.Name.Value] = d
			}
			raw.add(rawCount(d.SelectionSet))
			raw.add(directives(d.Directives))
		case *ast.OperationDefinition:
			ops = append(ops, d)
			raw.add(rawCount(d.SelectionSet))
			raw.add(directives(d.Directives))
			raw.variables = sat(raw.variables + len(d.VariableDefinitions))
			for _, v := range d.VariableDefinitions {
				raw.add(value(v.DefaultValue))
				// graphql-go's parser accepts "query($a:) { ... }" and its
				// validation then dereferences the missing type.
				if v.Type == nil {
					name := ""
					if v.Variable != nil && v.Variable.Name != nil {
						name = v.Variable.Name.Value
					}
					return []gqlerrors.FormattedError{{
						Message:    fmt.Sprintf("Syntax Error: variable $%s has no type.", name),
						Locations:  []location.SourceLocation{},
						Extensions: map[string]any{"code": CodeParseFailed},
					}}
				}
			}
		}
	}
	// Validation runs over every definition, not only the operation that
	// will run, so every one is measured: each operation with its
	// fragments expanded, each fragment on its own (unused ones too).
	var total measure
	for _, op := range ops {
		m := g.selections(op.SelectionSet, rootType(s, op.Operation))
		total.depth = max(total.depth, m.depth)
		total.cost = max(total.cost, m.cost)
		total.aliases = sat(total.aliases + m.aliases)
		total.fields = sat(total.fields + m.fields)
	}
	for name := range g.fragments {
		m := g.fragment(name)
		total.depth = max(total.depth, m.depth)
	}
	// graphql-go's OverlappingFieldsCanBeMerged rule recurses without end
	// on a fragment that spreads itself, and the stack overflow kills the
	// process: such documents never reach it.
	if g.cycle != "" {
		return []gqlerrors.FormattedError{{
			Message:    fmt.Sprintf("Cannot spread fragment %q within itself.", g.cycle),
			Locations:  []location.SourceLocation{},
			Extensions: map[string]any{"code": CodeValidationFailed},
		}}
	}
	total.aliases = max(total.aliases, raw.aliases)
	total.fields = max(total.fields, raw.fields)
	var errs []gqlerrors.FormattedError
	check := func(what string, got, max int) {
		if max > 0 && got > max {
			errs = append(errs, limitError("the query has %s %s; at most %d are allowed", over(got), what, max))
		}
	}
	check("arguments", raw.arguments, l.Arguments)
	check("directives", raw.directives, l.Directives)
	check("variable definitions", raw.variables, l.Variables)
	check("list items and object fields in its values", raw.values, l.Values)
	for _, v := range variables {
		raw.valueDepth = max(raw.valueDepth, jsonDepth(v))
	}
	if l.ValueDepth > 0 && raw.valueDepth > l.ValueDepth {
		errs = append(errs, limitError("the query has values nested %s deep; at most %d levels are allowed", over(raw.valueDepth), l.ValueDepth))
	}
	errs = append(errs, checkStrings(doc, variables, l)...)
	check("levels of nesting", total.depth, l.Depth)
	check("aliases", total.aliases, l.Aliases)
	check("fields", total.fields, l.Fields)
	if l.Cost > 0 && total.cost > l.Cost {
		errs = append(errs, limitError("the query's estimated cost is %s, more than %d; ask for fewer items (first, limit), shallower traversals (maxDepth) or nest less", over(total.cost), l.Cost))
	}
	return errs
}

// rootType is the type an operation's fields belong to, or nil (not a typed
// nil pointer) when the schema has none: a schema without subscriptions, or
// without mutations on a store that cannot write.
func rootType(s *graphql.Schema, operation string) graphql.Type {
	var root *graphql.Object
	switch operation {
	case ast.OperationTypeMutation:
		root = s.MutationType()
	case ast.OperationTypeSubscription:
		root = s.SubscriptionType()
	default:
		root = s.QueryType()
	}
	if root == nil {
		return nil
	}
	return root
}

// rawCount counts what is written in a selection set, fragments not
// expanded: fields, aliases, arguments, directives, and the depth of
// argument values.
func rawCount(set *ast.SelectionSet) measure {
	var m measure
	if set == nil {
		return m
	}
	for _, sel := range set.Selections {
		switch sel := sel.(type) {
		case *ast.Field:
			m.fields++
			if sel.Alias != nil {
				m.aliases++
			}
			m.arguments = sat(m.arguments + len(sel.Arguments))
			for _, a := range sel.Arguments {
				m.add(value(a.Value))
			}
			m.add(directives(sel.Directives))
			m.add(rawCount(sel.SelectionSet))
		case *ast.InlineFragment:
			m.add(directives(sel.Directives))
			m.add(rawCount(sel.SelectionSet))
		case *ast.FragmentSpread:
			m.add(directives(sel.Directives))
		}
	}
	return m
}

// directives counts directives and their arguments.
func directives(ds []*ast.Directive) measure {
	m := measure{directives: len(ds)}
	for _, d := range ds {
		m.arguments = sat(m.arguments + len(d.Arguments))
		for _, a := range d.Arguments {
			m.add(value(a.Value))
		}
	}
	return m
}

// value measures a literal value: how deep lists and input objects nest in
// it (a scalar is 0) and how many list items and object fields it holds.
func value(v ast.Value) measure {
	var m measure
	switch v := v.(type) {
	case *ast.ListValue:
		for _, x := range v.Values {
			m.add(value(x))
		}
		m.values = sat(m.values + len(v.Values))
		m.valueDepth = sat(1 + m.valueDepth)
	case *ast.ObjectValue:
		for _, f := range v.Fields {
			m.add(value(f.Value))
		}
		m.values = sat(m.values + len(v.Fields))
		m.valueDepth = sat(1 + m.valueDepth)
	}
	return m
}

// jsonDepth is how deep a decoded JSON value nests.
func jsonDepth(v any) int {
	switch v := v.(type) {
	case []any:
		d := 0
		for _, x := range v {
			d = max(d, jsonDepth(x))
		}
		return 1 + d
	case map[string]any:
		d := 0
		for _, x := range v {
			d = max(d, jsonDepth(x))
		}
		return 1 + d
	}
	return 0
}

// over prints a measure, saturated ones as "more than".
func over(n int) string {
	if n >= saturated {
		return "more than " + strconv.Itoa(saturated)
	}
	return strconv.Itoa(n)
}

// saturated caps every measure so that sums and products never overflow
// (where an int is 32 bits, a quarter of the largest).
const saturated = min(1<<40, math.MaxInt>>2)

func sat(n int) int { return min(n, saturated) }

func mul(a, b int) int {
	if a == 0 || b == 0 {
		return 0
	}
	if a >= saturated/b {
		return saturated
	}
	return a * b
}

type measure struct {
	depth, aliases, fields, cost int
	arguments, directives        int // written, not expanded (rawCount)
	variables, values            int
	valueDepth                   int
}

func (m *measure) add(o measure) {
	m.depth = max(m.depth, o.depth)
	m.valueDepth = max(m.valueDepth, o.valueDepth)
	m.arguments = sat(m.arguments + o.arguments)
	m.directives = sat(m.directives + o.directives)
	m.variables = sat(m.variables + o.variables)
	m.values = sat(m.values + o.values)
	m.aliases = sat(m.aliases + o.aliases)
	m.fields = sat(m.fields + o.fields)
	m.cost = sat(m.cost + o.cost)
}

type guard struct {
	schema    *graphql.Schema
	vars      map[string]any
	limits    Limits
	fragments map[string]*ast.FragmentDefinition
	memo      map[string]*measure // fragment name -> its measure; nil while being measured
	cycle     string              // a fragment that spreads itself, if any
}

// selections measures a selection set whose fields belong to parent (nil
// when unknown: the fields are still counted, only arguments' defaults are
// not known).
func (g *guard) selections(set *ast.SelectionSet, parent graphql.Type) measure {
	var m measure
	if set == nil {
		return m
	}
	for _, sel := range set.Selections {
		switch sel := sel.(type) {
		case *ast.Field:
			m.add(g.field(sel, parent))
		case *ast.InlineFragment:
			t := parent
			if sel.TypeCondition != nil && sel.TypeCondition.Name != nil {
				t = g.schema.Type(sel.TypeCondition.Name.Value)
			}
			m.add(g.selections(sel.SelectionSet, t))
		case *ast.FragmentSpread:
			if sel.Name != nil {
				m.add(g.fragment(sel.Name.Value))
			}
		}
	}
	return m
}

// fragment measures a named fragment once. A fragment that spreads itself
// (directly or not) counts as empty here; validation refuses it.
func (g *guard) fragment(name string) measure {
	if m, seen := g.memo[name]; seen {
		if m == nil {
			g.cycle = name
			return measure{}
		}
		return *m
	}
	def, ok := g.fragments[name]
	if !ok {
		return measure{}
	}
	g.memo[name] = nil
	var t graphql.Type
	if def.TypeCondition != nil && def.TypeCondition.Name != nil {
		t = g.schema.Type(def.TypeCondition.Name.Value)
	}
	m := g.selections(def.SelectionSet, t)
	g.memo[name] = &m
	return m
}

func (g *guard) field(f *ast.Field, parent graphql.Type) measure {
	var def *graphql.FieldDefinition
	name := ""
	if f.Name != nil {
		name = f.Name.Value
	}
	switch name {
	case "__schema":
		def = graphql.SchemaMetaFieldDef
	case "__type":
		def = graphql.TypeMetaFieldDef
	default:
		if p, ok := parent.(interface {
			Fields() graphql.FieldDefinitionMap
		}); ok {
			def = p.Fields()[name]
		}
	}
	var child graphql.Type
	if def != nil {
		child = named(def.Type)
	}
	sub := g.selections(f.SelectionSet, child)
	m := measure{fields: sat(1 + sub.fields), aliases: sub.aliases}
	if f.Alias != nil {
		m.aliases = sat(m.aliases + 1)
	}
	// Introspection (__schema, __type and the __ types below them) reads
	// the schema, not the graph: its nesting, like the ofType chains of
	// every client's introspection query, does not count as depth. Its
	// lists cost l.Unset each instead, so that types { fields { type {
	// fields ... } } } still adds up.
	intro := strings.HasPrefix(name, "__") || parent != nil && strings.HasPrefix(parent.Name(), "__")
	mult := g.multiplier(f, def)
	if intro {
		if def != nil && isList(def.Type) {
			mult = g.limits.Unset
		}
	} else if f.SelectionSet != nil {
		m.depth = 1
	}
	m.depth = sat(m.depth + sub.depth)
	m.cost = sat(1 + mul(mult, sub.cost))
	return m
}

func isList(t graphql.Type) bool {
	if nn, ok := t.(*graphql.NonNull); ok {
		t = nn.OfType
	}
	_, ok := t.(*graphql.List)
	return ok
}

// multiplier is the product of the field's cost arguments.
func (g *guard) multiplier(f *ast.Field, def *graphql.FieldDefinition) int {
	n := 1
	given := map[string]bool{}
	for _, a := range f.Arguments {
		if a.Name != nil && listArgs[a.Name.Value] {
			n = mul(n, g.listLen(a.Value))
		}
		if a.Name == nil || !costArgs[a.Name.Value] {
			continue
		}
		given[a.Name.Value] = true
		n = mul(n, g.intValue(a.Value))
	}
	if def != nil {
		for _, a := range def.Args {
			if costArgs[a.Name()] && !given[a.Name()] {
				v := g.limits.Unset
				if d, ok := a.DefaultValue.(int); ok && d > 0 {
					v = d
				}
				n = mul(n, v)
			}
		}
	}
	return max(n, 1)
}

// listLen is the length of a list argument, written or passed as a
// variable; 1 for anything else (a scalar, as trace's from and to are).
func (g *guard) listLen(v ast.Value) int {
	switch v := v.(type) {
	case *ast.ListValue:
		return max(len(v.Values), 1)
	case *ast.Variable:
		if v.Name != nil {
			if l, ok := g.vars[v.Name.Value].([]any); ok {
				return max(len(l), 1)
			}
		}
	}
	return 1
}

func (g *guard) intValue(v ast.Value) int {
	switch v := v.(type) {
	case *ast.IntValue:
		if n, err := strconv.Atoi(v.Value); err == nil && n > 0 {
			return sat(n)
		}
		return 1
	case *ast.Variable:
		if v.Name != nil {
			switch x := g.vars[v.Name.Value].(type) {
			case float64:
				if x >= 1 {
					return sat(int(min(x, saturated)))
				}
				return 1
			case int:
				return sat(max(x, 1))
			}
		}
	}
	return g.limits.Unset
}

// named strips lists and non-nulls off a type.
func named(t graphql.Type) graphql.Type {
	for {
		switch x := t.(type) {
		case *graphql.List:
			t = x.OfType
		case *graphql.NonNull:
			t = x.OfType
		default:
			return t
		}
	}
}
