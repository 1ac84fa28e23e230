package report

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/exitinterview/exitinterview/store"
)

// TestContradictionRule pins when the CRM and the CSM disagree (the table in contradictions' comment).
func TestContradictionRule(t *testing.T) {
	t.Parallel()
	renewal := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	stated := func(date string) Finding {
		return Finding{Type: "renewal", Fields: map[string]string{"date": date}, MessageIDs: []string{"m1"}}
	}
	risk := func(level, basis, crm string) Finding {
		f := Finding{Type: "risk", Fields: map[string]string{"level": level, "basis": basis}, MessageIDs: []string{"m3"}}
		if crm != "" {
			f.Fields["crm_health"] = crm
		}
		return f
	}
	upsell := func(stage string) Finding {
		return Finding{Type: "upsell", Fields: map[string]string{"product": "seats", "stage": stage}, Text: "200 seats.", MessageIDs: []string{"m2"}}
	}
	for name, tc := range map[string]struct {
		a        store.Account
		findings []Finding
		want     []string // the CRM side of each contradiction
	}{
		"green at high risk":               {store.Account{CRMHealth: "Green"}, []Finding{risk("high", "stated", "")}, []string{"Health Green"}},
		"a healthy score at critical risk": {store.Account{CRMHealth: "82%"}, []Finding{risk("critical", "inferred", "")}, []string{"Health 82%"}},
		"green at medium risk":             {store.Account{CRMHealth: "green"}, []Finding{risk("medium", "stated", "")}, nil},
		"red at medium risk":               {store.Account{CRMHealth: "red"}, []Finding{risk("medium", "stated", "red")}, []string{"Health red"}},
		"at risk, and the CSM says low":    {store.Account{CRMHealth: "At risk"}, []Finding{risk("low", "stated", "")}, []string{"Health At risk"}},
		"red at high risk, as quoted":      {store.Account{CRMHealth: "red"}, []Finding{risk("high", "stated", "red")}, nil},
		"amber at high risk, unquoted":     {store.Account{CRMHealth: "amber"}, []Finding{risk("high", "stated", "")}, nil},
		"amber at high risk, disputed":     {store.Account{CRMHealth: "amber"}, []Finding{risk("high", "stated", "amber")}, []string{"Health amber"}},
		"amber and not at risk, disputed":  {store.Account{CRMHealth: "yellow"}, []Finding{risk("low", "stated", "amber")}, []string{"Health yellow"}},
		"the latest stated level counts": {store.Account{CRMHealth: "green"},
			[]Finding{risk("high", "stated", ""), risk("low", "stated", ""), risk("high", "inferred", "")}, nil},
		"no risk said":                    {store.Account{CRMHealth: "green"}, nil, nil},
		"renewal 3 weeks apart":           {store.Account{RenewalDate: &renewal}, []Finding{stated("2027-03-22")}, []string{"Renewal 1 Mar 2027"}},
		"renewal 2 weeks apart":           {store.Account{RenewalDate: &renewal}, []Finding{stated("2027-03-15")}, nil},
		"the month said alone":            {store.Account{RenewalDate: &renewal}, []Finding{stated("2027-03-31")}, nil},
		"opportunity not mentioned":       {store.Account{CRMOpenOpportunity: "200 seats"}, nil, []string{"Open opportunity: 200 seats"}},
		"opportunity mentioned":           {store.Account{CRMOpenOpportunity: "200 seats"}, []Finding{upsell("proposal")}, nil},
		"opportunity dead":                {store.Account{CRMOpenOpportunity: "200 seats"}, []Finding{upsell("lost")}, []string{"Open opportunity: 200 seats"}},
		"none in the CRM, a proposal out": {store.Account{}, []Finding{upsell("proposal")}, []string{"No open opportunity"}},
		"none in the CRM, an idea":        {store.Account{}, []Finding{upsell("idea")}, nil},
		"no CRM context":                  {store.Account{}, []Finding{stated("2027-03-22"), risk("critical", "stated", "")}, nil},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			tc.a.Name = "Northwind"
			var crm []string
			for _, c := range contradictions(tc.a, tc.findings) {
				crm = append(crm, c.CRM)
			}
			if diff := cmp.Diff(tc.want, crm); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
