package graph

import (
	"strings"
	"unicode"
)

// The confidence rule, documented in data/README.md.
const (
	baseConfidence       = 0.80 // the source states the claim outright
	hedgePenalty         = 0.20 // the quote hedges
	primaryStudyBonus    = 0.10 // the source ties a primary study to the claim
	corroborationBonus   = 0.05 // each further evidence item
	maxRuleConfidence    = 0.95
	confidenceResolution = 100 // scores are kept to two decimals
)

// hedges are the words by which a source signals a claim it does not make
// outright.
var hedges = map[string]bool{
	"may": true, "might": true, "can": true, "could": true, "potentially": true,
	"possibly": true, "often": true, "help": true, "helps": true, "likely": true,
	"indirectly": true,
}

// Hedged reports whether quote contains a hedging word.
func Hedged(quote string) bool {
	for _, w := range strings.FieldsFunc(strings.ToLower(quote), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if hedges[w] {
			return true
		}
	}
	return false
}

// Confidence scores a link from its evidence: 0.80 for a claim stated
// outright, 0.20 less when the quote hedges, 0.10 more when the source ties a
// primary study to it; the best item counts, plus 0.05 for each further item,
// at most 0.95. It returns 0 for no evidence.
func Confidence(evidence []Evidence) float64 {
	if len(evidence) == 0 {
		return 0
	}
	best := 0.0
	for _, ev := range evidence {
		c := baseConfidence
		if Hedged(ev.Quote) {
			c -= hedgePenalty
		}
		if len(ev.References) > 0 {
			c += primaryStudyBonus
		}
		best = max(best, c)
	}
	c := min(best+corroborationBonus*float64(len(evidence)-1), maxRuleConfidence)
	return float64(int(c*confidenceResolution+0.5)) / confidenceResolution
}
