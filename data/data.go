// Package data is the curated Leydig knowledge graph, compiled in.
//
// The YAML files beside this file (format in README.md) are embedded, so a
// binary needs no data files at run time:
//
//	store, err := data.Open(ctx, "memory") // a store holding the curated graph
//	...
//	defer store.Close()
//
// It owns the curated files and the default belief table, and reads them
// with loaders; nothing below it (graph, kg, loaders) may import it.
package data

import (
	"context"
	"crypto/sha256"
	"embed"
	"fmt"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/kg"
	"github.com/leydigkg/leydigkg/loaders"
)

// FS holds the curated YAML files.
//
//go:embed *.yaml
var FS embed.FS

//go:embed belief/default.yaml
var beliefTable []byte

// BeliefTable is the default belief table (belief/default.yaml): how far to
// trust each kind of evidence.
func BeliefTable() (graph.BeliefTable, error) {
	return loaders.ReadBeliefTable(loaders.File{Name: "data/belief/default.yaml", Data: beliefTable})
}

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

// Batch returns the curated graph's records, read from the embedded files
// and validated, without a store: what a store loaded from them holds.
func Batch() (*graph.Batch, error) {
	files, err := Files()
	if err != nil {
		return nil, err
	}
	c, err := loaders.Validate(files...)
	if err != nil {
		return nil, err
	}
	return &c.Batch, nil
}

// Load writes the curated graph into store. Loading it into a store that
// already holds it changes nothing.
func Load(ctx context.Context, store *kg.Store) (graph.Applied, error) {
	files, err := Files()
	if err != nil {
		return graph.Applied{}, err
	}
	return loaders.Load(ctx, store, files...)
}

// Open opens the store named by spec (see kg.Open) with the default belief
// table and, when the store is empty, loads the curated graph into it. A
// store that holds data already is left as it is: a bolt file filled once
// opens again with what it holds, whatever version of the curated graph
// this binary carries.
func Open(ctx context.Context, spec string) (*kg.Store, error) {
	return OpenWith(ctx, spec, kg.Options{})
}

// OpenWith is Open with options; Beliefs nil means BeliefTable().
func OpenWith(ctx context.Context, spec string, opts kg.Options) (*kg.Store, error) {
	store, err := OpenEmpty(ctx, spec, opts)
	if err != nil {
		return nil, err
	}
	if store.Stats(ctx).Entities > 0 {
		return store, nil
	}
	if _, err := Load(ctx, store); err != nil {
		store.Close()
		return nil, err
	}
	return store, nil
}

// OpenEmpty is kg.OpenWith scoring with the default belief table when
// opts gives none: a store left empty (or as it is), without the curated
// graph.
func OpenEmpty(ctx context.Context, spec string, opts kg.Options) (*kg.Store, error) {
	if opts.Beliefs == nil {
		beliefs, err := BeliefTable()
		if err != nil {
			return nil, err
		}
		opts.Beliefs = beliefs
	}
	return kg.OpenWith(ctx, spec, opts)
}

// Version is a stable hash of the curated files this binary carries
// ("sha256:" and 16 hex digits): two binaries with the same curated graph
// give the same version, whatever their build.
func Version() (string, error) {
	files, err := Files()
	if err != nil {
		return "", err
	}
	return hashFiles(files), nil
}

// hashFiles hashes each file's name and content, length-prefixed so that
// no two different sets of files hash alike by moving bytes across a
// boundary.
func hashFiles(files []loaders.File) string {
	h := sha256.New()
	for _, f := range files {
		fmt.Fprintf(h, "%d:%s%d:", len(f.Name), f.Name, len(f.Data))
		h.Write(f.Data)
	}
	return fmt.Sprintf("sha256:%x", h.Sum(nil)[:8])
}
