package llm

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
)

// CheckStrict reports whether s is acceptable to OpenAI's strict structured output: every object lists
// all its properties in "required" and sets "additionalProperties": false, at every depth. A schema that
// is not is refused by the API with a 400 on every request (PITFALLS: go-openai's schema generator
// makes such schemas), so the engines check theirs in tests.
func CheckStrict(s Schema) error {
	var root any
	if err := json.Unmarshal(s.Schema, &root); err != nil {
		return fmt.Errorf("schema %s: %w", s.Name, err)
	}
	return checkStrict(s.Name, root)
}

func checkStrict(path string, node any) error {
	m, ok := node.(map[string]any)
	if !ok {
		return nil
	}
	if m["type"] == "object" {
		props, _ := m["properties"].(map[string]any)
		if ap, ok := m["additionalProperties"].(bool); !ok || ap {
			return fmt.Errorf("%s: an object without \"additionalProperties\": false", path)
		}
		var required []string
		if list, ok := m["required"].([]any); ok {
			for _, r := range list {
				if name, ok := r.(string); ok {
					required = append(required, name)
				}
			}
		}
		names := make([]string, 0, len(props))
		for name := range props {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			if !slices.Contains(required, name) {
				return fmt.Errorf("%s: property %q is not required", path, name)
			}
			if err := checkStrict(path+"."+name, props[name]); err != nil {
				return err
			}
		}
	}
	if items, ok := m["items"]; ok {
		return checkStrict(path+"[]", items)
	}
	return nil
}
