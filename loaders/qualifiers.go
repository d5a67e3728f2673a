package loaders

import (
	"strings"

	"github.com/leydigkg/leydigkg/graph"
)

// Biolink 4.x qualifiers on a KGX edge say what changes in the object (and
// in the subject): object_direction_qualifier says whether it goes up or
// down, object_aspect_qualifier what of it goes up or down. Only the
// amount of the entity (or what it does) is a sign in this graph, so an
// aspect either keeps the direction, reverses it, or makes the edge
// unsigned:
//
//	aspect                                  sign of the link
//	(none), activity_or_abundance,          the direction
//	activity, abundance, expression,
//	synthesis
//	degradation, cleavage, hydrolysis       the direction reversed (more
//	                                        degradation is less of it;
//	                                        cleavage and hydrolysis are
//	                                        degradation in the enum)
//	any other aspect: localization,         none: the edge is ignored, and
//	transport, secretion, uptake, splicing, counted with the aspect as its
//	stability, metabolic_processing,        reason (more of it is not more
//	mutation_rate, molecular_modification   or less of the entity: more
//	and its kinds (phosphorylation, ...),   stability is not said to be more
//	and aspects this table does not know    abundance, more phosphorylation
//	                                        may activate or inhibit)
//
// The same table reads subject_aspect_qualifier, and
// subject_direction_qualifier decreased (or downregulated) reverses the
// sign: less of A gives less of B is A INCREASES B. An edge with
// negated: true says the link does not hold: it is no causal link of this
// graph and is ignored, counted as negated. The values are Biolink's
// GeneOrGeneProductOrChemicalEntityAspectEnum and DirectionQualifierEnum;
// spaces are read as underscores ("molecular modification" of older
// releases).
var aspectSigns = map[string]int{
	"activity_or_abundance": +1,
	"activity":              +1,
	"abundance":             +1,
	"expression":            +1,
	"synthesis":             +1,
	"degradation":           -1,
	"cleavage":              -1,
	"hydrolysis":            -1,
}

// qualifiedPredicates are the qualified_predicate values whose edge is a
// causal statement about the qualified object.
var qualifiedPredicates = map[string]bool{"biolink:causes": true}

// aspectSign is +1 or -1 for an aspect that keeps or reverses the
// direction, 0 for one that says nothing of more or less of the entity.
func aspectSign(aspect string) int {
	if aspect == "" {
		return +1
	}
	return aspectSigns[strings.ReplaceAll(strings.ToLower(aspect), " ", "_")]
}

func reverse(e graph.Effect) graph.Effect {
	switch e {
	case graph.Increases:
		return graph.Decreases
	case graph.Decreases:
		return graph.Increases
	}
	return e
}
