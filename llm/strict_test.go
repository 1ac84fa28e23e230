package llm

import (
	"encoding/json"
	"testing"
)

func TestCheckStrict(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		schema string
		ok     bool
	}{
		"strict": {`{"type":"object","additionalProperties":false,"required":["a","b"],"properties":{"a":{"type":"string"},
			"b":{"type":"array","items":{"type":"object","additionalProperties":false,"required":["c"],"properties":{"c":{"type":["string","null"]}}}}}}`, true},
		"optional property": {`{"type":"object","additionalProperties":false,"required":["a"],"properties":{"a":{"type":"string"},"b":{"type":"string"}}}`, false},
		"open object":       {`{"type":"object","required":["a"],"properties":{"a":{"type":"string"}}}`, false},
		"nested open item": {`{"type":"object","additionalProperties":false,"required":["b"],"properties":{
			"b":{"type":"array","items":{"type":"object","additionalProperties":true,"required":[],"properties":{}}}}}`, false},
	} {
		err := CheckStrict(Schema{Name: name, Schema: json.RawMessage(tc.schema)})
		if (err == nil) != tc.ok {
			t.Errorf("%s: CheckStrict = %v, want ok %v", name, err, tc.ok)
		}
	}
}
