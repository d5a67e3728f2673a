package loaders

import (
	"errors"
)

// ErrTooLarge is a line, record, field, file or decompression past one of
// the Limits.
var ErrTooLarge = errors.New("too large")

// Limits bound what a load reads, so that a broken or hostile file costs
// bounded memory and time: past a limit, a reader reports the problem at
// its position, and skips what is too large (a line, a record) or stops
// reading the file (a CSV/TSV record, YAML, a decompression). A zero field
// takes its default (DefaultLimits).
type Limits struct {
	// Line is the longest line of N-Quads, JSON Lines or YAML, and the
	// longest CSV/TSV record (whose quoted fields may span lines), in
	// bytes: --max-line.
	Line int
	// Field is the longest text of a record (an id, a name, a synonym, a
	// description, a quote, ...), in bytes: --max-field.
	Field int
	// YAML is the largest curated YAML file, in bytes (it is read whole):
	// --max-yaml.
	YAML int
	// Unzipped is the most bytes a gzipped file may decompress to
	// (--max-unzipped), and Ratio the most bytes it may decompress to per
	// compressed byte, once past 16 MiB (--max-ratio).
	Unzipped int64
	Ratio    int
	// Problems is how many problems a load lists; those past it are
	// counted in the list's last entry (ErrTooManyProblems):
	// --max-problems.
	Problems int
}

// DefaultLimits are the Limits a zero field takes.
var DefaultLimits = Limits{
	Line:     16 << 20,
	Field:    64 << 10,
	YAML:     16 << 20,
	Unzipped: 64 << 30,
	Ratio:    100,
	Problems: 1000,
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	if l.Line > 0 {
		d.Line = l.Line
	}
	if l.Field > 0 {
		d.Field = l.Field
	}
	if l.YAML > 0 {
		d.YAML = l.YAML
	}
	if l.Unzipped > 0 {
		d.Unzipped = l.Unzipped
	}
	if l.Ratio > 0 {
		d.Ratio = l.Ratio
	}
	if l.Problems > 0 {
		d.Problems = l.Problems
	}
	return d
}
