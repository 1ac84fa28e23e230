package extract

// FieldsOf lists the fields each type of finding may carry, in the order they are shown. Both the
// rules and a model's extraction keep to it; values are strings (dates YYYY-MM-DD, money a plain
// number, probabilities from 0 to 1).
var FieldsOf = map[string][]string{
	Stakeholder:       {"name", "role", "relationship", "sentiment", "channel", "notes", "status", "do_not_contact", "reason"},
	Risk:              {"level", "basis", "driver", "drivers", "competitor", "crm_health"},
	Renewal:           {"date", "probability", "decider", "blockers"},
	Upsell:            {"product", "value", "stage", "next_step", "due_date", "owner", "contact"},
	Commitment:        {"what", "to_whom", "due_date", "status"},
	OpenIssue:         {"what", "status", "reference", "impact", "owner"},
	Workaround:        {"what", "for", "frequency", "tool", "location", "impact"},
	EscalationContact: {"name", "role", "channel", "contact", "for"},
	Feedback:          {"theme", "customers", "impact"},
	Process:           {"what", "cadence", "owner", "tool"},
	Decision:          {"what", "why"},
	ShadowSystem:      {"what", "tool", "location", "contents", "owner"},
	Objective:         {"kind", "what", "target"},
	System:            {"kind", "name", "category", "when"},
	Document:          {"kind", "location", "link"},
	Advocacy:          {"kind", "status", "in_return", "contact"},
	Meeting:           {"when", "date", "with", "agreed"},
}

// The words the kinds and categories of the handover facts take. A model's value outside them is
// dropped; the rules only write these.
var (
	ObjectiveKinds   = []string{"objective", "kpi", "qbr_takeaway", "feature_valued", "feature_ignored"}
	SystemKinds      = []string{"package", "go_live", "integration"}
	SystemCategories = []string{"crm", "support", "bi", "other"}
	DocumentKinds    = []string{"contract", "order_form", "invoice", "kickoff_deck", "qbr_deck", "sales_handoff", "success_plan",
		"meeting_notes", "other"}
	AdvocacyKinds = []string{"reference", "case_study", "review", "speaking", "other"}
)

// KindsOf are the words a field of a type may take, for the fields that take a fixed list.
func KindsOf(typ, field string) []string {
	switch {
	case typ == Objective && field == "kind":
		return ObjectiveKinds
	case typ == System && field == "kind":
		return SystemKinds
	case typ == System && field == "category":
		return SystemCategories
	case typ == Document && field == "kind":
		return DocumentKinds
	case typ == Advocacy && field == "kind":
		return AdvocacyKinds
	}
	return nil
}
