package loaders

import (
	"bytes"
	"errors"
	"fmt"
	"io"
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
	// Text is the longest text of a record (an id, a name, a synonym, a
	// description, a quote, ...), in bytes: --max-text.
	Text int
	// YAML is the largest curated YAML or JSON file, in bytes (it is read whole):
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
	Text:     64 << 10,
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
	if l.Text > 0 {
		d.Text = l.Text
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

// ErrTooManyProblems marks the last entry of an ErrorList cut at
// Limits.Problems: placed at the first problem not listed, it stands for
// all of them.
var ErrTooManyProblems = errors.New("too many problems")

// moreProblems is the Err of an ErrorList's ErrTooManyProblems entry.
type moreProblems struct{ n int }

func (m *moreProblems) Error() string {
	return fmt.Sprintf("%v: %d more not listed (--max-problems)", ErrTooManyProblems, m.n)
}

func (m *moreProblems) Is(target error) bool { return target == ErrTooManyProblems }

// problemList keeps the first max problems it is given, and counts the
// rest.
type problemList struct {
	max  int
	list ErrorList
	more int
	at   *ParseError // the first problem not listed
}

func (p *problemList) add(errs ...*ParseError) {
	for _, e := range errs {
		n := 1
		if m, ok := e.Err.(*moreProblems); ok {
			n = m.n
		} else if len(p.list) < p.max {
			p.list = append(p.list, e)
			continue
		}
		if p.at == nil {
			p.at = e
		}
		p.more += n
	}
}

func (p *problemList) empty() bool { return len(p.list) == 0 && p.more == 0 }

// errors is the problems in file order, and an ErrTooManyProblems entry
// last when some were not kept.
func (p *problemList) errors() ErrorList {
	p.list.Sort()
	if p.more == 0 {
		return p.list
	}
	at := Position{p.at.File, p.at.Line, p.at.Column}
	return append(p.list[:len(p.list):len(p.list)], at.wrap(&moreProblems{p.more}))
}

// Count is how many problems l stands for: its entries, and those its
// last entry counts when it is an ErrTooManyProblems one.
func (l ErrorList) Count() int {
	if n := len(l); n > 0 {
		if m, ok := l[n-1].Err.(*moreProblems); ok {
			return n - 1 + m.n
		}
	}
	return len(l)
}

// tooLarge is the problem of something past a limit, at a position.
func tooLarge(at Position, what string, limit int64, flag string) *ParseError {
	return at.errorf(ErrTooLarge, "%s longer than %d bytes (--%s)", what, limit, flag)
}

// cursor follows the line and column of the next byte of a stream.
type cursor struct{ line, col int }

func (c *cursor) advance(p []byte) {
	if i := bytes.LastIndexByte(p, '\n'); i >= 0 {
		c.line += bytes.Count(p, []byte{'\n'})
		c.col = len(p) - i
		return
	}
	c.col += len(p)
}

// recordCap stops a CSV/TSV reader past max bytes of one record
// (encoding/csv has no limit of its own): reset starts a record; once
// past, Read fails and over is set.
type recordCap struct {
	r    io.Reader
	max  int
	n    int // bytes read since reset
	pos  cursor
	over bool
}

var errRecordCap = errors.New("record too long")

func newRecordCap(r io.Reader, max int) *recordCap {
	return &recordCap{r: r, max: max, pos: cursor{1, 1}}
}

func (c *recordCap) reset() { c.n = 0 }

func (c *recordCap) Read(p []byte) (int, error) {
	if c.n > c.max {
		c.over = true
		return 0, errRecordCap
	}
	if len(p) > c.max-c.n+1 {
		p = p[:c.max-c.n+1]
	}
	n, err := c.r.Read(p)
	c.n += n
	c.pos.advance(p[:n])
	return n, err
}

// err is the problem of the record past the limit, where reading stopped.
func (c *recordCap) err(file string) *ParseError {
	return tooLarge(Position{file, c.pos.line, c.pos.col}, "record", int64(c.max), "max-line")
}

// unzipCap ends a decompression that outgrows Limits.Unzipped, or
// Limits.Ratio times the compressed bytes read once past 1 MiB: it
// returns a *ParseError at the position reached in the decompressed
// text, then io.EOF, so that every reader stops there.
type unzipCap struct {
	r    io.Reader // decompressed
	in   *countReader
	out  int64
	pos  cursor
	file string
	lim  Limits
	done bool
}

// ratioGrace is what a gzipped file may decompress to before its ratio
// is checked: small files of one repeated line compress very well.
const ratioGrace = 1 << 20

func (u *unzipCap) Read(p []byte) (int, error) {
	if u.done {
		return 0, io.EOF
	}
	n, err := u.r.Read(p)
	out := u.out + int64(n)
	var what string
	switch {
	case out > u.lim.Unzipped:
		what = fmt.Sprintf("decompressed past %d bytes (--max-unzipped)", u.lim.Unzipped)
	case out > ratioGrace && out > int64(u.lim.Ratio)*u.in.n:
		what = fmt.Sprintf("decompressed past %d times its compressed size (--max-ratio)", u.lim.Ratio)
	default:
		u.out = out
		u.pos.advance(p[:n])
		return n, err
	}
	u.done = true
	return 0, Position{u.file, u.pos.line, u.pos.col}.errorf(ErrTooLarge, "gzip: %s", what)
}

// countReader counts the bytes read through it.
type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
