package web

import (
	"context"
	"sort"
	"time"

	"github.com/exitinterview/exitinterview/interview"
	"github.com/exitinterview/exitinterview/readiness"
	"github.com/exitinterview/exitinterview/store"
)

// accountReadiness is one account on the dashboard and the session page.
type accountReadiness struct {
	Account store.Account
	Risk    string // from the latest ready report; "" before one
	readiness.Result
}

// sessionReadiness is a session with its readiness (package readiness has the rule).
type sessionReadiness struct {
	Interview   store.Interview
	Status      string // the interview's, or report_ready once a report is ready for a completed interview
	Percent     int    // interview coverage
	DaysLeft    int
	Score       int
	Blind       int // accounts at risk of being handed over blind
	OpenTasks   int // handover checklist items not done
	ReportReady bool
	Accounts    []accountReadiness // in attention order: blind first, then by risk, then the least ready
	Plan        []store.Account    // the accounts in plan order
	Coverage    []store.CoverageItem
}

// readinessOf computes a session's readiness from its accounts, coverage and latest ready report.
func (s *Server) readinessOf(ctx context.Context, iv store.Interview) (sessionReadiness, error) {
	accounts, err := s.store.Accounts(ctx, iv.ID)
	if err != nil {
		return sessionReadiness{}, err
	}
	cov, err := s.store.Coverage(ctx, iv.ID)
	if err != nil {
		return sessionReadiness{}, err
	}
	out := sessionReadiness{Interview: iv, Status: iv.Status, Percent: interview.Percent(cov), DaysLeft: daysUntil(iv.DepartureDate),
		Plan: accounts, Coverage: cov}
	risk := map[string]string{}
	type counts struct{ done, total, cdone, ctotal int }
	checklist := map[string]*counts{}
	if s.reports != nil {
		_, r, err := s.reports.Current(ctx, iv.ID)
		if err != nil {
			return sessionReadiness{}, err
		}
		if r != nil {
			out.ReportReady = true
			if iv.Status == "completed" {
				out.Status = "report_ready"
			}
			for _, a := range r.Accounts {
				risk[a.Name] = a.Risk.Level
			}
			for _, item := range r.Checklist {
				c := checklist[item.Account]
				if c == nil {
					c = &counts{}
					checklist[item.Account] = c
				}
				c.total++
				if item.Done {
					c.done++
				} else {
					out.OpenTasks++
				}
				if item.Kind == "commitment" {
					c.ctotal++
					if item.Done {
						c.cdone++
					}
				}
			}
		}
	}
	var results []readiness.Result
	var risks []string
	for _, a := range accounts {
		topics := map[string]string{}
		for _, c := range cov {
			if c.AccountID == a.ID {
				topics[c.Topic] = c.State
			}
		}
		c := checklist[a.Name]
		if c == nil {
			c = &counts{}
		}
		res := readiness.Score(readiness.Account{Name: a.Name, ARR: a.ARR, RenewalDate: a.RenewalDate, Topics: topics,
			HasChecklist: out.ReportReady, ChecklistDone: c.done, ChecklistTotal: c.total, CommitmentsDone: c.cdone, CommitmentsTotal: c.ctotal,
			SuccessorAssigned: a.SuccessorID != "", Risk: risk[a.Name]}, iv.DepartureDate)
		if iv.SuccessorsAfterApproval && a.ApprovedAt == nil {
			// Not part of the score: a fact the manager should know, since the successor sees nothing yet.
			res.Reasons = append(res.Reasons, "the successor sees nothing until the CSM approves it")
		}
		results = append(results, res)
		risks = append(risks, risk[a.Name])
		out.Accounts = append(out.Accounts, accountReadiness{Account: a, Risk: risk[a.Name], Result: res})
		if res.Blind {
			out.Blind++
		}
	}
	out.Score = readiness.Session(results)
	ordered := make([]accountReadiness, 0, len(out.Accounts))
	for _, i := range readiness.Rank(results, risks) {
		ordered = append(ordered, out.Accounts[i])
	}
	out.Accounts = ordered
	return out, nil
}

// attention is an account that needs the manager now, with its session.
type attention struct {
	Session *sessionReadiness
	accountReadiness
}

// dashboardData is every session the manager may see, soonest departure first, and the accounts at risk
// of being handed over blind across them.
type dashboardData struct {
	Sessions  []sessionReadiness
	Attention []attention // the first few, shown
	More      []attention // the rest, folded
	Today     time.Time
}

// attentionShown is how many accounts the attention list shows before folding the rest.
const attentionShown = 8

func (s *Server) dashboard(ctx context.Context, u store.User) (dashboardData, error) {
	owner := u.ID
	if u.Role == store.RoleAdmin {
		owner = ""
	}
	ivs, err := s.store.ListInterviews(ctx, owner)
	if err != nil {
		return dashboardData{}, err
	}
	d := dashboardData{Today: time.Now()}
	for _, iv := range ivs {
		r, err := s.readinessOf(ctx, iv)
		if err != nil {
			return dashboardData{}, err
		}
		d.Sessions = append(d.Sessions, r)
	}
	// Sessions still to hand over first, the soonest departure first; handed-over ones last.
	sort.SliceStable(d.Sessions, func(i, j int) bool {
		a, b := d.Sessions[i], d.Sessions[j]
		if (a.Status == "handed_over") != (b.Status == "handed_over") {
			return b.Status == "handed_over"
		}
		return a.Interview.DepartureDate.Before(b.Interview.DepartureDate)
	})
	for i := range d.Sessions {
		sr := &d.Sessions[i]
		if sr.Status == "handed_over" {
			continue
		}
		for _, a := range sr.Accounts {
			if a.Blind {
				d.Attention = append(d.Attention, attention{Session: sr, accountReadiness: a})
			}
		}
	}
	sort.SliceStable(d.Attention, func(i, j int) bool {
		a, b := d.Attention[i], d.Attention[j]
		if ra, rb := readiness.RiskRank(a.Risk), readiness.RiskRank(b.Risk); ra != rb {
			return ra > rb
		}
		if a.Session.DaysLeft != b.Session.DaysLeft {
			return a.Session.DaysLeft < b.Session.DaysLeft
		}
		return a.Score < b.Score
	})
	if len(d.Attention) > attentionShown {
		d.Attention, d.More = d.Attention[:attentionShown], d.Attention[attentionShown:]
	}
	return d, nil
}
