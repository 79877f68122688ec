package results

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSameJSONComparesWhatTheMenuSays(t *testing.T) {
	ours := json.RawMessage(`{
  "name": "pantry",
  "about": "reads of 64–256 KiB",
  "seed": 18446744073709551615,
  "dishes": [{"name": "stock", "weight": 1}]
}`)
	for _, tc := range []struct {
		name  string
		other string
		same  bool
	}{
		{"re-encoded by Python: escapes, spacing", `{"name": "pantry", "about": "reads of 64\u2013256 KiB", "seed": 18446744073709551615, "dishes": [{"name": "stock", "weight": 1}]}`, true},
		{"keys in another order", `{"dishes":[{"weight":1,"name":"stock"}],"seed":18446744073709551615,"about":"reads of 64–256 KiB","name":"pantry"}`, true},
		{"a dish's weight changed", `{"name":"pantry","about":"reads of 64–256 KiB","seed":18446744073709551615,"dishes":[{"name":"stock","weight":2}]}`, false},
		{"a seed one apart (not rounded through a float)", `{"name":"pantry","about":"reads of 64–256 KiB","seed":18446744073709551614,"dishes":[{"name":"stock","weight":1}]}`, false},
		{"not JSON", `{"name":`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.same, sameJSON(ours, json.RawMessage(tc.other)), "sameJSON")
		})
	}
}
