// Package data is the curated Leydig knowledge graph, compiled in.
//
// The YAML files beside this file (format in README.md) are embedded, so a
// binary needs no data files at run time:
//
//	store, _ := graph.Open(ctx, "memory")
//	if _, err := data.Load(ctx, store); err != nil { ... }
package data

import (
	"context"
	"embed"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/loaders"
)

// FS holds the curated YAML files.
//
//go:embed *.yaml
var FS embed.FS

// Files returns the curated files, in name order.
func Files() ([]loaders.File, error) {
	files, err := loaders.ReadFS(FS, "*.yaml")
	if err != nil {
		return nil, err
	}
	for i := range files {
		files[i].Name = "data/" + files[i].Name
	}
	return files, nil
}

// Load writes the curated graph into store. Loading it into a store that
// already holds it changes nothing.
func Load(ctx context.Context, store *graph.Store) (graph.Applied, error) {
	files, err := Files()
	if err != nil {
		return graph.Applied{}, err
	}
	return loaders.Load(ctx, store, files...)
}
