package graph

import "fmt"

// Predicates maps each Biolink 4.x predicate a link may use to the effect it
// requires ("" when it takes either sign). The table is documented in
// data/README.md.
var Predicates = map[string]Effect{
	"biolink:regulates":                  "",
	"biolink:affects":                    "",
	"biolink:produces":                   Increases,
	"biolink:causes":                     Increases,
	"biolink:contributes_to":             Increases,
	"biolink:exacerbates_condition":      Increases,
	"biolink:catalyzes":                  Increases, // an enzyme speeding up the reaction that is the object
	"biolink:disrupts":                   Decreases,
	"biolink:treats":                     Decreases,
	"biolink:ameliorates_condition":      Decreases,
	"biolink:preventative_for_condition": Decreases,
}

// removedPredicates were dropped from Biolink; a link names them by mistake.
var removedPredicates = map[string]string{
	"biolink:positively_regulates":                  "biolink:regulates with effect INCREASES",
	"biolink:negatively_regulates":                  "biolink:regulates with effect DECREASES",
	"biolink:positively_regulates_entity_to_entity": "biolink:regulates with effect INCREASES",
	"biolink:negatively_regulates_entity_to_entity": "biolink:regulates with effect DECREASES",
}

// CheckPredicate reports whether predicate is allowed with effect.
func CheckPredicate(predicate string, effect Effect) error {
	want, ok := Predicates[predicate]
	if !ok {
		if use, removed := removedPredicates[predicate]; removed {
			return fmt.Errorf("%w: %s was removed in Biolink 3.1; use %s", ErrPredicate, predicate, use)
		}
		return fmt.Errorf("%w: %q is not a causal Biolink 4.x predicate this graph accepts", ErrPredicate, predicate)
	}
	if want != "" && effect.Valid() && want != effect {
		return fmt.Errorf("%w: %s needs effect %s, not %s", ErrPredicate, predicate, want, effect)
	}
	return nil
}
