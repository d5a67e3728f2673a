package loaders

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"
)

// parseStrict reads one line of N-Quads by the grammar of RDF 1.1
// N-Quads (https://www.w3.org/TR/n-quads/#sec-grammar): absolute IRIs
// (with \u and \U escapes), blank node labels, literals with escapes,
// @lang or ^^<datatype>, an optional graph label, the final dot and an
// optional comment. It gives values as cayley's parser does (typed
// literals converted when nquads.AutoConvertTypedString says so). An
// error says where on the line, as " at N" (N the rune offset), which
// parseError turns into a column.
func parseStrict(line string) (quad.Quad, error) { return parseStrictBase(line, nil) }

// parseStrictBase is parseStrict with relative IRIs resolved against
// base (RFC 3986), when there is one.
func parseStrictBase(line string, base *url.URL) (quad.Quad, error) {
	p := strictParser{s: line, base: base}
	q, err := p.quad()
	if err != nil {
		sentinel := quad.ErrInvalid
		if errors.Is(err, quad.ErrIncomplete) {
			sentinel, err = quad.ErrIncomplete, errors.Unwrap(err)
		}
		return quad.Quad{}, fmt.Errorf("%w: %w at %d", sentinel, err, utf8.RuneCountInString(line[:p.i]))
	}
	return q, nil
}

// incomplete is an error of a line that ends too soon.
func incomplete(msg string) error { return fmt.Errorf("%w", &incompleteError{msg}) }

type incompleteError struct{ msg string }

func (e *incompleteError) Error() string        { return e.msg }
func (e *incompleteError) Is(target error) bool { return target == quad.ErrIncomplete }

type strictParser struct {
	s    string
	i    int      // byte offset of the next rune
	base *url.URL // resolves relative IRIs; nil: they are refused
}

// CheckBase checks a base IRI (Options.Base): absolute.
func CheckBase(base string) error {
	u, err := url.Parse(base)
	if err != nil || !u.IsAbs() || !absoluteIRI(base) {
		return fmt.Errorf("%w: base IRI %q is not absolute", ErrInvalidValue, base)
	}
	return nil
}

func (p *strictParser) blanks() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
}

func (p *strictParser) quad() (quad.Quad, error) {
	var terms [4]quad.Value
	n := 0
	for {
		p.blanks()
		if p.i >= len(p.s) {
			if n < 3 {
				return quad.Quad{}, incomplete("a quad needs a subject, a predicate and an object")
			}
			return quad.Quad{}, incomplete("a quad ends with '.'")
		}
		c := p.s[p.i]
		if c == '.' && n >= 3 {
			p.i++
			p.blanks()
			if p.i < len(p.s) && p.s[p.i] != '#' {
				return quad.Quad{}, fmt.Errorf("nothing but a comment may follow the final '.'")
			}
			return quad.Quad{Subject: terms[0], Predicate: terms[1], Object: terms[2], Label: terms[3]}, nil
		}
		if n == 4 {
			return quad.Quad{}, fmt.Errorf("want '.' after the graph label, not %q", p.rune())
		}
		var v quad.Value
		var err error
		switch {
		case c == '<':
			v, err = p.iri()
		case c == '_' && n != 1:
			v, err = p.bnode()
		case c == '"' && n == 2:
			v, err = p.literal()
		default:
			return quad.Quad{}, fmt.Errorf("unexpected %q: want %s", p.rune(), [4]string{
				"a subject (<IRI> or _:blank)", "a predicate (<IRI>)", "an object (<IRI>, _:blank or \"literal\")", "a graph label (<IRI> or _:blank) or '.'"}[n])
		}
		if err != nil {
			return quad.Quad{}, err
		}
		terms[n] = v
		n++
	}
}

func (p *strictParser) rune() rune {
	r, _ := utf8.DecodeRuneInString(p.s[p.i:])
	return r
}

// uchar reads \uXXXX or \UXXXXXXXX at p.i.
func (p *strictParser) uchar() (rune, error) {
	at := p.i
	if p.i+1 >= len(p.s) {
		return 0, fmt.Errorf("a '\\' ends the line")
	}
	n := map[byte]int{'u': 4, 'U': 8}[p.s[p.i+1]]
	if n == 0 || p.i+2+n > len(p.s) {
		return 0, fmt.Errorf("bad escape %q", p.s[p.i:min(len(p.s), p.i+2)])
	}
	v, err := strconv.ParseUint(p.s[p.i+2:p.i+2+n], 16, 32)
	if err != nil || strings.ContainsAny(p.s[p.i+2:p.i+2+n], "+-_xX") || v > utf8.MaxRune || 0xD800 <= v && v < 0xE000 {
		return 0, fmt.Errorf("bad escape %q", p.s[at:p.i+2+n])
	}
	p.i += 2 + n
	return rune(v), nil
}

// iri reads <IRI>, which must be absolute (have a scheme).
func (p *strictParser) iri() (quad.Value, error) {
	start := p.i
	p.i++
	var b strings.Builder
	for {
		if p.i >= len(p.s) {
			p.i = start
			return nil, incomplete("an IRI without its '>'")
		}
		c := p.s[p.i]
		switch {
		case c == '>':
			p.i++
			iri := b.String()
			if !absoluteIRI(iri) && p.base != nil {
				if ref, err := url.Parse(iri); err == nil {
					iri = p.base.ResolveReference(ref).String()
				}
			}
			if !absoluteIRI(iri) {
				p.i = start
				return nil, fmt.Errorf("relative IRI <%s>: N-Quads takes absolute IRIs only (or give --base)", iri)
			}
			return quad.IRI(iri), nil
		case c == '\\':
			r, err := p.uchar()
			if err != nil {
				return nil, err
			}
			if r <= ' ' || strings.ContainsRune("<>\"{}|^`\\", r) {
				return nil, fmt.Errorf("an escape for %q, which an IRI cannot hold", r)
			}
			b.WriteRune(r)
		case c <= ' ' || strings.IndexByte("<\"{}|^`", c) >= 0:
			return nil, fmt.Errorf("%q in an IRI", c)
		default:
			r, size := utf8.DecodeRuneInString(p.s[p.i:])
			if r == utf8.RuneError && size == 1 {
				return nil, fmt.Errorf("not valid UTF-8")
			}
			b.WriteString(p.s[p.i : p.i+size])
			p.i += size
		}
	}
}

// absoluteIRI says whether iri starts with a scheme and ':'.
func absoluteIRI(iri string) bool {
	i := strings.IndexByte(iri, ':')
	if i < 1 || !('a' <= iri[0]|0x20 && iri[0]|0x20 <= 'z') {
		return false
	}
	for j := 1; j < i; j++ {
		if c := iri[j]; !isAlnum(c) && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

// bnode reads _:label.
func (p *strictParser) bnode() (quad.Value, error) {
	start := p.i
	if !strings.HasPrefix(p.s[p.i:], "_:") {
		return nil, fmt.Errorf("want _: to start a blank node")
	}
	p.i += 2
	first := true
	end := p.i
	for p.i < len(p.s) {
		r, size := utf8.DecodeRuneInString(p.s[p.i:])
		switch {
		case first && (pnCharsU(r) || '0' <= r && r <= '9'):
		case !first && (pnChars(r) || r == '.'):
		default:
			goto done
		}
		first = false
		p.i += size
		if r != '.' {
			end = p.i
		}
	}
done:
	if end == start+2 {
		return nil, fmt.Errorf("a blank node needs a label")
	}
	p.i = end // a label does not end with '.'
	if p.i < len(p.s) && p.s[p.i] == ':' {
		return nil, fmt.Errorf("':' in a blank node label")
	}
	return quad.BNode(p.s[start+2 : end]), nil
}

func pnCharsBase(r rune) bool {
	return 'A' <= r && r <= 'Z' || 'a' <= r && r <= 'z' || 0xC0 <= r && r <= 0xD6 || 0xD8 <= r && r <= 0xF6 ||
		0xF8 <= r && r <= 0x2FF || 0x370 <= r && r <= 0x37D || 0x37F <= r && r <= 0x1FFF || 0x200C <= r && r <= 0x200D ||
		0x2070 <= r && r <= 0x218F || 0x2C00 <= r && r <= 0x2FEF || 0x3001 <= r && r <= 0xD7FF ||
		0xF900 <= r && r <= 0xFDCF || 0xFDF0 <= r && r <= 0xFFFD || 0x10000 <= r && r <= 0xEFFFF
}

func pnCharsU(r rune) bool { return pnCharsBase(r) || r == '_' }

func pnChars(r rune) bool {
	return pnCharsU(r) || r == '-' || '0' <= r && r <= '9' || r == 0xB7 || 0x300 <= r && r <= 0x36F || 0x203F <= r && r <= 0x2040
}

// literal reads "text" and its @lang or ^^<datatype>.
func (p *strictParser) literal() (quad.Value, error) {
	start := p.i
	p.i++
	var b strings.Builder
	for {
		if p.i >= len(p.s) {
			p.i = start
			return nil, incomplete("a literal without its closing '\"'")
		}
		c := p.s[p.i]
		if c == '"' {
			p.i++
			break
		}
		switch c {
		case '\n', '\r':
			return nil, fmt.Errorf("a line break in a literal")
		case '\\':
			if p.i+1 < len(p.s) {
				if e := strings.IndexByte(`tbnrf"'\`, p.s[p.i+1]); e >= 0 {
					b.WriteByte("\t\b\n\r\f\"'\\"[e])
					p.i += 2
					continue
				}
			}
			r, err := p.uchar()
			if err != nil {
				return nil, err
			}
			b.WriteRune(r)
			continue
		}
		r, size := utf8.DecodeRuneInString(p.s[p.i:])
		if r == utf8.RuneError && size == 1 {
			return nil, fmt.Errorf("not valid UTF-8")
		}
		b.WriteString(p.s[p.i : p.i+size])
		p.i += size
	}
	text := quad.String(b.String())
	switch {
	case strings.HasPrefix(p.s[p.i:], "^^"):
		p.i += 2
		if p.i >= len(p.s) || p.s[p.i] != '<' {
			return nil, fmt.Errorf("want <datatype IRI> after ^^")
		}
		dt, err := p.iri()
		if err != nil {
			return nil, err
		}
		v := quad.TypedString{Value: text, Type: dt.(quad.IRI)}
		if nquads.AutoConvertTypedString {
			if nv, err := v.ParseValue(); err == nil {
				return nv, nil
			}
		}
		return v, nil
	case strings.HasPrefix(p.s[p.i:], "@"):
		j := p.i + 1
		for j < len(p.s) && (isAlnum(p.s[j]) || p.s[j] == '-') {
			j++
		}
		lang := p.s[p.i+1 : j]
		if !validLang(lang) {
			return nil, fmt.Errorf("bad language tag %q", lang)
		}
		p.i = j
		return quad.LangString{Value: text, Lang: lang}, nil
	}
	return text, nil
}
