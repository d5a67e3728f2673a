package kg_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/leydigkg/leydigkg/data"
	"github.com/leydigkg/leydigkg/graph"
)

// Edit a store: an entity still used by links is refused unless the
// removal cascades.
func ExampleStore_RemoveEntity() {
	ctx := context.Background()
	store, err := data.Open(ctx, "memory")
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()

	_, err = store.RemoveEntity(ctx, "luteinizing_hormone", false)
	fmt.Println("refused:", errors.Is(err, graph.ErrConflict))

	removed, err := store.RemoveEntity(ctx, "luteinizing_hormone", true)
	if err != nil {
		log.Fatal(err)
	}
	st := store.Stats(ctx)
	fmt.Printf("removed LH and %d links; %d entities and %d links left\n", len(removed), st.Entities, st.Links)
	_, err = store.Resolve(ctx, "LH")
	fmt.Println("LH now:", errors.Is(err, graph.ErrNotFound))
	// Output:
	// refused: true
	// removed LH and 10 links; 84 entities and 164 links left
	// LH now: true
}
