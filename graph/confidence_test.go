package graph

import "testing"

func TestConfidence(t *testing.T) {
	ev := func(q string, refs ...string) Evidence { return Evidence{Quote: q, References: refs} }
	tests := []struct {
		name string
		in   []Evidence
		want float64
	}{
		{"none", nil, 0},
		{"outright", []Evidence{ev("LH then travels to the testes.")}, 0.8},
		{"hedged", []Evidence{ev("Cytokines can interfere with the hypothalamus.")}, 0.6},
		{"hedge inside a word is not a hedge", []Evidence{ev("It cannot; a mayor.")}, 0.8},
		{"with a study", []Evidence{ev("Models demonstrate fibrosis.", "aldahhan2021")}, 0.9},
		{"corroborated", []Evidence{ev("may"), ev("is"), ev("is")}, 0.9},
		{"capped", []Evidence{ev("x", "r"), ev("y"), ev("z")}, 0.95},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Confidence(tt.in); got != tt.want {
				t.Errorf("Confidence = %v, want %v", got, tt.want)
			}
		})
	}
}
