package kg_test

import (
	"context"
	"fmt"
	"log"
	"strings"

	"github.com/leydigkg/leydigkg/data"
	"github.com/leydigkg/leydigkg/graph"
)

// Open a store, load the curated graph and ask why chronic inflammation
// lowers testosterone.
func ExampleStore_Trace() {
	ctx := context.Background()
	// A store holding the curated graph; kg.Open gives an empty one.
	store, err := data.Open(ctx, "memory") // or "bolt:/path/to/dir"
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()

	res, err := store.Trace(ctx, graph.TraceQuery{
		From:     "chronic inflammation", // ids, names, synonyms and CURIEs all resolve
		To:       "T",
		MaxDepth: 2,
		Limit:    3,
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range res.Paths {
		var hops []string
		for i, l := range p.Links {
			hops = append(hops, fmt.Sprintf("%s -%s-> %s", p.Entities[i].ID, l.Effect, p.Entities[i+1].ID))
		}
		fmt.Printf("%s (%.2f): %s\n", p.NetEffect, p.Confidence, strings.Join(hops, ", "))
	}
	fmt.Println("more chains:", res.Truncated)
	// Output:
	// DECREASES (0.87): chronic_inflammation -DECREASES-> testosterone
	// DECREASES (0.79): chronic_inflammation -DECREASES-> leydig_cell, leydig_cell -INCREASES-> testosterone
	// DECREASES (0.70): chronic_inflammation -DECREASES-> hpg_axis_signaling, hpg_axis_signaling -INCREASES-> testosterone
	// more chains: true
}

// Look an entity up the way people write it.
func ExampleStore_Resolve() {
	ctx := context.Background()
	store, err := data.Open(ctx, "memory")
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	for _, ref := range []string{"LH", "CHEBI:17347", "leydig cell", "tstosterone"} {
		e, err := store.Resolve(ctx, ref)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%s -> %s (%s) %v\n", ref, e.ID, e.Kind, e.Xrefs)
	}
	// Output:
	// LH -> luteinizing_hormone (HORMONE) [CHEBI:81568]
	// CHEBI:17347 -> testosterone (HORMONE) [CHEBI:17347]
	// leydig cell -> leydig_cell (CELL) [CL:0000178]
	// not found: no entity "tstosterone" (did you mean "testosterone"?)
}

// Find the feedback loops through testosterone: the vicious cycle with
// chronic inflammation reinforces itself, the HPG axis balances itself.
func ExampleStore_Loops() {
	ctx := context.Background()
	store, err := data.Open(ctx, "memory")
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()

	res, err := store.Loops(ctx, graph.LoopQuery{Through: "testosterone", MaxLength: 3})
	if err != nil {
		log.Fatal(err)
	}
	for _, l := range res.Loops {
		var ids []string
		for _, e := range l.Path.Entities {
			ids = append(ids, e.ID)
		}
		fmt.Println(l.Kind, strings.Join(ids, " > "))
	}
	// Output:
	// BALANCING testosterone > luteinizing_hormone > testosterone
	// BALANCING testosterone > luteinizing_hormone > leydig_cell > testosterone
	// REINFORCING testosterone > systemic_anti_inflammatory_defenses > chronic_inflammation > testosterone
	// BALANCING testosterone > gnrh > luteinizing_hormone > testosterone
}

// Ask which therapies raise testosterone, and what else they do.
func ExampleStore_Interventions() {
	ctx := context.Background()
	store, err := data.Open(ctx, "memory")
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()

	res, err := store.Interventions(ctx, graph.InterventionQuery{Target: "testosterone", Goal: graph.Increases, MaxDepth: 3, First: 2})
	if err != nil {
		log.Fatal(err)
	}
	for _, iv := range res.Interventions {
		fmt.Printf("%s: %d link(s), confidence %.2f, %d chain(s) the wrong way, %d risk(s)\n",
			iv.Therapy.ID, iv.Path.Len(), iv.Path.Confidence, len(iv.Opposing), len(iv.Risks))
	}
	// Output:
	// trt: 1 link(s), confidence 0.90, 3 chain(s) the wrong way, 1 risk(s)
	// gonadorelin: 2 link(s), confidence 0.79, 0 chain(s) the wrong way, 0 risk(s)
}
