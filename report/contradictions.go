package report

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/exitinterview/exitinterview/extract"
	"github.com/exitinterview/exitinterview/store"
)

// contradictions compares what the CRM says of an account with what the CSM said, from the account's
// CRM fields and its findings (in the order they were said):
//
//	health       the CRM's band (extract.HealthBand) against the level the CSM meant (extract.AccountRisk):
//	             green while the CSM says high or critical; red while the CSM says low or medium; or any
//	             other band when the CSM spoke of the CRM's health themselves ("crm says amber, its not")
//	             and their level is of another band (low green, medium amber, high and critical red)
//	renewal      a renewal date the CSM states more than 14 days from the CRM's (a month said alone, read
//	             as its last day, agrees with any day of that month)
//	opportunity  the CRM shows an open opportunity and the CSM calls it dead or never speaks of one; or
//	             the CRM shows none while the CSM describes one at proposal or later
func contradictions(a store.Account, findings []Finding) []Contradiction {
	var out []Contradiction
	if c, ok := healthContradiction(a, findings); ok {
		out = append(out, c)
	}
	if c, ok := renewalContradiction(a, findings); ok {
		out = append(out, c)
	}
	if c, ok := opportunityContradiction(a, findings); ok {
		out = append(out, c)
	}
	return out
}

// bandOfLevel is the CRM band a risk level belongs to.
var bandOfLevel = map[string]string{"low": extract.HealthGreen, "medium": extract.HealthAmber, "high": extract.HealthRed, "critical": extract.HealthRed}

func healthContradiction(a store.Account, findings []Finding) (Contradiction, bool) {
	band := extract.HealthBand(a.CRMHealth)
	var risks []Finding
	var statements []extract.RiskStatement
	quoted := false // the CSM spoke of the CRM's health
	for _, f := range findings {
		if f.Type == extract.Risk {
			risks = append(risks, f)
			statements = append(statements, extract.RiskStatementOf(f.Fields))
			quoted = quoted || f.Fields["crm_health"] != ""
		}
	}
	level, at := extract.AccountRisk(statements)
	if band == "" || at < 0 {
		return Contradiction{}, false
	}
	rank := levelRank(level)
	differs := (band == extract.HealthGreen && rank >= levelRank("high")) ||
		(band == extract.HealthRed && rank <= levelRank("medium")) ||
		(quoted && bandOfLevel[level] != band)
	if !differs {
		return Contradiction{}, false
	}
	f := risks[at]
	stated := capitalize(level) + " risk"
	if d := f.Fields["driver"]; d != "" {
		stated += ": " + d
	}
	var ids []string
	for _, r := range risks {
		ids = appendIDs(ids, r.MessageIDs)
	}
	return Contradiction{Account: a.Name, CRM: "Health " + strings.TrimSpace(a.CRMHealth), Stated: stated, MessageIDs: ids}, true
}

func renewalContradiction(a store.Account, findings []Finding) (Contradiction, bool) {
	if a.RenewalDate == nil {
		return Contradiction{}, false
	}
	for _, f := range findings {
		d, err := time.Parse(time.DateOnly, f.Fields["date"])
		if f.Type != extract.Renewal || err != nil {
			continue
		}
		// A month said alone ("renews in May") is resolved to its last day: the same month agrees.
		sameMonth := d.Year() == a.RenewalDate.Year() && d.Month() == a.RenewalDate.Month() && d.AddDate(0, 0, 1).Day() == 1
		if diff := math.Abs(d.Sub(*a.RenewalDate).Hours() / 24); diff > 14 && !sameMonth {
			return Contradiction{Account: a.Name, CRM: "Renewal " + a.RenewalDate.Format("2 Jan 2006"),
				Stated: "Renewal " + d.Format("2 Jan 2006"), MessageIDs: f.MessageIDs}, true
		}
	}
	return Contradiction{}, false
}

// activeStages are the upsell stages at which an opportunity belongs in the CRM.
var activeStages = map[string]bool{"proposal": true, "negotiation": true, "verbal": true}

func opportunityContradiction(a store.Account, findings []Finding) (Contradiction, bool) {
	opp := strings.TrimSpace(a.CRMOpenOpportunity)
	var upsells []Finding
	for _, f := range findings {
		if f.Type == extract.Upsell {
			upsells = append(upsells, f)
		}
	}
	if opp != "" {
		if len(upsells) == 0 {
			return Contradiction{Account: a.Name, CRM: "Open opportunity: " + opp, Stated: "No upsell in progress was mentioned",
				MessageIDs: []string{}}, true
		}
		for _, f := range upsells {
			if f.Fields["stage"] == "lost" {
				return Contradiction{Account: a.Name, CRM: "Open opportunity: " + opp, Stated: "Dead: " + firstSentences(f.Text, 2),
					MessageIDs: f.MessageIDs}, true
			}
		}
		return Contradiction{}, false
	}
	for _, f := range upsells {
		if activeStages[f.Fields["stage"]] {
			what := f.Fields["product"]
			if what == "" {
				what = "an upsell"
			}
			return Contradiction{Account: a.Name, CRM: "No open opportunity", Stated: fmt.Sprintf("%s at the %s stage", capitalize(what), label(f.Fields["stage"])),
				MessageIDs: f.MessageIDs}, true
		}
	}
	return Contradiction{}, false
}
