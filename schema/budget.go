package schema

import (
	"context"
	"fmt"
	"sync/atomic"
)

// CodeLimitExceeded marks a request that asked for more work than its budget.
const CodeLimitExceeded = "LIMIT_EXCEEDED"

type budgetKey struct{}

type budget struct {
	left atomic.Int64
	max  int64
}

// WithBudget bounds the work one request may do: every list item a
// resolver returns (links of outgoing and incoming, paths of a trace,
// search hits, page items) spends one unit. Nested fields over a cyclic
// graph (outgoing { object { outgoing { ... } } }) multiply quickly; once
// the budget is spent, further lists fail with LIMIT_EXCEEDED instead of
// exhausting the server. A context without a budget is unbounded.
func WithBudget(ctx context.Context, items int64) context.Context {
	b := &budget{max: items}
	b.left.Store(items)
	return context.WithValue(ctx, budgetKey{}, b)
}

// spend takes n units from the request's budget.
func spend(ctx context.Context, n int) error {
	b, ok := ctx.Value(budgetKey{}).(*budget)
	if !ok || n == 0 {
		return nil
	}
	if b.left.Add(-int64(n)) < 0 {
		return &Error{Code: CodeLimitExceeded, err: fmt.Errorf("the query asks for more than %d list items; ask for fewer (first, limit) or nest less", b.max)}
	}
	return nil
}
