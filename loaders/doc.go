// Package loaders reads knowledge-graph files into a kg.Store: curated
// YAML, N-Quads/N-Triples, KGX TSV and JSON Lines, and signed edge lists,
// each optionally gzipped.
//
// Each format has a RecordReader (one record at a time, io.EOF at the end,
// a *ParseError with file:line:col for a bad record), registered in
// Readers and chosen by extension (and a TSV/CSV header) or by
// Options.Format. A Loader reads every file, resolves
// names, validates everything against the store and writes one batch: all
// or nothing, with every problem at once in an ErrorList:
//
//	ins, done, err := loaders.OpenFiles("nodes.tsv", "edges.tsv.gz", "net.csv")
//	...
//	defer done()
//	rep, err := (&loaders.Loader{Store: store}).Load(ctx, ins...)
//	var errs loaders.ErrorList
//	if errors.As(err, &errs) {
//		for _, e := range errs {
//			fmt.Println(e) // net.csv:3:5: unknown sign "sideways" (...)
//		}
//	}
//
// With Options.SkipInvalid the good records are written and the bad ones
// listed in Report.Skipped. Options.Limits bound what a file may cost
// (line, record, text and YAML sizes, gzip size and ratio, problems
// listed): past one, a positioned ErrTooLarge, and the rest of the load
// in bounded memory. Load (curated YAML only) is what the embedded
// graph uses; its format is described in data/README.md.
//
// It owns the readers and the load pipeline, and writes only through a
// kg.Store's API (Check, Apply, Bulk, Lookup); it must not import the
// storage or index packages (internal/store, internal/index) nor export.
package loaders
