package loaders

import (
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"
)

// quadParser reads the plain lines of an N-Quads file, which is nearly
// all of them, on a fast path, and hands every other line to the strict
// parser (parseStrict, which also words the errors). On a plain line the
// fast path takes a fraction of the strict parser's time, and reuses the
// values that repeat (predicates, classes, the subject of consecutive
// lines). FuzzQuadParser holds it to parseStrict: whatever it reads, the
// strict parser reads the same. (cayley's own parser, nquads.Parse, is
// not used: it accepts relative IRIs, bare numbers and more that RDF 1.1
// N-Quads refuses, and refuses \u escapes in IRIs and minimal
// whitespace; see TestW3CNQuads.)
//
// A plain line is: absolute IRIs without escapes, blank nodes of ASCII letters,
// digits, _ and -, literals without escapes or control characters
// (optionally @lang or ^^<type>), separated by spaces or tabs, ending in
// " ." with nothing after but spaces or tabs.
type quadParser struct {
	interned map[string]quad.Value
	subject  quad.Value // the last line's subject, and its text
	subjText string
	base     *url.URL // relative IRIs resolve against it (Options.Base); nil: refused
}

// internMax bounds the values quadParser keeps for reuse: enough for a
// vocabulary's predicates and classes, not a copy of the file.
const internMax = 4096

func (p *quadParser) parse(line string) (quad.Quad, error) {
	if q, ok := p.plain(line); ok {
		return q, nil
	}
	return parseStrictBase(line, p.base)
}

// plain parses a plain line; ok is false for any other.
func (p *quadParser) plain(line string) (q quad.Quad, ok bool) {
	var terms [4]quad.Value
	n := 0
	rest := line
	for {
		rest = strings.TrimLeft(rest, " \t")
		if rest == "" {
			return quad.Quad{}, false
		}
		if rest[0] == '.' {
			if strings.TrimLeft(rest[1:], " \t") != "" {
				return quad.Quad{}, false
			}
			break
		}
		if n == 4 {
			return quad.Quad{}, false
		}
		var v quad.Value
		var end int
		switch rest[0] {
		case '<':
			end = iriEnd(rest)
			if end < 0 || !absoluteIRI(rest[1:end-1]) {
				return quad.Quad{}, false
			}
			v = p.iri(n, rest[1:end-1])
		case '_':
			end = bnodeEnd(rest)
			if end < 0 || n == 1 {
				return quad.Quad{}, false
			}
			v = quad.BNode(strings.Clone(rest[2:end]))
		case '"':
			if n != 2 {
				return quad.Quad{}, false
			}
			v, end = plainLiteral(rest)
			if end < 0 {
				return quad.Quad{}, false
			}
		default:
			return quad.Quad{}, false
		}
		// Terms are separated by blanks; only the final dot may follow
		// directly.
		if end < len(rest) && rest[end] != ' ' && rest[end] != '\t' && rest[end] != '.' {
			return quad.Quad{}, false
		}
		terms[n] = v
		n++
		rest = rest[end:]
	}
	if n < 3 {
		return quad.Quad{}, false
	}
	if _, isIRI := terms[1].(quad.IRI); !isIRI {
		return quad.Quad{}, false
	}
	return quad.Quad{Subject: terms[0], Predicate: terms[1], Object: terms[2], Label: terms[3]}, true
}

// iri returns the value of IRI text s in place n: the subject of the
// last line again, or an interned predicate or object.
func (p *quadParser) iri(n int, s string) quad.Value {
	if n == 0 {
		if p.subject == nil || s != p.subjText {
			s = strings.Clone(s)
			p.subject, p.subjText = quad.IRI(s), s
		}
		return p.subject
	}
	if v, ok := p.interned[s]; ok {
		return v
	}
	s = strings.Clone(s)
	v := quad.Value(quad.IRI(s))
	if n != 3 && len(p.interned) < internMax {
		if p.interned == nil {
			p.interned = make(map[string]quad.Value)
		}
		p.interned[s] = v
	}
	return v
}

// iriEnd returns the end of the IRI that s starts with (just past '>'),
// or -1 if it is not plain.
func iriEnd(s string) int {
	for i := 1; i < len(s); {
		c := s[i]
		switch {
		case c == '>':
			return i + 1
		case c <= ' ' || c == 0x7f, strings.IndexByte("<\"{}|^`\\", c) >= 0:
			return -1
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				return -1
			}
			i += size
			continue
		}
		i++
	}
	return -1
}

// bnodeEnd returns the end of the blank node label that s starts with
// ("_:" and ASCII letters, digits, _ and -, not starting with -), or -1.
func bnodeEnd(s string) int {
	if len(s) < 3 || s[1] != ':' || s[2] == '-' {
		return -1
	}
	i := 2
	for i < len(s) && (isAlnum(s[i]) || s[i] == '_' || s[i] == '-') {
		i++
	}
	if i == 2 {
		return -1
	}
	return i
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// plainLiteral reads the literal that s starts with: a quoted string without
// escapes or control characters, then @lang or ^^<type> or nothing. It
// returns the value as cayley's parser makes it, and its end, or -1.
func plainLiteral(s string) (quad.Value, int) {
	i := 1
	for ; i < len(s); i++ {
		c := s[i]
		if c == '"' {
			break
		}
		if c < ' ' || c == '\\' || c == 0x7f {
			return nil, -1
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				return nil, -1
			}
			i += size - 1
		}
	}
	if i >= len(s) {
		return nil, -1
	}
	text := quad.String(strings.Clone(s[1:i]))
	end := i + 1
	switch {
	case strings.HasPrefix(s[end:], "^^<"):
		e := iriEnd(s[end+2:])
		if e < 0 || !absoluteIRI(s[end+3:end+2+e-1]) {
			return nil, -1
		}
		v := quad.TypedString{Value: text, Type: quad.IRI(strings.Clone(s[end+3 : end+2+e-1]))}
		end += 2 + e
		if nquads.AutoConvertTypedString {
			if nv, err := v.ParseValue(); err == nil {
				return nv, end
			}
		}
		return v, end
	case strings.HasPrefix(s[end:], "@"):
		j := end + 1
		for j < len(s) && (isAlnum(s[j]) || s[j] == '-') {
			j++
		}
		lang := s[end+1 : j]
		if !validLang(lang) {
			return nil, -1
		}
		return quad.LangString{Value: text, Lang: strings.Clone(lang)}, j
	}
	return text, end
}

// validLang checks a language tag: letters, then groups of - and letters
// or digits.
func validLang(tag string) bool {
	parts := strings.Split(tag, "-")
	for i, p := range parts {
		if p == "" {
			return false
		}
		for j := 0; j < len(p); j++ {
			if !isAlnum(p[j]) || i == 0 && !('a' <= p[j]|0x20 && p[j]|0x20 <= 'z') {
				return false
			}
		}
	}
	return true
}
