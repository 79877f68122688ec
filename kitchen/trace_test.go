package kitchen

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestContextTrace(t *testing.T) {
	outer, inner := &Trace{}, &Trace{}
	ctx := WithTrace(context.Background(), outer)
	tests := []struct {
		name string
		ctx  context.Context
		want *Trace
	}{
		{"none", context.Background(), nil},
		{"carried", ctx, outer},
		{"through a derived context", context.WithValue(ctx, struct{ k int }{}, 1), outer},
		{"replaced", WithTrace(ctx, inner), inner},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Same(t, tc.want, ContextTrace(tc.ctx), "ContextTrace()")
		})
	}
}
