package extract

import "testing"

// TestAccountRisk pins the rule that picks one level from an account's risk findings.
func TestAccountRisk(t *testing.T) {
	t.Parallel()
	s := func(level string, stated bool) RiskStatement { return RiskStatement{Level: level, Stated: stated} }
	for name, tc := range map[string]struct {
		in   []RiskStatement
		want string
		at   int
	}{
		"none":                                {nil, "", -1},
		"the latest stated level":             {[]RiskStatement{s("critical", true), s("low", true)}, "low", 1},
		"a later remark does not overrule":    {[]RiskStatement{s("critical", true), s("medium", false)}, "critical", 0},
		"without a stated level, the highest": {[]RiskStatement{s("high", false), s("medium", false)}, "high", 0},
		"stated after inferred":               {[]RiskStatement{s("high", false), s("low", true)}, "low", 1},
		"no level is skipped":                 {[]RiskStatement{s("", false), s("medium", true)}, "medium", 1},
	} {
		if got, at := AccountRisk(tc.in); got != tc.want || at != tc.at {
			t.Errorf("%s: AccountRisk = %q, %d; want %q, %d", name, got, at, tc.want, tc.at)
		}
	}
}

// TestRiskLexiconParses: every section is there and every level value is one.
func TestRiskLexiconParses(t *testing.T) {
	t.Parallel()
	if _, err := loadRiskLexicon(); err != nil {
		t.Fatal(err)
	}
}
