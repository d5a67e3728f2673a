// Package loaders reads knowledge-graph files into a graph.Store.
//
// Every file is read and validated before anything is written, and every
// problem is reported at once as a ParseError with its position
// (file:line:col), collected in an ErrorList:
//
//	files, err := loaders.ReadFiles("my-links.yaml")
//	...
//	applied, err := loaders.Load(ctx, store, files...)
//	var errs loaders.ErrorList
//	if errors.As(err, &errs) {
//		for _, e := range errs {
//			fmt.Println(e) // my-links.yaml:42:7: unknown entity "tstosterone"
//		}
//	}
//
// The curated YAML format is described in data/README.md.
package loaders
