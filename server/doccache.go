package server

import (
	"sync"

	"github.com/graphql-go/graphql/language/ast"
)

// docCache keeps the parsed documents of queries that passed validation,
// keyed by their text, so that a client repeating a query (as clients do)
// skips parsing and graphql-go's validation, a third of the work of a small
// query. The guard still runs on every request, since the cost depends on
// the variables. Documents are read-only once parsed: graphql-go's executor
// does not change them, so requests share them.
type docCache struct {
	mu    sync.Mutex
	max   int
	docs  map[string]*ast.Document
	order []string // insertion order, for eviction
}

// At most docCacheSize documents of at most docCacheQuery bytes each are
// kept: a few MB at worst.
const (
	docCacheSize  = 512
	docCacheQuery = 4 << 10
)

func newDocCache(max int) *docCache {
	return &docCache{max: max, docs: make(map[string]*ast.Document, max)}
}

func (c *docCache) get(query string) *ast.Document {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.docs[query]
}

// put adds a validated document, dropping the oldest when full.
func (c *docCache) put(query string, doc *ast.Document) {
	if c.max <= 0 || len(query) > docCacheQuery {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.docs[query]; ok {
		return
	}
	if len(c.order) >= c.max {
		delete(c.docs, c.order[0])
		c.order = c.order[1:]
	}
	c.docs[query] = doc
	c.order = append(c.order, query)
}
