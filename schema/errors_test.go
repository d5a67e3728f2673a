package schema

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/leydigkg/leydigkg/graph"
)

func TestCodeOf(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{fmt.Errorf("write: %w", graph.ErrUnavailable), CodeUnavailable},
		{errors.Join(fmt.Errorf("write: %w", graph.ErrUnavailable), errors.New("reload failed")), CodeUnavailable},
		{fmt.Errorf("x: %w", graph.ErrNotFound), CodeNotFound},
		{graph.ErrBadArgument, CodeBadUserInput},
		{fmt.Errorf("trace: %w", &graph.AmbiguousError{Ref: "LH"}), CodeAmbiguous},
		{context.DeadlineExceeded, CodeTimeout},
		{errors.New("boom"), CodeInternal},
	}
	for _, tt := range tests {
		if got := CodeOf(tt.err); got != tt.want {
			t.Errorf("CodeOf(%v) = %s, want %s", tt.err, got, tt.want)
		}
	}
}
