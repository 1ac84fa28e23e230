package web

import (
	"context"
	"math"
	"sort"
	"time"

	"github.com/exitinterview/exitinterview/facts"
	"github.com/exitinterview/exitinterview/interview"
	"github.com/exitinterview/exitinterview/money"
	"github.com/exitinterview/exitinterview/readiness"
	"github.com/exitinterview/exitinterview/store"
)

// accountReadiness is one account on the dashboard and the session page.
type accountReadiness struct {
	Account store.Account
	// Risk is the most alarming level the report, the CSM or the CRM gives (readiness.RiskLevel); ""
	// when none does. RiskBasis says which.
	Risk      string
	RiskBasis string
	readiness.Result
}

// AtRisk is the account's value at risk in its ARR's currency, rounded to a hundred ("$840,000",
// "€84,000"); "" when none.
func (a accountReadiness) AtRisk() string {
	if a.ValueAtRisk < 50 {
		return ""
	}
	v := math.Round(a.ValueAtRisk/100) * 100
	return money.Format(v, a.Account.Currency)
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
	Accounts    []accountReadiness // in attention order: blind first, then by value at risk (readiness.Rank)
	Plan        []store.Account    // the accounts in plan order
	Coverage    []store.CoverageItem
	// LastAnswerAt is when the CSM last answered; nil before their first answer (the session is then
	// not started, whatever its score).
	LastAnswerAt *time.Time
	RemindedAt   *time.Time // when the manager last sent the CSM a reminder
}

// NotStarted says the CSM has not answered yet.
func (r sessionReadiness) NotStarted() bool { return r.LastAnswerAt == nil }

// LastActive says when the CSM last answered, as a person would ("3 days ago"); "" before any answer.
func (r sessionReadiness) LastActive() string {
	if r.LastAnswerAt == nil {
		return ""
	}
	return ago(*r.LastAnswerAt, time.Now())
}

// Remindable says the CSM can be reminded at all: the interview is still theirs to answer.
func (r sessionReadiness) Remindable() bool {
	return (r.Status == "invited" || r.Status == "in_progress") && r.DaysLeft >= 0
}

// Reminded says when the manager last reminded the CSM ("20 minutes ago"); "" when never.
func (r sessionReadiness) Reminded() string {
	if r.RemindedAt == nil {
		return ""
	}
	return ago(*r.RemindedAt, time.Now())
}

// NextReminder is when the next reminder may go ("15:05 UTC"), or "" when one may go now.
func (r sessionReadiness) NextReminder() string {
	if r.RemindedAt == nil || time.Since(*r.RemindedAt) >= reminderEvery {
		return ""
	}
	return r.RemindedAt.Add(reminderEvery).Format("15:04 MST")
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
	stored, err := s.store.Facts(ctx, iv.ID)
	if err != nil {
		return sessionReadiness{}, err
	}
	known := facts.NewSet(stored)
	lastAnswer, err := s.store.LastAnswerAt(ctx, iv.ID)
	if err != nil {
		return sessionReadiness{}, err
	}
	reminded, err := s.store.RemindedAt(ctx, iv.ID)
	if err != nil {
		return sessionReadiness{}, err
	}
	out := sessionReadiness{Interview: iv, Status: iv.Status, Percent: interview.Percent(cov), DaysLeft: daysUntil(iv.DepartureDate),
		Plan: accounts, Coverage: cov, LastAnswerAt: lastAnswer, RemindedAt: reminded}
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
	for _, a := range accounts {
		topics := map[string]string{}
		for _, c := range cov {
			if c.AccountID == a.ID {
				topics[c.Topic] = c.State
			}
		}
		// What the fact model holds of the account: the topics something was said of, and the risk
		// level the CSM stated.
		discussed := known.Discussed(a.ID)
		stated := ""
		for _, f := range known.Of(a.ID, facts.Risk) {
			if facts.LevelRank(f.Fields["level"]) > facts.LevelRank(stated) {
				stated = f.Fields["level"]
			}
		}
		level, basis := readiness.RiskLevel(risk[a.Name], stated, a.CRMHealth)
		c := checklist[a.Name]
		if c == nil {
			c = &counts{}
		}
		res := readiness.Score(readiness.Account{Name: a.Name, ARR: a.ARR, RenewalDate: a.RenewalDate, Topics: topics, Discussed: discussed,
			HasChecklist: out.ReportReady, ChecklistDone: c.done, ChecklistTotal: c.total, CommitmentsDone: c.cdone, CommitmentsTotal: c.ctotal,
			SuccessorAssigned: a.SuccessorID != "", Risk: level}, iv.DepartureDate)
		if iv.SuccessorsAfterApproval && a.ApprovedAt == nil {
			// Not part of the score: a fact the manager should know, since the successor sees nothing yet.
			res.Reasons = append(res.Reasons, "the successor sees nothing until the CSM approves it")
		}
		results = append(results, res)
		out.Accounts = append(out.Accounts, accountReadiness{Account: a, Risk: level, RiskBasis: basis, Result: res})
		if res.Blind {
			out.Blind++
		}
	}
	out.Score = readiness.Session(results)
	ordered := make([]accountReadiness, 0, len(out.Accounts))
	for _, i := range readiness.Rank(results) {
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
// of being handed over blind across them, the largest value at risk first.
type dashboardData struct {
	Sessions  []sessionReadiness
	Attention []attention // the first few, shown
	More      []attention // the rest, folded
	Today     time.Time
	// EmailOn: reminders go by e-mail; otherwise a reminder gives a new link to send by hand.
	EmailOn bool
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
	d := dashboardData{Today: time.Now(), EmailOn: s.notifier != nil}
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
	sort.SliceStable(d.Attention, func(i, j int) bool { return readiness.Before(d.Attention[i].Result, d.Attention[j].Result) })
	if len(d.Attention) > attentionShown {
		d.Attention, d.More = d.Attention[:attentionShown], d.Attention[attentionShown:]
	}
	return d, nil
}
