package facts

import "github.com/exitinterview/exitinterview/readiness"

// Set is an interview's facts as every output reads them: withdrawn facts left out.
type Set struct{ all []Fact }

// NewSet keeps the facts that stand (not withdrawn).
func NewSet(all []Fact) Set {
	var out []Fact
	for _, f := range all {
		if f.State != Withdrawn {
			out = append(out, f)
		}
	}
	return Set{out}
}

// All returns the facts that stand.
func (s Set) All() []Fact { return s.all }

// Of returns an account's facts ("" for the portfolio's), of the given types (any when none given), in
// order.
func (s Set) Of(accountID string, types ...string) []Fact {
	var out []Fact
	for _, f := range s.all {
		if f.AccountID != accountID {
			continue
		}
		if len(types) > 0 && !contains(types, f.Type) {
			continue
		}
		out = append(out, f)
	}
	return out
}

// Discussed returns the topics the account's facts show were discussed (readiness.TopicOf), by key: what
// the dashboard and the report both count as discussed.
func (s Set) Discussed(accountID string) map[string]bool {
	out := map[string]bool{}
	for _, f := range s.Of(accountID) {
		if topic, ok := readiness.TopicOf(f.Type, f.Fields); ok {
			out[topic] = true
		}
	}
	return out
}

// One returns an account's fact of a type an account has once (risk, renewal), if there is one.
func (s Set) One(accountID, typ string) (Fact, bool) {
	for _, f := range s.all {
		if f.AccountID == accountID && f.Type == typ {
			return f, true
		}
	}
	return Fact{}, false
}

// Decided reports whether the CSM confirmed or corrected the fact.
func Decided(f Fact) bool { return f.State == Confirmed || f.State == Corrected }

// Contactable reports whether a person fact may be introduced to a successor: a person who has not left,
// is not on leave, and whom the CSM did not say must not be contacted.
func Contactable(f Fact) bool {
	st := f.Fields["status"]
	return f.Type == Person && st != "left" && st != "on_leave" && !yes(f.Fields["do_not_contact"])
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
