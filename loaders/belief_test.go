package loaders

import (
	"errors"
	"strings"
	"testing"
)

func TestReadBeliefTable(t *testing.T) {
	tests := []struct {
		name, in string
		rows     int
		err      error
		at       string // file:line:col of the error
	}{
		{"fine", "- source: a\n  random: 0.1\n  systematic: 0.1\n  why: a\n- random: 0.3\n  systematic: 0.2\n  why: rest\n", 2, nil, ""},
		{"not a list", "source: a\n", 0, ErrType, "t.yaml:1:1"},
		{"unknown field", "- source: a\n  randm: 0.1\n  why: x\n- why: y\n", 0, ErrUnknownField, "t.yaml:1:3"},
		{"rate out of range", "- random: 0.1\n  why: x\n- random: 2\n  why: y\n", 0, ErrInvalidValue, "t.yaml:3:3"},
		{"no reason", "- random: 0.1\n", 0, ErrMissingField, "t.yaml:1:3"},
		{"bad level", "- knowledge_level: rumour\n  why: x\n- why: y\n", 0, ErrInvalidValue, "t.yaml:1:3"},
		{"no catch-all", "- source: a\n  why: x\n", 0, ErrInvalidValue, "t.yaml:1:3"},
		{"syntax", "- [\n", 0, ErrSyntax, "t.yaml:1:1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tab, err := ReadBeliefTable(File{Name: "t.yaml", Data: []byte(tc.in)})
			if tc.err == nil {
				if err != nil || len(tab) != tc.rows {
					t.Fatalf("ReadBeliefTable = %d rows, %v; want %d", len(tab), err, tc.rows)
				}
				return
			}
			if !errors.Is(err, tc.err) || !strings.HasPrefix(err.Error(), tc.at+":") {
				t.Errorf("err = %v, want %v at %s", err, tc.err, tc.at)
			}
		})
	}
}
