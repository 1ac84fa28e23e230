package interview

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/exitinterview/exitinterview/book"
	"github.com/exitinterview/exitinterview/money"
	"github.com/exitinterview/exitinterview/secret"
	"github.com/exitinterview/exitinterview/store"
	"github.com/exitinterview/exitinterview/validation"
)

// CreateInput is a new knowledge-transfer session as the manager describes it.
type CreateInput struct {
	CSMName           string
	CSMEmail          string
	DepartureDate     string // YYYY-MM-DD
	Accounts          []book.Account
	Successors        []SuccessorInput // besides any successor given per account
	TimeBudgetMinutes int              // 0: 60
	// Currency is the ISO 4217 code of the amounts that name no currency of their own (and of those in
	// "kr" when it is a krona); "": US dollars.
	Currency string
}

// SuccessorInput assigns the user with Email to the account named Account.
type SuccessorInput struct {
	Account string
	Email   string
}

// Created is the new session with its invite link; the token is shown once and stored only hashed.
type Created struct {
	Interview   store.Interview
	Accounts    []store.Account
	InviteToken string
	InviteURL   string
}

// MaxDepartureDays bounds how far ahead a departure may be: notice periods run to months, not years, and
// the invite link stays valid until the departure.
const MaxDepartureDays = 366

// DefaultBudgetMinutes is the interview's time budget when the manager gives none.
const DefaultBudgetMinutes = 60

// Create validates a session, orders its accounts into the interview plan and stores it with its invite.
func (s *Service) Create(ctx context.Context, managerID string, in CreateInput) (Created, error) {
	errs := validation.Errors{}
	in.CSMName = strings.TrimSpace(in.CSMName)
	in.CSMEmail = strings.ToLower(strings.TrimSpace(in.CSMEmail))
	switch {
	case in.CSMName == "":
		errs.Add("csm.name", "is required")
	case hasControl(in.CSMName):
		errs.Add("csm.name", "must not contain control characters")
	case utf8.RuneCountInString(in.CSMName) > 200:
		errs.Add("csm.name", "must be at most 200 characters")
	}
	if in.CSMEmail != "" {
		if _, err := mail.ParseAddress(in.CSMEmail); err != nil || !strings.Contains(in.CSMEmail, "@") {
			errs.Add("csm.email", "must be a valid email address")
		}
	}
	today := s.now().UTC().Truncate(24 * time.Hour)
	departure, err := time.Parse(time.DateOnly, strings.TrimSpace(in.DepartureDate))
	switch {
	case strings.TrimSpace(in.DepartureDate) == "":
		errs.Add("departure_date", "is required")
	case err != nil:
		errs.Add("departure_date", "must be a date like 2026-12-31")
	case departure.Before(today):
		errs.Add("departure_date", "must not be in the past")
	case departure.After(today.AddDate(0, 0, MaxDepartureDays)):
		errs.Add("departure_date", fmt.Sprintf("must be at most %d days from today", MaxDepartureDays))
	}
	budget := in.TimeBudgetMinutes
	if budget == 0 {
		budget = DefaultBudgetMinutes
	}
	if budget < 10 || budget > 600 {
		errs.Add("time_budget_minutes", "must be between 10 and 600")
	}
	accounts := s.validateAccounts(ctx, in, errs)
	if err := errs.Err(); err != nil {
		return Created{}, err
	}

	planned := Plan(accounts, budget, today)
	token := secret.New(InvitePrefix)
	iv, stored, err := s.store.CreateInterview(ctx, store.NewInterview{
		ManagerID: managerID, CSMName: in.CSMName, CSMEmail: in.CSMEmail, DepartureDate: departure,
		TimeBudgetMinutes: budget, Accounts: planned, AccountTopics: AccountTopics, PortfolioTopics: PortfolioTopics,
		InviteHash: secret.Hash(token), InviteExpiresAt: s.inviteExpiry(departure),
		OnCreated: func(ctx context.Context, tx *store.Store, iv store.Interview, accounts []store.Account) error {
			if s.events != nil {
				if err := s.events.SessionCreated(ctx, tx, iv, len(accounts)); err != nil {
					return err
				}
			}
			if s.notifier == nil {
				return nil
			}
			if err := s.notifyInvite(ctx, tx, iv, s.InviteURL(token)); err != nil {
				return err
			}
			// Successors named in the book of business hear of their accounts.
			bySuccessor := map[string][]string{}
			var order []string
			for _, a := range accounts {
				if a.SuccessorID != "" {
					if bySuccessor[a.SuccessorID] == nil {
						order = append(order, a.SuccessorID)
					}
					bySuccessor[a.SuccessorID] = append(bySuccessor[a.SuccessorID], a.Name)
				}
			}
			for _, id := range order {
				u, err := tx.UserByID(ctx, id)
				if err != nil {
					return err
				}
				if err := s.notifier.Assigned(ctx, tx, iv, u, bySuccessor[id]); err != nil {
					return err
				}
			}
			return nil
		},
	})
	if err != nil {
		return Created{}, err
	}
	return Created{Interview: iv, Accounts: stored, InviteToken: token, InviteURL: s.InviteURL(token)}, nil
}

// maxARR is what the database's numeric(16,2) holds.
const maxARR = 1e14

// hasControl reports control characters other than tabs and line breaks (which notes may hold).
func hasControl(s string) bool {
	for _, r := range s {
		if r != '\n' && r != '\r' && r != '\t' && unicode.IsControl(r) {
			return true
		}
	}
	return !utf8.ValidString(s)
}

// validateAccounts checks the accounts and resolves successor emails to users, adding problems to errs.
func (s *Service) validateAccounts(ctx context.Context, in CreateInput, errs validation.Errors) []store.Account {
	if len(in.Accounts) == 0 {
		errs.Add("accounts", "must list at least one account")
		return nil
	}
	if len(in.Accounts) > 2000 {
		errs.Add("accounts", "must list at most 2000 accounts")
		return nil
	}
	def := strings.ToUpper(strings.TrimSpace(in.Currency))
	switch {
	case def == "":
		def = money.Default
	case !money.Valid(def):
		errs.Add("currency", "must be a three-letter ISO 4217 code such as USD, EUR or GBP")
	}
	successors := map[string]string{} // lower-case account name → email
	index := map[string]int{}
	out := make([]store.Account, 0, len(in.Accounts))
	for i, a := range in.Accounts {
		field := fmt.Sprintf("accounts[%d]", i)
		name := strings.Join(strings.Fields(a.Name), " ")
		key := strings.ToLower(name)
		switch {
		case name == "":
			errs.Add(field+".name", "is required")
		case utf8.RuneCountInString(name) > 200:
			errs.Add(field+".name", "must be at most 200 characters")
		default:
			if j, dup := index[key]; dup {
				errs.Add(field+".name", fmt.Sprintf("repeats accounts[%d] (%q)", j, name))
			}
			index[key] = i
		}
		switch {
		case a.ARR != nil && *a.ARR < 0:
			errs.Add(field+".arr", "must not be negative")
		case a.ARR != nil && *a.ARR >= maxARR:
			errs.Add(field+".arr", "is too large")
		}
		currency, err := a.CurrencyIn(def)
		if err != nil && a.ARR != nil {
			errs.Add(field+".arr", err.Error())
		}
		for name, v := range map[string]string{"name": a.Name, "segment": a.Segment, "crm_id": a.CRMID, "crm.health": a.CRM.Health,
			"crm.open_opportunity": a.CRM.OpenOpportunity, "crm.notes": a.CRM.Notes} {
			if hasControl(v) {
				errs.Add(field+"."+name, "must not contain control characters")
			}
		}
		if a.Successor != "" {
			successors[key] = a.Successor
		}
		out = append(out, store.Account{Name: name, ARR: a.ARR, Currency: currency, RenewalDate: a.RenewalDate, Segment: strings.TrimSpace(a.Segment),
			CRMID: strings.TrimSpace(a.CRMID), CRMHealth: strings.TrimSpace(a.CRM.Health), CRMLastContact: a.CRM.LastContact,
			CRMOpenOpportunity: strings.TrimSpace(a.CRM.OpenOpportunity), CRMNotes: strings.TrimSpace(a.CRM.Notes)})
	}
	for i, su := range in.Successors {
		key := strings.ToLower(strings.Join(strings.Fields(su.Account), " "))
		if _, ok := index[key]; !ok {
			errs.Add(fmt.Sprintf("successors[%d].account", i), "is not one of the accounts")
			continue
		}
		successors[key] = su.Email
	}
	for i := range out {
		email, ok := successors[strings.ToLower(out[i].Name)]
		if !ok {
			continue
		}
		u, err := s.store.UserByEmail(ctx, strings.ToLower(strings.TrimSpace(email)))
		switch {
		case errors.Is(err, store.ErrNotFound):
			errs.Add(fmt.Sprintf("accounts[%d].successor", i), fmt.Sprintf("no user has the email %q; an admin must create them first", email))
		case err != nil:
			errs.Add(fmt.Sprintf("accounts[%d].successor", i), "could not be checked")
		case u.Role != store.RoleSuccessor:
			errs.Add(fmt.Sprintf("accounts[%d].successor", i), SuccessorRoleProblem(u.Role))
		default:
			out[i].SuccessorID = u.ID
		}
	}
	return out
}

// SuccessorRoleProblem says what is wrong with naming a user of another role as an account's successor: only
// successors are given access to the accounts handed to them, so a manager or an admin named there would
// be told of accounts they cannot open.
func SuccessorRoleProblem(role store.Role) string {
	return fmt.Sprintf("is a user with the %s role; successors must have the successor role", role)
}
