package web

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/exitinterview/exitinterview/auth"
	"github.com/exitinterview/exitinterview/interview"
	"github.com/exitinterview/exitinterview/store"
	"github.com/exitinterview/exitinterview/validation"
)

type csmJSON struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

type accountJSON struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	ARR         *float64 `json:"arr"`
	Currency    string   `json:"currency"` // ISO 4217 code of arr
	RenewalDate *string  `json:"renewal_date"`
	Segment     string   `json:"segment"`
	// Risk is the account's level as readiness reads it: the most alarming of the latest report's, the
	// one the CSM stated and the CRM health's (readiness.RiskLevel); null when none says.
	Risk *string `json:"risk"`
	// Readiness is the account's handover readiness, 0–100 (package readiness).
	Readiness int     `json:"readiness"`
	Successor *string `json:"successor"`
	Depth     string  `json:"depth"`
}

type interviewJSON struct {
	ID            string        `json:"id"`
	Status        string        `json:"status"`
	CSM           csmJSON       `json:"csm"`
	DepartureDate string        `json:"departure_date"`
	Readiness     int           `json:"readiness"`
	Accounts      []accountJSON `json:"accounts"`
	Coverage      coverageJSON  `json:"coverage"`
}

func (s *Server) interviewJSON(c echo.Context, iv store.Interview) (interviewJSON, error) {
	// Each account's risk and readiness follow package readiness's rule.
	ready, err := s.readinessOf(c.Request().Context(), iv)
	if err != nil {
		return interviewJSON{}, err
	}
	accounts, cov := ready.Plan, ready.Coverage
	byID := map[string]accountReadiness{}
	for _, a := range ready.Accounts {
		byID[a.Account.ID] = a
	}
	out := interviewJSON{ID: iv.ID, Status: iv.Status, CSM: csmJSON{iv.CSMName, iv.CSMEmail},
		DepartureDate: iv.DepartureDate.Format("2006-01-02"), Readiness: ready.Score,
		Accounts: make([]accountJSON, len(accounts)), Coverage: toCoverageJSON(accounts, cov)}
	for i, a := range accounts {
		aj := accountJSON{ID: a.ID, Name: a.Name, ARR: a.ARR, Currency: a.Currency, Segment: a.Segment, Depth: a.Depth, Readiness: byID[a.ID].Score}
		if a.RenewalDate != nil {
			d := a.RenewalDate.Format("2006-01-02")
			aj.RenewalDate = &d
		}
		if a.SuccessorEmail != "" {
			e := a.SuccessorEmail
			aj.Successor = &e
		}
		if level := byID[a.ID].Risk; level != "" {
			aj.Risk = &level
		}
		out.Accounts[i] = aj
	}
	return out, nil
}

// getInterview returns a session with its accounts and coverage (its manager, or an admin).
func (s *Server) getInterview(c echo.Context) error {
	iv, err := s.ownInterview(c)
	if err != nil {
		return err
	}
	out, err := s.interviewJSON(c, iv)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// listInterviews returns the sessions the caller may see: their own, or all for an admin.
func (s *Server) listInterviews(c echo.Context) error {
	u, _ := currentUser(c)
	owner := u.ID
	if u.Role == store.RoleAdmin {
		owner = ""
	}
	ivs, err := s.store.ListInterviews(c.Request().Context(), owner)
	if err != nil {
		return err
	}
	out := make([]interviewJSON, 0, len(ivs))
	for _, iv := range ivs {
		j, err := s.interviewJSON(c, iv)
		if err != nil {
			return err
		}
		out = append(out, j)
	}
	return c.JSON(http.StatusOK, map[string]any{"interviews": out})
}

// setSuccessor assigns the successor of one account (the session's manager, or an admin).
func (s *Server) setSuccessor(c echo.Context) error {
	iv, err := s.ownInterview(c)
	if err != nil {
		return err
	}
	var req struct {
		Email string `json:"email"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if err := s.assignSuccessor(c, iv, req.Email); err != nil {
		return err
	}
	out, err := s.interviewJSON(c, iv)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// assignSuccessor gives the account named by the route's account_id to the user with email ("" clears
// it), for the API and the session page alike. An unknown email is a validation error on "email".
func (s *Server) assignSuccessor(c echo.Context, iv store.Interview, email string) error {
	return s.assignSuccessors(c, iv, []string{c.Param("account_id")}, email)
}

// assignSuccessors gives accounts of a session to the user with email ("" clears them), all or none; every
// assignment is audited. An unknown email is a validation error on "email", an account of another session
// a 404.
func (s *Server) assignSuccessors(c echo.Context, iv store.Interview, accountIDs []string, email string) error {
	ctx := c.Request().Context()
	email = auth.NormalizeEmail(email)
	userID := ""
	if email != "" {
		u, err := s.store.UserByEmail(ctx, email)
		if errors.Is(err, store.ErrNotFound) {
			return validation.Errors{"email": "no user has this email; an admin must create them first"}
		}
		if err != nil {
			return err
		}
		// Only successors are given the accounts handed to them; anyone else named here would get nothing.
		if u.Role != store.RoleSuccessor {
			return validation.Errors{"email": interview.SuccessorRoleProblem(u.Role)}
		}
		userID = u.ID
	}
	if len(accountIDs) == 0 {
		return validation.Errors{"accounts": "choose at least one account"}
	}
	err := s.store.Transact(ctx, func(tx *store.Store) error {
		for _, id := range accountIDs {
			if err := tx.SetAccountSuccessor(ctx, iv.ID, id, userID); err != nil {
				return err
			}
		}
		if s.notifier == nil || userID == "" {
			return nil
		}
		// The successor hears of the accounts in an e-mail queued with the assignment.
		accounts, err := tx.Accounts(ctx, iv.ID)
		if err != nil {
			return err
		}
		var names []string
		for _, a := range accounts {
			if slices.Contains(accountIDs, a.ID) {
				names = append(names, a.Name)
			}
		}
		u, err := tx.UserByID(ctx, userID)
		if err != nil {
			return err
		}
		return s.notifier.Assigned(ctx, tx, iv, u, names)
	})
	if err != nil {
		return err
	}
	for _, id := range accountIDs {
		s.audit(c, "successor.assigned", iv.ID, map[string]any{"account_id": id, "email": email})
	}
	return nil
}

// setSuccessors is PUT /api/v1/interviews/{id}/successors: {"email", "accounts": [names or ids]}.
func (s *Server) setSuccessors(c echo.Context) error {
	iv, err := s.ownInterview(c)
	if err != nil {
		return err
	}
	var req struct {
		Email    string   `json:"email"`
		Accounts []string `json:"accounts"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	accounts, err := s.store.Accounts(c.Request().Context(), iv.ID)
	if err != nil {
		return err
	}
	var ids []string
	for _, want := range req.Accounts {
		found := ""
		for _, a := range accounts {
			if a.ID == want || strings.EqualFold(a.Name, strings.TrimSpace(want)) {
				found = a.ID
			}
		}
		if found == "" {
			return validation.Errors{"accounts": "\"" + want + "\" is not an account of this session"}
		}
		ids = append(ids, found)
	}
	if err := s.assignSuccessors(c, iv, ids, req.Email); err != nil {
		return err
	}
	out, err := s.interviewJSON(c, iv)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// newInvite replaces the session's invite link (the old one stops working) and returns the new one.
func (s *Server) newInvite(c echo.Context) error {
	iv, err := s.ownInterview(c)
	if err != nil {
		return err
	}
	token, url, err := s.ivs.NewInvite(c.Request().Context(), iv)
	if errors.Is(err, store.ErrHandedOver) {
		return errNoInviteAfterHandover
	}
	if err != nil {
		return err
	}
	s.audit(c, "invite.reissued", iv.ID, nil)
	return c.JSON(http.StatusCreated, createdJSON{ID: iv.ID, Status: iv.Status, InviteURL: url, InviteToken: token})
}
