package kitchen

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestValidateErrorsCarryTheirPaths(t *testing.T) {
	m := validMenu()
	m.Name = ""
	m.Customers = -1
	m.Dishes[0].Steps[1].Wait = 0
	err := m.Validate()
	require.Error(t, err, "Validate() of a menu with three problems")
	joined, ok := err.(interface{ Unwrap() []error })
	require.True(t, ok, "Validate() = %T; want errors joined with errors.Join", err)
	var paths, texts []string
	for _, e := range joined.Unwrap() {
		var fe *FieldError
		require.True(t, errors.As(e, &fe), "Validate() problem %q is no *FieldError", e)
		paths = append(paths, fe.Path)
		texts = append(texts, fe.Err.Error())
		assert.Equal(t, fe.Path+": "+fe.Err.Error(), e.Error(), "FieldError.Error()")
	}
	assert.Equal(t, []string{"name", "customers", "dishes[0].steps[1].wait"}, paths, "FieldError paths")
	assert.Equal(t, []string{"missing", "-1 out of range [1, 1000000]", "0s out of range (0s, 1h0m0s]"}, texts, "FieldError problems")
	assert.ErrorIs(t, err, errMissing, "Validate() of a menu without a name")
}

func TestFieldErrorError(t *testing.T) {
	for _, tc := range []struct {
		e    FieldError
		want string
	}{
		{FieldError{Path: "grills", Err: errors.New("-1 out of range")}, "grills: -1 out of range"},
		{FieldError{Err: errors.New("a menu needs a name")}, "a menu needs a name"},
	} {
		assert.Equal(t, tc.want, tc.e.Error(), "%#v.Error()", tc.e)
		assert.Equal(t, tc.e.Err, tc.e.Unwrap(), "Unwrap()")
	}
}
