package fidelity

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Asked is one question the interviewer put to the persona.
type Asked struct {
	Account string
	Topics  []string
	Kind    string
	Text    string
	// AlreadyAnswered: every topic of the question had been answered before it was asked, and, for a
	// follow-up, the persona had nothing more to say to it (no prepared follow-up answer).
	AlreadyAnswered bool
}

// Sent is one message the persona sent: Covers are the pairs its text answers in truth; Scored is false
// for the texts the truth says nothing about (follow-up answers, the closing reply).
type Sent struct {
	Covers []Coverage
	Scored bool
	// Text is what the persona typed.
	Text string
	// MessageID is the id of the answer it was stored as.
	MessageID string
}

// Run is one persona's interview through the HTTP API.
type Run struct {
	InterviewID string
	Asked       []Asked
	Sent        []Sent // in the order sent
	Report      Report
	// Shift is how many days the persona's dates were moved, so that they lie as far ahead of today as
	// they lay ahead of the persona's interview date.
	Shift int
}

// Report is the part of the report JSON the scores read.
type Report struct {
	Status     string   `json:"status"`
	Version    int      `json:"version"`
	Incomplete []string `json:"incomplete_answer_ids"`
	Accounts   []struct {
		Name string `json:"name"`
		Risk struct {
			Level  string `json:"level"`
			Stated string `json:"stated_level"`
		} `json:"risk"`
		Findings []struct {
			Type   string            `json:"type"`
			Text   string            `json:"text"`
			Fields map[string]string `json:"fields"`
		} `json:"findings"`
		IntroEmail struct {
			To []string `json:"to"`
		} `json:"intro_email"`
	} `json:"accounts"`
	Contradictions []struct {
		Account string `json:"account"`
		CRM     string `json:"crm"`
	} `json:"contradictions"`
	Gaps []struct {
		Account string `json:"account"`
		Topic   string `json:"topic"`
	} `json:"gaps"`
	Transcript []struct {
		Role   string     `json:"role"`
		Covers []Coverage `json:"covers"`
	} `json:"transcript"`
}

type api struct {
	base   string
	client *http.Client
}

func (a api) call(ctx context.Context, method, path, token string, body, out any) error {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, a.base+path, r)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := a.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, b)
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}

type question struct {
	ID      string   `json:"id"`
	Topics  []string `json:"topics"`
	Account *string  `json:"account"`
	Kind    string   `json:"kind"`
	Text    string   `json:"text"`
	Facts   []Fact   `json:"facts"`
	Choices []struct {
		Value string `json:"value"`
	} `json:"choices"`
}

// Fact is one fact of a read-back card.
type Fact struct {
	ID     string            `json:"id"`
	Type   string            `json:"type"`
	Fields map[string]string `json:"fields"`
}

type turn struct {
	Message struct {
		ID string `json:"id"`
	} `json:"message"`
	Next *question `json:"next_question"`
	Done bool      `json:"done"`
}

// shiftDate moves a YYYY-MM-DD date by days ("" stays "").
func shiftDate(s string, days int) string {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return d.AddDate(0, 0, days).Format(time.DateOnly)
}

// Interview creates the persona's session as the manager whose API token is given, lets the persona
// answer every question the interviewer asks with their prepared words, and waits for the report. A
// read-back card is confirmed as it stands, or, with correct, corrected from the persona's truth first.
func Interview(ctx context.Context, base, managerToken string, p Persona, today time.Time, correct bool) (Run, error) {
	a := api{base: strings.TrimRight(base, "/"), client: &http.Client{Timeout: time.Minute}}
	interviewDay, err := time.Parse(time.DateOnly, p.InterviewDate)
	if err != nil {
		return Run{}, err
	}
	run := Run{Shift: int(today.Truncate(24*time.Hour).Sub(interviewDay).Hours() / 24)}
	accounts := make([]map[string]any, len(p.Accounts))
	for i, ac := range p.Accounts {
		accounts[i] = map[string]any{"name": ac.Name, "arr": ac.ARR, "renewal_date": shiftDate(ac.RenewalDate, run.Shift),
			"segment": ac.Segment, "crm_id": ac.CRMID, "crm": map[string]any{"health": ac.CRM.Health,
				"last_contact": shiftDate(ac.CRM.LastContact, run.Shift), "open_opportunity": ac.CRM.OpenOpportunity, "notes": ac.CRM.Notes}}
	}
	var created struct {
		ID          string `json:"id"`
		InviteToken string `json:"invite_token"`
	}
	if err := a.call(ctx, http.MethodPost, "/api/v1/interviews", managerToken, map[string]any{
		"csm": p.CSM, "departure_date": shiftDate(p.DepartureDate, run.Shift), "accounts": accounts}, &created); err != nil {
		return run, err
	}
	run.InterviewID = created.ID

	answers := map[Coverage]Answer{}
	for _, an := range p.Answers {
		answers[Coverage{an.Account, an.Topic}] = an
	}
	covered := map[Coverage]bool{}
	var t turn
	if err := a.call(ctx, http.MethodGet, "/api/v1/interview", created.InviteToken, nil, &t); err != nil {
		return run, err
	}
	for n := 0; t.Next != nil && !t.Done; n++ {
		if n > 400 {
			return run, errors.New("the interview did not end after 400 turns")
		}
		q := t.Next
		account := ""
		if q.Account != nil {
			account = *q.Account
		}
		asked := Asked{Account: account, Topics: q.Topics, Kind: q.Kind, Text: q.Text, AlreadyAnswered: len(q.Topics) > 0}
		var parts []Answer
		for _, tp := range q.Topics {
			k := Coverage{account, tp}
			asked.AlreadyAnswered = asked.AlreadyAnswered && covered[k]
			if an, ok := answers[k]; ok {
				parts = append(parts, an)
			}
		}
		if opp := p.opportunity(account); opp != "" && strings.Contains(strings.ToLower(q.Text), opp) &&
			!strings.Contains(strings.ToLower(run.said()), opp) {
			// The question asks what became of the opportunity the CRM lists, which nothing the persona
			// said so far names: however much was said of the upsell, that was not.
			asked.AlreadyAnswered = false
		}
		if q.Kind == "follow_up" && len(parts) > 0 && parts[0].FollowUp != "" {
			// The persona held something back that a follow-up draws out (the day "after the holidays"
			// stands for): the follow-up asks for what was not yet said.
			asked.AlreadyAnswered = false
		}
		run.Asked = append(run.Asked, asked)
		if q.Kind == "readback" {
			var reply turn
			if err := readBack(ctx, a, created.InviteToken, p, run.Shift, *q, correct, fmt.Sprintf("%s-%d", p.Slug, n), &reply); err != nil {
				return run, err
			}
			run.Sent = append(run.Sent, Sent{}) // the reply to a card is in the transcript too, not scored
			t = reply
			continue
		}
		text := "No, that's everything from me."
		sent := Sent{}
		switch {
		case q.Kind == "follow_up" && len(parts) > 0 && parts[0].FollowUp != "":
			text = parts[0].FollowUp
		case q.Kind == "follow_up":
			text = "That's all I know about it."
		case len(parts) > 0:
			var texts []string
			sent.Scored = true
			for _, an := range parts {
				if !slices.Contains(texts, an.Text) {
					texts = append(texts, an.Text)
				}
				for _, c := range an.Covers {
					covered[c] = true
					if !slices.Contains(sent.Covers, c) {
						sent.Covers = append(sent.Covers, c)
					}
				}
			}
			text = strings.Join(texts, "\n\n")
		}
		sent.Text = text
		var reply turn
		if err := a.call(ctx, http.MethodPost, "/api/v1/interview/messages", created.InviteToken,
			map[string]string{"content": text, "client_id": fmt.Sprintf("%s-%d", p.Slug, n)}, &reply); err != nil {
			return run, err
		}
		sent.MessageID = reply.Message.ID
		run.Sent = append(run.Sent, sent)
		t = reply
	}
	if !t.Done {
		if err := a.call(ctx, http.MethodPost, "/api/v1/interview/finish", created.InviteToken, map[string]any{}, nil); err != nil {
			return run, err
		}
	}
	version := 0
	if correct {
		// The CSM reads the review and files each answer the reader filed otherwise than the truth; the
		// manager then asks for the report again.
		if err := fileFromTruth(ctx, a, created.InviteToken, run); err != nil {
			return run, err
		}
		var v struct {
			Version int `json:"version"`
		}
		if err := a.call(ctx, http.MethodPost, "/api/v1/interviews/"+created.ID+"/report", managerToken, map[string]any{}, &v); err != nil {
			return run, err
		}
		version = v.Version
	}
	deadline := time.Now().Add(5 * time.Minute)
	for {
		var r Report
		if err := a.call(ctx, http.MethodGet, "/api/v1/interviews/"+created.ID+"/report", managerToken, nil, &r); err == nil && r.Status == "ready" && len(r.Incomplete) == 0 && r.Version >= version {
			run.Report = r
			return run, nil
		}
		if time.Now().After(deadline) {
			return run, errors.New("no report within 5 minutes")
		}
		select {
		case <-ctx.Done():
			return run, ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// opportunity is the name of the open opportunity the CRM lists for the account, lower-case, without
// the value or note after it ("Analytics add-on (60k)" → "analytics add-on"); "" when there is none.
func (p Persona) opportunity(account string) string {
	for _, ac := range p.Accounts {
		if ac.Name == account {
			name, _, _ := strings.Cut(ac.CRM.OpenOpportunity, "(")
			name, _, _ = strings.Cut(name, " - ")
			return strings.ToLower(strings.TrimSpace(name))
		}
	}
	return ""
}

// fileFromTruth files, on the review, every scored answer whose filing differs from the pairs the truth
// says it covers, under those pairs.
func fileFromTruth(ctx context.Context, a api, invite string, run Run) error {
	var review struct {
		Answers []struct {
			MessageID string     `json:"message_id"`
			Covers    []Coverage `json:"covers"`
		} `json:"answers"`
	}
	if err := a.call(ctx, http.MethodGet, "/api/v1/interview/review", invite, nil, &review); err != nil {
		return err
	}
	filed := map[string][]Coverage{}
	for _, an := range review.Answers {
		filed[an.MessageID] = an.Covers
	}
	for _, s := range run.Sent {
		if !s.Scored || s.MessageID == "" {
			continue
		}
		got := filed[s.MessageID]
		same := len(got) == len(s.Covers)
		for _, c := range s.Covers {
			same = same && slices.Contains(got, c)
		}
		if same {
			continue
		}
		covers := s.Covers
		if covers == nil {
			covers = []Coverage{}
		}
		if err := a.call(ctx, http.MethodPost, "/api/v1/interview/review/answers/"+s.MessageID+"/topics", invite,
			map[string]any{"covers": covers}, nil); err != nil {
			return err
		}
	}
	return nil
}
