package sso

import (
	"slices"
	"testing"

	"github.com/exitinterview/exitinterview/config"
	"github.com/exitinterview/exitinterview/store"
)

// TestRoleOfGroups: the most powerful mapped role wins; no mapped group maps to nothing.
func TestRoleOfGroups(t *testing.T) {
	t.Parallel()
	s := &Service{cfg: config.OIDCConfig{AdminGroups: []string{"kt-admins"}, ManagerGroups: []string{"cs-leads", "cs-managers"},
		SuccessorGroups: []string{"csm"}}}
	for _, c := range []struct {
		groups []string
		role   store.Role
		ok     bool
	}{
		{[]string{"csm"}, store.RoleSuccessor, true},
		{[]string{"everyone", "cs-managers"}, store.RoleManager, true},
		{[]string{"csm", "kt-admins", "cs-leads"}, store.RoleAdmin, true},
		{[]string{"everyone", "KT-ADMINS"}, "", false}, // group names are matched exactly
		{nil, "", false},
	} {
		role, ok := s.roleOf(c.groups)
		if role != c.role || ok != c.ok {
			t.Errorf("%v: %q %v, want %q %v", c.groups, role, ok, c.role, c.ok)
		}
	}
}

// TestClaimsReading: groups as a list or one string, the name from whichever claims the provider sends.
func TestClaimsReading(t *testing.T) {
	t.Parallel()
	if g := stringsOf([]any{"a", 3.0, "b"}); !slices.Equal(g, []string{"a", "b"}) {
		t.Errorf("list: %v", g)
	}
	if g := stringsOf("only"); !slices.Equal(g, []string{"only"}) {
		t.Errorf("one string: %v", g)
	}
	if g := stringsOf(map[string]any{"x": 1}); g != nil {
		t.Errorf("an object: %v", g)
	}
	for _, c := range []struct {
		claims map[string]any
		want   string
	}{
		{map[string]any{"name": " Dana Whitfield "}, "Dana Whitfield"},
		{map[string]any{"given_name": "Dana", "family_name": "Whitfield"}, "Dana Whitfield"},
		{map[string]any{}, "dana.w"},
	} {
		if got := nameOf(c.claims, "dana.w@example.com"); got != c.want {
			t.Errorf("%v: %q, want %q", c.claims, got, c.want)
		}
	}
	if !ValidBrowserSecret(NewBrowserSecret()) || ValidBrowserSecret("eib_short") || ValidBrowserSecret("") {
		t.Error("browser secrets are not told from other strings")
	}
}
