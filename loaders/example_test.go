package loaders_test

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/leydigkg/leydigkg/kg"
	"github.com/leydigkg/leydigkg/loaders"
)

// A signed edge list loads all or nothing; a bad row is reported with its
// position and nothing is written.
func ExampleLoader() {
	ctx := context.Background()
	store, _ := kg.Open(ctx, "memory")
	defer store.Close()
	l := &loaders.Loader{Store: store}

	_, err := l.Load(ctx, loaders.Input{Name: "net.csv", R: strings.NewReader("source,target,sign\nTNF,IL6,1\nIL10,TNF,sideways\n")})
	var errs loaders.ErrorList
	if errors.As(err, &errs) {
		fmt.Println(errs[0])
	}
	fmt.Println("links stored:", store.Stats(ctx).Links)

	rep, err := l.Load(ctx, loaders.Input{Name: "net.csv", R: strings.NewReader("source,target,sign\nTNF,IL6,1\nIL10,TNF,inhibition\n")})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("links written:", rep.Applied.Links, "entities created:", rep.Created)
	// Output:
	// net.csv:3:10: unknown sign "sideways" (want 1/-1, +/-, up/down, activation/inhibition, stimulation/inhibition, or a signed number)
	// links stored: 0
	// links written: 2 entities created: 3
}
