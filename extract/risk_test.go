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

// TestRiskMechanisms pins the reader's general rules, one sentence each (none of them from a corpus):
// shorthand, modifiers inside phrases, trends, health numbers, odds, labels, answer particles, opinions
// denied, conditional clauses, beliefs and doubts, moods after the noun, assessments, irony, questions
// answered, compounds and risks of other things.
func TestRiskMechanisms(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct{ sentence, want string }{
		"shorthand is written out":                {"notice of cancellation rcvd from their procurement", "critical"},
		"a modifier inside a phrase moves it":     {"they have gone really quiet", "high"},
		"a softener inside a phrase":              {"they have gone a little quiet", "medium"},
		"a measure falling is a trend":            {"weekly logins have declined since spring", "medium"},
		"a measure falling by a lot":              {"weekly logins have declined sharply", "high"},
		"a measure rising":                        {"active users grew again this quarter", "low"},
		"a negative change after a measure":       {"licences -45% at the true-up", "high"},
		"from one number to another":              {"seats from 300 to 90 this year", "high"},
		"a level word describing a measure":       {"low adoption in the Paris office", "medium"},
		"an NPS below zero":                       {"their NPS is -20", "high"},
		"an NPS well above zero":                  {"NPS sits at 55", "low"},
		"a health score without a scale":          {"health score 91", "low"},
		"odds in our favour":                      {"70/30 they renew", "medium"},
		"one in n":                                {"one in four they walk", "medium"},
		"a score before a renew word":             {"9 out of 10 they renew", "low"},
		"a label reaches its value":               {"RAG status: green", "low"},
		"a label with none":                       {"red flags: none", "low"},
		"no before a subject answers":             {"no, it is all fine", "low"},
		"an opinion denied alone":                 {"I wouldn't call them at risk", "low"},
		"an opinion denied beside trouble":        {"they are furious about the outage, I wouldn't call it a churn risk though", "medium"},
		"a conditional clause drops its level":    {"amber, could be red if the budget goes", "medium"},
		"a conditional clause keeps its signals":  {"they could walk if the fix slips", "medium"},
		"a belief makes certain likely":           {"I reckon they will cancel", "high"},
		"uncertainty makes it possible":           {"not sure they will renew", "medium"},
		"a wager declined":                        {"I wouldn't bet my car on them renewing", "high"},
		"a mood after the noun":                   {"renewal looks doubtful", "high"},
		"an assessment bounds weak signals":       {"it's a bit shaky, usage has dropped a lot", "medium"},
		"a strong signal beats an assessment":     {"it's fine, but they have had demos with a rival", "high"},
		"irony inverts":                           {"as safe as a chocolate fireguard", "high"},
		"a question answered no":                  {"churn risk? not really", "low"},
		"a question answered yes":                 {"is it high? yep", "high"},
		"another noun's risk":                     {"the high-risk tasks are with the PM", "none"},
		"a risk of something else":                {"their risk team wants a security review, levels are low", "none"},
		"a hyphen is inside a word":               {"they committed to a two-year extension", "low"},
		"a whole outcome after the account":       {"they terminate the contract at year end", "critical"},
		"an outcome towards us takes any subject": {"the new CEO wants to drop us", "high"},
		"a graded idiom":                          {"they're on borrowed time", "high"},
		"a negated level is a verdict":            {"not high, not low", "medium"},
		"the risk of something is no signal":      {"a meaningful risk of non-renewal", "medium"},
		"a level word before the present":         {"was red in spring, amber today", "medium"},
		"a past risk word is no verdict":          {"they used to be at risk", "none"},
		"a modifier leaves a level leading":       {"bright green", "low"},
		"between two levels":                      {"between low and medium", "medium"},
		"a level word after a measure":            {"adoption is low right now", "medium"},
		"a graded chance before the subject":      {"small chance they stay", "high"},
		"a mood inside a signal's phrase":         {"they probably won't renew", "high"},
		"a scale of five runs from one":           {"churn risk 2/5", "low"},
		"where a measure fell to is no fall":      {"logins fell to 70% of last year", "medium"},
		"a correction replaces the verdict":       {"amber. actually, no, red", "high"},
		"n of m after a risk word is a score":     {"churn risk 9 of 10", "critical"},
		"an intensifier inside a negation":        {"not so good with them lately", "medium"},
	} {
		if got := riskLevelRead(tc.sentence); got != tc.want {
			t.Errorf("%s: %q read %s, want %s", name, tc.sentence, got, tc.want)
		}
	}
}
