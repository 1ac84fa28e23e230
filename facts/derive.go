package facts

import (
	"slices"

	"github.com/exitinterview/exitinterview/extract"
	"strconv"
	"strings"
	"time"

	"github.com/exitinterview/exitinterview/store"
)

// Fact is one thing understood about an account (AccountID "" for the portfolio).
type Fact = store.Fact

// How sure the rules are of a fact when the finding does not say: a fact the CSM stated in so many words
// is sure; one inferred from signals is not.
const (
	defaultConfidence  = 0.7
	statedConfidence   = 0.9
	inferredConfidence = 0.5
	// Unsure is the confidence below which the read-back asks rather than shows (a risk level the rules
	// inferred from signals, not one the CSM named).
	Unsure = 0.6
)

// Derive makes the facts of an interview from its findings, given in the order they were said. One
// person is one fact however often and however short they are named; an account has one risk and one
// renewal; a commitment, an open issue or any other fact said twice in the same words is one fact. What
// was read from sentences whose account is a guess makes facts of its own, marked uncertain, so that
// nothing of them reaches a successor through a fact that is surely about the account.
//
//	fact        from              merged how
//	person      stakeholder       same person (extract.SamePerson): the fullest name; the latest role,
//	                              relationship, sentiment and channel; left or on leave outweighs new;
//	                              do-not-contact once said stands, with its reason
//	risk        risk              extract.AccountRisk's level: the latest the CSM stated, else the highest
//	                              read from signals; drivers and competitors of every finding
//	renewal     renewal           the latest of each field: date, probability, decider, blockers
//	commitment  commitment        same promise (the same words of what was promised): the latest due date
//	system      system            one of the customer's systems by its name; a package or go-live by its words
//	document,   the same type     the same kind in the same words (one sentence may place several
//	objective,                    documents)
//	advocacy
//	other       the same type     the same text
//
// Credentials mentioned and findings of no fact type are not facts.
func Derive(findings []store.Finding) []Fact {
	var out []Fact
	index := map[string]int{}      // merge key → position in out
	known := map[string][]string{} // an account's people, as named in its findings
	for _, f := range findings {
		if f.Type == extract.Stakeholder && f.Fields["name"] != "" {
			known[f.AccountID] = append(known[f.AccountID], f.Fields["name"])
		}
	}
	risks := map[int][]store.Finding{}
	for _, f := range findings {
		typ := TypeOfFinding(f.Type)
		if typ == "" {
			continue
		}
		key := mergeKey(typ, f, out, index, known[f.AccountID])
		i, seen := index[key]
		if !seen {
			out = append(out, Fact{InterviewID: f.InterviewID, AccountID: f.AccountID, Type: typ, Text: f.Text,
				Fields: map[string]string{}, Confidence: confidenceOf(f), State: Extracted, Uncertain: f.Uncertain})
			i = len(out) - 1
			index[key] = i
		}
		if typ == Risk {
			risks[i] = append(risks[i], f)
		}
		merge(&out[i], f, risks[i])
	}
	for i := range out {
		normalize(&out[i])
		out[i].Confidence = float64(float32(out[i].Confidence))
		out[i].Extracted = clone(out[i].Fields)
	}
	elsewhere(out, known)
	return out
}

// elsewhere marks uncertain a person named at one account only in passing (no role, no relationship)
// who is a person of another account there ("Someone should send Aoife a card", said about Tinderbox,
// of Kestrel's champion Aoife Brennan): they are that account's, and must not be greeted or introduced
// as this one's. The CSM can still confirm them on the review.
func elsewhere(out []Fact, known map[string][]string) {
	for i := range out {
		f := &out[i]
		if f.Type != Person || f.Uncertain || f.Fields["role"] != "" || f.Fields["relationship"] != "" {
			continue
		}
		for j, o := range out {
			if j == i || o.Type != Person || o.Uncertain || o.AccountID == f.AccountID || o.AccountID == "" ||
				o.Fields["role"] == "" && o.Fields["relationship"] == "" {
				continue
			}
			all := append(slices.Clone(known[f.AccountID]), known[o.AccountID]...)
			if extract.SamePerson(o.Fields["name"], f.Fields["name"], all) {
				f.Uncertain = true
				break
			}
		}
	}
}

// normalize keeps a fact's values to the vocabulary: a relationship outside it is "other" (a detractor
// is a person whose sentiment is negative), an unknown status or level is left out, do-not-contact is
// "yes" or absent, and a date that is not YYYY-MM-DD is left out.
func normalize(f *Fact) {
	switch f.Type {
	case Person:
		switch r := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(f.Fields["relationship"]), " ", "_")); {
		case r == "":
			delete(f.Fields, "relationship")
		case slices.Contains(Relationships, r):
			f.Fields["relationship"] = r
		case r == "detractor":
			f.Fields["relationship"] = "other"
			if f.Fields["sentiment"] == "" {
				f.Fields["sentiment"] = "negative"
			}
		case r == "executive_sponsor" || r == "exec_sponsor":
			f.Fields["relationship"] = "sponsor"
		case r == "decider" || r == "economic_buyer":
			f.Fields["relationship"] = "decision_maker"
		default:
			f.Fields["relationship"] = "other"
		}
		if !slices.Contains(Statuses, f.Fields["status"]) {
			delete(f.Fields, "status")
		}
		if yes(f.Fields["do_not_contact"]) {
			f.Fields["do_not_contact"] = "yes"
		} else {
			delete(f.Fields, "do_not_contact")
		}
	case Risk:
		if LevelRank(f.Fields["level"]) < 0 {
			delete(f.Fields, "level")
		}
	case Objective, System, Document, Advocacy:
		// A kind or category outside the vocabulary reads as "other" where the list has it, else is left out.
		for _, k := range []string{"kind", "category"} {
			words := extract.KindsOf(f.Type, k)
			v := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(f.Fields[k]), " ", "_"))
			switch {
			case words == nil || v == "":
			case slices.Contains(words, v):
				f.Fields[k] = v
			case slices.Contains(words, "other"):
				f.Fields[k] = "other"
			default:
				delete(f.Fields, k)
			}
		}
	}
	for _, k := range []string{"due_date", "date"} {
		if v, ok := f.Fields[k]; ok && !isDate(v) {
			delete(f.Fields, k)
		}
	}
	for k, v := range f.Fields {
		if strings.TrimSpace(v) == "" {
			delete(f.Fields, k)
		}
	}
}

func isDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

// mergeKey says which fact a finding belongs to.
func mergeKey(typ string, f store.Finding, out []Fact, index map[string]int, known []string) string {
	base := typ + "|" + f.AccountID + "|"
	if f.Uncertain {
		base = "?" + base // what may be about another account is kept apart from what is surely about this one
	}
	switch typ {
	case Risk, Renewal:
		return base
	case Person:
		name := strings.TrimSpace(f.Fields["name"])
		for k, i := range index {
			if strings.HasPrefix(k, base) && extract.SamePerson(out[i].Fields["name"], name, known) {
				return k
			}
		}
		return base + strings.ToLower(name)
	case Commitment:
		if w := normal(f.Fields["what"]); w != "" {
			return base + w
		}
	case System:
		// One of the customer's systems is one fact however often it is named; the package and the go-live
		// are one each.
		if n := normal(f.Fields["name"]); n != "" && f.Fields["kind"] == "integration" {
			return base + "integration|" + n
		}
		return base + f.Fields["kind"] + "|" + normal(f.Text)
	case Document, Objective, Advocacy:
		// One sentence may say where several documents live ("the MSA and the invoices are in the Finance
		// drive"): each kind is a fact of its own.
		return base + f.Fields["kind"] + "|" + normal(f.Text)
	}
	return base + normal(f.Text)
}

// merge adds what one finding says to its fact; risks are a risk fact's findings so far, f the last.
func merge(ft *Fact, f store.Finding, risks []store.Finding) {
	ft.Sources = appendOnce(ft.Sources, f.MessageID)
	if c := confidenceOf(f); c > ft.Confidence {
		ft.Confidence = c
	}
	switch ft.Type {
	case Person:
		mergePerson(ft, f)
	case Risk:
		mergeRisk(ft, f, risks)
	default:
		for k, v := range f.Fields {
			if strings.TrimSpace(v) == "" || (k == "date" || k == "due_date") && !isDate(v) {
				continue
			}
			ft.Fields[k] = v
		}
		if ft.Type != Renewal {
			ft.Text = f.Text
		}
	}
}

func mergePerson(ft *Fact, f store.Finding) {
	name := strings.TrimSpace(f.Fields["name"])
	if len(strings.Fields(name)) > len(strings.Fields(ft.Fields["name"])) ||
		len(strings.Fields(name)) == len(strings.Fields(ft.Fields["name"])) && len(name) > len(ft.Fields["name"]) {
		ft.Fields["name"] = name
	}
	for _, k := range []string{"role", "relationship", "sentiment", "channel", "notes"} {
		if v := strings.TrimSpace(f.Fields[k]); v != "" {
			ft.Fields[k] = v
		}
	}
	switch st := f.Fields["status"]; {
	case st == "left" || st == "on_leave":
		ft.Fields["status"] = st
	case st == "new" && ft.Fields["status"] != "left" && ft.Fields["status"] != "on_leave":
		ft.Fields["status"] = st
	}
	if yes(f.Fields["do_not_contact"]) && !yes(ft.Fields["do_not_contact"]) {
		ft.Fields["do_not_contact"] = "yes"
		if r := strings.TrimSpace(f.Fields["reason"]); r != "" {
			ft.Fields["reason"] = r
		}
	}
}

// mergeRisk adds a risk finding to the account's risk. The level is extract.AccountRisk's over every
// risk finding so far (the latest the CSM stated, else the highest read from signals), with the words
// and basis of the finding it came from; drivers and competitors gather.
func mergeRisk(ft *Fact, f store.Finding, all []store.Finding) {
	statements := make([]extract.RiskStatement, len(all))
	for i, r := range all {
		statements[i] = extract.RiskStatementOf(r.Fields)
	}
	level, at := extract.AccountRisk(statements)
	if at >= 0 {
		chosen := all[at]
		ft.Fields["level"], ft.Text, ft.Confidence = level, chosen.Text, confidenceOf(chosen)
		ft.Fields["basis"] = chosen.Fields["basis"]
	} else if ft.Fields["level"] == "" {
		ft.Text = f.Text
	}
	for _, k := range []string{"driver", "drivers", "competitor", "crm_health"} {
		ft.Fields[k] = joinOnce(ft.Fields[k], f.Fields[k])
	}
}

// confidenceOf reads a finding's confidence, or the default when it has none.
func confidenceOf(f store.Finding) float64 {
	if f.Confidence > 0 {
		return f.Confidence
	}
	if c, err := strconv.ParseFloat(f.Fields["confidence"], 64); err == nil && c > 0 && c <= 1 {
		return c
	}
	switch f.Fields["basis"] { // a risk level the CSM stated, or one read from signals
	case "stated":
		return statedConfidence
	case "inferred":
		return inferredConfidence
	}
	return defaultConfidence
}

func yes(v string) bool { return v == "yes" || v == "true" }

func normal(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127)
	}), " ")
}

func appendOnce(list []string, v string) []string {
	for _, x := range list {
		if x == v {
			return list
		}
	}
	return append(list, v)
}

// joinOnce adds v to a "; "-separated list unless it is there.
func joinOnce(list, v string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		return list
	}
	if list == "" {
		return v
	}
	for _, x := range strings.Split(list, "; ") {
		if strings.EqualFold(x, v) {
			return list
		}
	}
	return list + "; " + v
}

func clone(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
