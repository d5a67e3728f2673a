package layout

import "github.com/cayleygraph/quad"

// The store keeps rdf:type as the short IRI <rdf:type>, and cayley's
// typed values (quad.Int, quad.Float, ...) name their datatypes short
// (<xsd:integer>, <xsd:double>). Inside the store that is harmless, but
// other RDF tools read "rdf:type" as an IRI of the scheme "rdf:" and so do
// not see a type. The stored layout stays as it is (changing it would need
// a new layout version and kg.Upgrade for every store, for no gain inside
// the store); Absolute expands at the export boundary and Stored folds an
// import back.

// RDFType is rdf:type as an absolute IRI.
const RDFType = quad.IRI("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

// The short prefixes cayley's values and this layout use, with their IRIs.
var shortPrefixes = map[string]string{
	"rdf:":  "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
	"rdfs:": "http://www.w3.org/2000/01/rdf-schema#",
	"xsd:":  "http://www.w3.org/2001/XMLSchema#",
	"owl:":  "http://www.w3.org/2002/07/owl#",
}

// absoluteIRI expands a short IRI of shortPrefixes.
func absoluteIRI(iri quad.IRI) quad.IRI {
	s := string(iri)
	for short, full := range shortPrefixes {
		if len(s) > len(short) && s[:len(short)] == short {
			return quad.IRI(full + s[len(short):])
		}
	}
	return iri
}

// typed is a value cayley writes as a typed literal.
type typed interface{ TypedString() quad.TypedString }

// absoluteValue is v with every IRI in it absolute.
func absoluteValue(v quad.Value) quad.Value {
	switch x := v.(type) {
	case nil:
		return nil
	case quad.IRI:
		return absoluteIRI(x)
	case quad.TypedString:
		x.Type = absoluteIRI(x.Type)
		return x
	case typed:
		ts := x.TypedString()
		ts.Type = absoluteIRI(ts.Type)
		return ts
	}
	return v
}

// Absolute is q as an export writes it: every IRI absolute (<rdf:type>
// becomes <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>, a typed
// value's <xsd:integer> <http://www.w3.org/2001/XMLSchema#integer>, ...).
func Absolute(q quad.Quad) quad.Quad {
	return quad.Quad{Subject: absoluteValue(q.Subject), Predicate: absoluteValue(q.Predicate), Object: absoluteValue(q.Object), Label: absoluteValue(q.Label)}
}

// Stored is a quad of this layout as the store keeps it, whether it was
// read from an export of Absolute's or of an older leydigkg (which wrote
// <rdf:type>): rdf:type short. Typed values need nothing: a reader
// converts both forms of their datatypes (quad.RegisterStringConversion).
func Stored(q quad.Quad) quad.Quad {
	if q.Predicate == RDFType {
		q.Predicate = rdfType
	}
	return q
}
