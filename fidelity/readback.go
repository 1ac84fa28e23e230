package fidelity

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// readBack answers a read-back card as the persona would: confirming it as it stands, or, with correct,
// first correcting it from the truth about the account: the risk level (picked from the card's choices
// when it offers them), the renewal date and likelihood, every person (withdrawing what is no person
// or a second entry for one, completing relationship, status and do-not-contact, adding who is
// missing) and the commitments' due dates (adding the missing ones).
func readBack(ctx context.Context, a api, token string, p Persona, shift int, q question, correct bool, clientID string, out *turn) error {
	body := map[string]any{"question_id": q.ID, "client_id": clientID, "confirm": true}
	account := ""
	if q.Account != nil {
		account = *q.Account
	}
	tr, known := p.Truth[account]
	if correct && known {
		changes, choice := corrections(p, tr, shift, q)
		body["corrections"] = changes
		if choice != "" {
			body["choice"] = choice
		}
	}
	return a.call(ctx, http.MethodPost, "/api/v1/interview/readback", token, body, out)
}

type change = map[string]any

func corrections(p Persona, tr AccountTruth, shift int, q question) (out []change, choice string) {
	byType := map[string][]Fact{}
	for _, f := range q.Facts {
		byType[f.Type] = append(byType[f.Type], f)
	}
	// Risk.
	switch {
	case len(q.Choices) > 0:
		choice = tr.Risk
	case len(byType["risk"]) == 0:
		out = append(out, change{"new": change{"type": "risk", "fields": map[string]string{"level": tr.Risk}}})
	case byType["risk"][0].Fields["level"] != tr.Risk:
		out = append(out, change{"fact_id": byType["risk"][0].ID, "fields": map[string]string{"level": tr.Risk}})
	}
	// Renewal.
	want := map[string]string{}
	if tr.Renewal.Date != "" {
		want["date"] = shiftDate(tr.Renewal.Date, shift)
	}
	if tr.Renewal.Probability != nil {
		want["probability"] = strconv.FormatFloat(*tr.Renewal.Probability, 'f', -1, 64)
	}
	if rs := byType["renewal"]; len(rs) == 0 && len(want) > 0 {
		out = append(out, change{"new": change{"type": "renewal", "fields": want}})
	} else if len(rs) > 0 {
		fix := map[string]string{}
		for k, v := range want {
			if !sameValue(rs[0].Fields[k], v) {
				fix[k] = v
			}
		}
		if len(fix) > 0 {
			out = append(out, change{"fact_id": rs[0].ID, "fields": fix})
		}
	}
	// People.
	found := map[string]bool{}
	for _, f := range byType["person"] {
		pf, ok := p.whoIs(f.Fields["name"])
		if !ok || found[pf.Name] {
			out = append(out, change{"fact_id": f.ID, "withdraw": true})
			continue
		}
		found[pf.Name] = true
		if fix := personFix(f.Fields, pf); len(fix) > 0 {
			out = append(out, change{"fact_id": f.ID, "fields": fix})
		}
	}
	for _, pf := range tr.People {
		if !found[pf.Name] {
			out = append(out, change{"new": change{"type": "person", "fields": personFix(map[string]string{}, pf)}})
		}
	}
	// Commitments.
	used := map[string]bool{}
	for _, c := range tr.Commitments {
		due := shiftDate(c.Due, shift)
		best, score := -1, 0
		for i, f := range byType["commitment"] {
			if s := overlap(f.Fields["what"], c.What); !used[f.ID] && s > score {
				best, score = i, s
			}
		}
		if best < 0 {
			out = append(out, change{"new": change{"type": "commitment", "fields": map[string]string{"what": c.What, "to_whom": c.To, "due_date": due}}})
			continue
		}
		f := byType["commitment"][best]
		used[f.ID] = true
		if f.Fields["due_date"] != due {
			out = append(out, change{"fact_id": f.ID, "fields": map[string]string{"due_date": due}})
		}
	}
	return out, choice
}

// personFix is what a person's fields must change to for the truth: the fullest name, the relationship,
// the status and do-not-contact.
func personFix(fields map[string]string, pf PersonFact) map[string]string {
	fix := map[string]string{}
	set := func(k, v string) {
		if fields[k] != v {
			fix[k] = v
		}
	}
	set("name", pf.Name)
	if pf.Relationship != "" {
		set("relationship", pf.Relationship)
	}
	status := pf.Status
	if status == "active" && fields["status"] == "" {
		status = ""
	}
	set("status", status)
	dnc := "no"
	if pf.DoNotContact {
		dnc = "yes"
	}
	if fields["do_not_contact"] != dnc && (dnc == "yes" || fields["do_not_contact"] != "") {
		fix["do_not_contact"] = dnc
	}
	if pf.Title != "" && fields["role"] == "" {
		fix["role"] = pf.Title
	}
	return fix
}

func sameValue(a, b string) bool {
	if a == b {
		return true
	}
	fa, errA := strconv.ParseFloat(a, 64)
	fb, errB := strconv.ParseFloat(b, 64)
	return errA == nil && errB == nil && fa == fb
}

// overlap counts the words of four letters or more two texts share.
func overlap(a, b string) int {
	words := func(s string) []string {
		var out []string
		for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') }) {
			if len(w) >= 4 && !slices.Contains(out, w) {
				out = append(out, w)
			}
		}
		return out
	}
	n := 0
	wb := words(b)
	for _, w := range words(a) {
		if slices.Contains(wb, w) {
			n++
		}
	}
	return n
}
