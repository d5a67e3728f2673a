package loaders

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/leydigkg/leydigkg/internal/format"
)

// Spreadsheet programs write files with a few habits of their own, which
// every reader accepts:
//   - a UTF-8 byte-order mark (Excel's "CSV UTF-8") is dropped;
//   - a first line sep=X (Excel's way to name the delimiter; X one of
//     comma, semicolon, tab and |) names the
//     field separator and is read as an empty line, so that line numbers
//     stay the file's;
//   - the field separator of a delimited file (comma, tab or semicolon,
//     as European Excel writes a CSV) is the one its first line uses most,
//     outside quotes: for a .tsv, a tab when the line has any.

var bom = []byte("\ufeff")

// dropBOM returns r without a leading UTF-8 byte-order mark.
func dropBOM(r io.Reader) io.Reader {
	br := bufio.NewReaderSize(r, 64<<10)
	if head, _ := br.Peek(len(bom)); bytes.Equal(head, bom) {
		br.Discard(len(bom))
	}
	return br
}

// delimited prepares a delimited file: it drops a byte-order mark and a
// sep=X line, and returns the separator to read it with: comma when it is
// not 0 (--delimiter), else sep=X's, else the one the first line uses
// most.
func delimited(name string, r io.Reader, comma rune) (io.Reader, rune) {
	br := bufio.NewReaderSize(dropBOM(r), 64<<10)
	head, _ := br.Peek(64 << 10)
	first, _, _ := bytes.Cut(head, []byte("\n"))
	first = bytes.TrimRight(first, "\r")
	if sep, ok := sepLine(first); ok {
		br.Discard(len(first))
		if comma == 0 {
			comma = sep
		}
		return br, comma
	}
	if comma == 0 {
		comma = sniffComma(name, string(first))
	}
	return br, comma
}

// sepLine reads Excel's sep=X line.
func sepLine(line []byte) (rune, bool) {
	rest, ok := bytes.CutPrefix(line, []byte("sep="))
	if !ok {
		return 0, false
	}
	if len(rest) != 1 || !strings.ContainsRune(sepChars, rune(rest[0])) {
		return 0, false // not a separator a line of fields can use: the line is data
	}
	return rune(rest[0]), true
}

// sepChars are the separators a sep=X line may name.
const sepChars = ",;\t|"

// sniffComma picks the separator of a delimited file by its first line.
func sniffComma(name, line string) rune {
	def := format.Comma(name)
	counts := map[rune]int{}
	quoted := false
	for _, c := range line {
		switch {
		case c == '"':
			quoted = !quoted
		case !quoted && (c == ',' || c == '\t' || c == ';'):
			counts[c]++
		}
	}
	if def == '\t' && counts['\t'] > 0 {
		return '\t'
	}
	best := def
	for _, c := range []rune{',', '\t', ';'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return best
}

// headerOf is the first line of a delimited file (after a byte-order mark
// and a sep=X line) split into its fields, unquoted and trimmed.
func headerOf(name string, head []byte) []string {
	r, comma := delimited(name, bytes.NewReader(head), 0)
	rest, _ := io.ReadAll(r)
	line := string(bytes.TrimLeft(rest, "\r\n"))
	line, _, _ = strings.Cut(line, "\n")
	line = strings.TrimRight(line, "\r")
	f := strings.Split(line, string(comma))
	for i := range f {
		f[i] = strings.Trim(strings.TrimSpace(f[i]), `"`)
	}
	return f
}

// ParseDelimiter reads a --delimiter value: one of the separators a sep=X
// line may name (comma, semicolon, tab, |), as itself or as its word
// (comma, semicolon, tab, pipe; \t for a tab).
func ParseDelimiter(s string) (rune, error) {
	switch strings.ToLower(s) {
	case "comma":
		return ',', nil
	case "semicolon":
		return ';', nil
	case "tab", `\t`:
		return '\t', nil
	case "pipe":
		return '|', nil
	}
	if len(s) == 1 && strings.Contains(sepChars, s) {
		return rune(s[0]), nil
	}
	return 0, fmt.Errorf("%w: %q (want , ; | or tab, or comma, semicolon, tab, pipe)", ErrInvalidValue, s)
}

// withSep is head as a sep=X line naming comma would make it, so that a
// KGX header is told by the delimiter --delimiter gives (0: head as is).
func withSep(head []byte, comma rune) []byte {
	if comma == 0 {
		return head
	}
	h := bytes.TrimPrefix(head, bom)
	if first, rest, ok := bytes.Cut(h, []byte("\n")); ok {
		if _, isSep := sepLine(bytes.TrimRight(first, "\r")); isSep {
			h = rest
		}
	}
	return append([]byte("sep="+string(comma)+"\n"), h...)
}
