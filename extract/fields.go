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
}
