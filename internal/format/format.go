// Package format is the registry of the file formats leydigkg reads and
// writes: each Format's name (as --format takes it), the extensions its
// files end in (each may also end in .gz) and, for formats that share an
// extension, how to tell them apart by a file's first bytes.
//
// Each format is declared here once. loaders attaches a reader to the
// formats it reads (loaders.Readers), export a writer to those it writes
// (export.Writers); a Loader picks its reader, the CLI checks --format
// and prints its help from those two lists:
//
//	f, ok := loaders.Readers.ByFile("edges.tsv.gz", head) // KGX or a signed edge list, by the header
//
// It imports nothing of leydigkg, so that loaders and export may both use
// it without importing each other.
package format

import (
	"fmt"
	"path"
	"slices"
	"strings"
)

// Format is a file format as users name it and files show it.
type Format struct {
	Name string
	// Exts are the extensions its files end in, lower case, each also
	// gzipped (.gz after it). An export writes the first.
	Exts []string
	// Sniff, when set, claims a file of one of Exts by its first bytes
	// (head, up to 64 KiB), ahead of a format of the same extension that
	// has no Sniff. name tells a TSV from a CSV.
	Sniff func(name string, head []byte) bool
}

// The formats.
var (
	Curated  = Format{Name: "curated", Exts: []string{".yaml", ".yml"}}
	NQuads   = Format{Name: "nquads", Exts: []string{".nq", ".nt"}}
	KGX      = Format{Name: "kgx", Exts: []string{".tsv", ".csv"}, Sniff: isKGX}
	KGXJSONL = Format{Name: "kgx-jsonl", Exts: []string{".jsonl"}}
	Signed   = Format{Name: "signed", Exts: []string{".tsv", ".csv", ".sif"}} // .sif: a signed SIF (source, 1/-1, target), as export --format sif writes
	JSON     = Format{Name: "json", Exts: []string{".json"}}
	DOT      = Format{Name: "dot", Exts: []string{".dot", ".gv"}}
	Mermaid  = Format{Name: "mermaid", Exts: []string{".mmd"}}
	SVG      = Format{Name: "svg", Exts: []string{".svg"}}
	// Exchange formats for network tools.
	CX2       = Format{Name: "cx2", Exts: []string{".cx2"}}
	Cytoscape = Format{Name: "cytoscape", Exts: []string{".cyjs"}}
	GraphML   = Format{Name: "graphml", Exts: []string{".graphml"}}
	SIF       = Format{Name: "sif", Exts: []string{".sif"}}
)

// Ext is a file name's extension in lower case, after any .gz.
func Ext(name string) string {
	return path.Ext(strings.TrimSuffix(strings.ToLower(name), ".gz"))
}

// Gzipped reports whether a file name ends in .gz.
func Gzipped(name string) bool {
	return strings.HasSuffix(strings.ToLower(name), ".gz")
}

// Comma is the field separator of a delimited file: tab for .tsv and
// .sif, else comma.
func Comma(name string) rune {
	if x := Ext(name); x == ".tsv" || x == ".sif" {
		return '\t'
	}
	return ','
}

// header is the first line of a delimited file split into its fields,
// unquoted and trimmed.
func header(name string, head []byte) []string {
	line, _, _ := strings.Cut(string(head), "\n")
	line = strings.TrimRight(line, "\r")
	f := strings.Split(line, string(Comma(name)))
	for i := range f {
		f[i] = strings.Trim(strings.TrimSpace(f[i]), `"`)
	}
	return f
}

// isKGXHeader reports whether a TSV/CSV header row is KGX's: id and
// category (nodes), or subject, predicate and object (edges).
func isKGXHeader(row []string) bool {
	has := func(n string) bool { return slices.Contains(row, n) }
	return (has("id") && has("category")) || (has("subject") && has("predicate") && has("object"))
}

func isKGX(name string, head []byte) bool { return isKGXHeader(header(name, head)) }

// Entry is a format with what a package does with it: C is a reader or
// a writer. Help is a line for --help.
type Entry[C any] struct {
	Format
	Help  string
	Codec C
}

// Registry is the formats a package reads or writes, in the order help
// lists them.
type Registry[C any] []Entry[C]

// Lookup finds a format by its name.
func (r Registry[C]) Lookup(name string) (Entry[C], bool) {
	i := slices.IndexFunc(r, func(e Entry[C]) bool { return e.Name == name })
	if i < 0 {
		return Entry[C]{}, false
	}
	return r[i], true
}

// ByFile picks a file's format by its extension (after any .gz): of the
// formats with that extension, the first whose Sniff claims head, else
// the first without a Sniff. head may be nil (then no Sniff claims it).
func (r Registry[C]) ByFile(name string, head []byte) (Entry[C], bool) {
	ext := Ext(name)
	var fallback *Entry[C]
	for i, e := range r {
		if !slices.Contains(e.Exts, ext) {
			continue
		}
		if e.Sniff == nil {
			if fallback == nil {
				fallback = &r[i]
			}
			continue
		}
		if head != nil && e.Sniff(name, head) {
			return e, true
		}
	}
	if fallback == nil {
		return Entry[C]{}, false
	}
	return *fallback, true
}

// Names lists the formats' names.
func (r Registry[C]) Names() []string {
	out := make([]string, len(r))
	for i, e := range r {
		out[i] = e.Name
	}
	return out
}

// Exts lists every extension once, in order.
func (r Registry[C]) Exts() []string {
	var out []string
	for _, e := range r {
		for _, x := range e.Exts {
			if !slices.Contains(out, x) {
				out = append(out, x)
			}
		}
	}
	return out
}

// Usage is the formats' help, a line each: the name, the extensions
// (when exts is set), then Help, in aligned columns.
func (r Registry[C]) Usage(exts bool) string {
	nw, xw := 0, 0
	for _, e := range r {
		nw, xw = max(nw, len(e.Name)), max(xw, len(strings.Join(e.Exts, " ")))
	}
	var b strings.Builder
	for _, e := range r {
		fmt.Fprintf(&b, "  %-*s  ", nw, e.Name)
		if exts {
			fmt.Fprintf(&b, "%-*s  ", xw, strings.Join(e.Exts, " "))
		}
		b.WriteString(e.Help + "\n")
	}
	return b.String()
}
