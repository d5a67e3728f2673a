package loaders

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/internal/format"
)

// Format names, as --format takes them.
var (
	FormatCurated = format.Curated.Name  // curated YAML (data/README.md)
	FormatNQuads  = format.NQuads.Name   // N-Quads or N-Triples
	FormatKGX     = format.KGX.Name      // KGX TSV, a nodes or an edges file
	FormatKGXJSON = format.KGXJSONL.Name // KGX JSON Lines, nodes or edges (or both)
	FormatSigned  = format.Signed.Name   // a signed edge list, CSV or TSV
	FormatJSON    = format.JSON.Name     // the JSON document export --format json writes
)

// ReadFunc opens a reader on one file's contents (gunzipped already).
type ReadFunc func(name string, r io.Reader, opts Options) (RecordReader, error)

// Readers are the formats a Loader reads, each with its reader: a file's
// format is its extension's (after any .gz), and a .tsv or .csv file is
// a KGX file when its header names KGX's columns (id and category, or
// subject, predicate and object), and a signed edge list otherwise.
var Readers = format.Registry[ReadFunc]{
	{Format: format.Curated, Codec: readCurated,
		Help: "curated YAML (data/README.md)"},
	{Format: format.NQuads, Codec: NewNQuadsReader,
		Help: "N-Quads / N-Triples (--map, --map-file: which predicates are signed links)"},
	{Format: sniffed(format.KGX, isKGXHead), Codec: NewKGXReader,
		Help: "KGX TSV nodes or edges, when the header is KGX's (id, category; subject, ...)"},
	{Format: format.KGXJSONL, Codec: NewKGXJSONLReader,
		Help: "KGX JSON Lines: nodes, edges or both"},
	{Format: format.JSON, Codec: NewJSONReader,
		Help: "the JSON document export --format json writes"},
	{Format: format.Signed, Codec: NewSignedReader,
		Help: "a signed edge list, any other header (--columns, --header)"},
}

// sniffed is f told by sniff instead of its own.
func sniffed(f format.Format, sniff func(name string, head []byte) bool) format.Format {
	f.Sniff = sniff
	return f
}

// isKGXHead tells a KGX TSV/CSV by its header (after a byte-order mark and
// a sep=X line, with the separator the header uses): id and category
// (nodes), or subject, predicate and object (edges).
func isKGXHead(name string, head []byte) bool {
	row := headerOf(name, head)
	has := func(n string) bool { return slices.Contains(row, n) }
	return (has("id") && has("category")) || (has("subject") && has("predicate") && has("object"))
}

// FormatOf picks a file's format by its extension (after any .gz). A .tsv
// or .csv file gives FormatSigned; Options.Reader tells KGX files by their
// header.
func FormatOf(name string) (string, error) {
	f, ok := Readers.ByFile(name, nil)
	if !ok {
		return "", fmt.Errorf("%w: %s (known: %s, each optionally .gz; or pass --format)", ErrFormat, name, strings.Join(Readers.Exts(), ", "))
	}
	return f.Name, nil
}

// ParseFormat checks a --format value.
func ParseFormat(s string) (string, error) {
	if _, ok := Readers.Lookup(s); ok {
		return s, nil
	}
	return "", fmt.Errorf("%w: %q (want one of %s)", ErrFormat, s, strings.Join(Readers.Names(), ", "))
}

// Options tune how files other than curated YAML are read. The zero value
// reads with the defaults each field names.
type Options struct {
	// Format overrides the format chosen by extension.
	Format string
	// Kind is given to entities a file names without saying their kind
	// (signed edge lists, N-Quads nodes without a mapped rdf:type, KGX
	// categories that map to no kind). Default graph.GeneProduct.
	Kind graph.Kind
	// Source is what the files are, when their rows do not name a source
	// of their own (a KGX primary_knowledge_source). Without an ID, each
	// file is its own source, named by its base name. A load creates the
	// Source records its evidence needs that the store lacks.
	Source graph.Source
	// KnowledgeLevel and AgentType describe evidence whose file does not
	// (signed edge lists, N-Quads, KGX edges without those columns). Empty:
	// not provided, which the belief table scores as a source it knows
	// nothing about.
	KnowledgeLevel graph.KnowledgeLevel
	AgentType      graph.AgentType
	// Predicates maps N-Quads predicate IRIs to effects (and, optionally,
	// the Biolink predicate to store), on top of DefaultPredicateMap.
	Predicates map[string]PredicateMapping
	// Prefixes compacts N-Quads IRIs into CURIEs: prefix -> IRI stem, on top
	// of the OBO rule (http://purl.obolibrary.org/obo/CHEBI_1 -> CHEBI:1).
	Prefixes map[string]string
	// Base is the absolute IRI relative IRIs in N-Quads resolve against
	// (RFC 3986); without one a relative IRI is a syntax error.
	Base string
	// Signed says which columns of a signed edge list hold what.
	Signed SignedColumns
	// SkipInvalid loads the good records and reports the bad ones, instead
	// of writing nothing when any record is bad.
	SkipInvalid bool
	// Limits bound lines, records, fields, files and decompression.
	Limits Limits

	// Own, when set, is given the quads of the store's own layout that
	// N-Quads files hold, and the N-Quads reader yields no records for
	// them (a Loader sets it; see QuadSink).
	Own QuadSink
}

func (o *Options) withDefaults() Options {
	out := *o
	if out.Kind == "" {
		out.Kind = graph.GeneProduct
	}
	out.Limits = out.Limits.withDefaults()
	return out
}

func (o *Options) sourceFor(file string) string {
	if o.Source.ID != "" {
		return o.Source.ID
	}
	return slug(path.Base(strings.ReplaceAll(file, "\\", "/")))
}

// decompress returns r's contents, gunzipped when name ends in .gz, within
// the limits of lim.
func decompress(name string, r io.Reader, lim Limits) (io.Reader, error) {
	if !format.Gzipped(name) {
		return r, nil
	}
	in := &countReader{r: r}
	zr, err := gzip.NewReader(bufio.NewReader(in))
	if err != nil {
		return nil, &ParseError{File: name, Line: 1, Column: 1, Err: fmt.Errorf("%w: gzip: %w", ErrSyntax, err)}
	}
	// zr.Close only checks the checksum, which Read already does at EOF.
	return &unzipCap{r: zr, in: in, pos: cursor{1, 1}, file: name, lim: lim}, nil
}
