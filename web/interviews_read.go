package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/exitinterview/exitinterview/auth"
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
	RenewalDate *string  `json:"renewal_date"`
	Segment     string   `json:"segment"`
	// Risk is the latest ready report's level for the account; null until there is one.
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
	// Each account's risk is the latest ready report's; readiness follows package readiness's rule.
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
		aj := accountJSON{ID: a.ID, Name: a.Name, ARR: a.ARR, Segment: a.Segment, Depth: a.Depth, Readiness: byID[a.ID].Score}
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
		userID = u.ID
	}
	if err := s.store.SetAccountSuccessor(ctx, iv.ID, c.Param("account_id"), userID); err != nil {
		return err
	}
	s.audit(c, "successor.assigned", iv.ID, map[string]any{"account_id": c.Param("account_id"), "email": email})
	return nil
}

// newInvite replaces the session's invite link (the old one stops working) and returns the new one.
func (s *Server) newInvite(c echo.Context) error {
	iv, err := s.ownInterview(c)
	if err != nil {
		return err
	}
	token, url, err := s.ivs.NewInvite(c.Request().Context(), iv)
	if err != nil {
		return err
	}
	s.audit(c, "invite.reissued", iv.ID, nil)
	return c.JSON(http.StatusCreated, createdJSON{ID: iv.ID, Status: iv.Status, InviteURL: url, InviteToken: token})
}
