package schema

import (
	"context"
	"errors"
	"sync"

	"github.com/leydigkg/leydigkg/graph"
)

// notes collects what a request's answer says beside its data: the
// response's top-level "extensions". A field whose answer is null without
// an error (entity(id:) for a name nothing has) leaves its suggestions
// here, so that null still comes with a hint.
type notes struct {
	mu         sync.Mutex
	didYouMean []map[string]any
}

type notesKey struct{}

// WithNotes gives ctx a place for the response's extensions; Notes reads
// them once the request is executed.
func WithNotes(ctx context.Context) context.Context {
	return context.WithValue(ctx, notesKey{}, &notes{})
}

// Notes returns the extensions the request's fields left (nil: none):
// didYouMean, a list of {ref, candidates: [{id, name, kind}]} for each
// name that found no entity and has near ones.
func Notes(ctx context.Context) map[string]any {
	n, ok := ctx.Value(notesKey{}).(*notes)
	if !ok {
		return nil
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if len(n.didYouMean) == 0 {
		return nil
	}
	return map[string]any{"didYouMean": n.didYouMean}
}

// noteNotFound records the suggestions of a not-found error, if any.
func noteNotFound(ctx context.Context, err error) {
	n, ok := ctx.Value(notesKey{}).(*notes)
	var nf *graph.NotFoundError
	if !ok || !errors.As(err, &nf) || len(nf.Candidates) == 0 {
		return
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	n.didYouMean = append(n.didYouMean, map[string]any{"ref": nf.Ref, "candidates": candidates(nf.Candidates)})
}

// candidates lists entities as {id, name, kind}, for extensions.
func candidates(es []*graph.Entity) []map[string]any {
	cs := make([]map[string]any, len(es))
	for i, c := range es {
		cs[i] = map[string]any{"id": c.ID, "name": c.Name, "kind": string(c.Kind)}
	}
	return cs
}
