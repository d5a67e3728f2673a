package server

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestOutcomeLabelsDocumented checks that docs/serving.md's metrics paragraph
// lists every outcome label the server uses, and no other.
func TestOutcomeLabelsDocumented(t *testing.T) {
	b, err := os.ReadFile("../docs/serving.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	i := strings.Index(readme, "leydigkg_graphql_requests_total{operation,outcome}")
	j := strings.Index(readme, "leydigkg_graphql_request_duration_seconds{")
	if i < 0 || j < i {
		t.Fatal("docs/serving.md does not describe leydigkg_graphql_requests_total")
	}
	para := readme[i:j]
	for _, l := range outcomeLabels {
		if !strings.Contains(para, "`"+l+"`") {
			t.Errorf("docs/serving.md does not list the outcome %q", l)
		}
	}
	if listed := regexp.MustCompile("`([a-z_]+)`").FindAllString(para, -1); len(listed) != len(outcomeLabels) {
		t.Errorf("docs/serving.md lists %d outcomes %v, the server has %d", len(listed), listed, len(outcomeLabels))
	}
}
