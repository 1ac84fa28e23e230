package notify

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/exitinterview/exitinterview/interview"
	"github.com/exitinterview/exitinterview/plural"
	"github.com/exitinterview/exitinterview/store"
)

// Digest is one manager's daily digest.
type Digest struct {
	Manager store.User
	Note    Note
}

// Digests returns the day's digest of every manager with a departure within DigestDays, by manager id:
// what the e-mail says, and what Slack shows.
func Digests(ctx context.Context, st *store.Store, baseURL string, now time.Time) ([]Digest, error) {
	baseURL = strings.TrimRight(baseURL, "/")
	soon, err := st.DepartingSoon(ctx, DigestDays)
	if err != nil {
		return nil, err
	}
	byManager := map[string][]store.Interview{}
	for _, iv := range soon {
		byManager[iv.ManagerID] = append(byManager[iv.ManagerID], iv)
	}
	managers := make([]string, 0, len(byManager))
	for id := range byManager {
		managers = append(managers, id)
	}
	sort.Strings(managers)
	var out []Digest
	for _, id := range managers {
		u, err := st.UserByID(ctx, id)
		if err != nil {
			return nil, err
		}
		var items []string
		for _, iv := range byManager[id] {
			cov, err := st.Coverage(ctx, iv.ID)
			if err != nil {
				return nil, err
			}
			items = append(items, fmt.Sprintf("%s leaves %s: interview %s, %d%% covered", iv.CSMName, iv.DepartureDate.Format("Mon 2 Jan"),
				strings.ReplaceAll(iv.Status, "_", " "), interview.Percent(cov)))
		}
		out = append(out, Digest{Manager: u, Note: Note{Subject: plural.Count(len(items), "departure", "departures") + " this week",
			Greeting:   "Hi " + firstName(u.Name) + ",",
			Paragraphs: []string{"These departures are within a week. The dashboard shows which accounts would be handed over blind, and why."},
			Items:      items, LinkText: "Open the dashboard", Link: baseURL + "/interviews"}})
	}
	return out, nil
}

// The notes a manager gets in Slack besides the digest: their words are here, beside the e-mails', so
// every notification is worded in one place.

// ReportReady is the note that a version of a session's report is ready, linking to it.
func ReportReady(iv store.Interview, version int, link string) Note {
	return Note{Subject: "The handover report of " + iv.CSMName + " is ready",
		Paragraphs: []string{fmt.Sprintf("Version %d of the handover report of %s (last day %s) is ready, with the handover checklist.",
			version, iv.CSMName, iv.DepartureDate.Format("2 January 2006"))},
		LinkText: "Open the report", Link: link}
}

// QuestionAnswered is the note that the CSM answered a question someone asked (never the answer itself:
// it is read on the page, by those allowed to).
func QuestionAnswered(iv store.Interview, account, askedBy, link string) Note {
	about := "about their portfolio"
	if account != "" {
		about = "about " + account
	}
	who := "A question"
	if askedBy != "" {
		who = askedBy + "'s question"
	}
	return Note{Subject: iv.CSMName + " answered a question",
		Paragraphs: []string{who + " " + about + " was answered by " + iv.CSMName + "."},
		LinkText:   "Read the answer", Link: link}
}

// AccountBlind is the note that an account became at risk of a blind handover, with the dashboard's
// reasons.
func AccountBlind(iv store.Interview, account string, score int, reasons []string, daysLeft int, link string) Note {
	return Note{Subject: account + " would be handed over blind",
		Paragraphs: []string{fmt.Sprintf("%s is at risk of being handed over blind: readiness %d of 100, and %s leaves %s.",
			account, score, iv.CSMName, inDays(daysLeft))},
		Items:    reasons,
		LinkText: "Open the account", Link: link}
}

// WebhookDisabled queues the e-mail telling an endpoint's owner it was disabled, in tx: once per
// endpoint and day.
func (s *Service) WebhookDisabled(ctx context.Context, tx *store.Store, owner store.User, endpointURL, reason string) error {
	if owner.Email == "" {
		return nil
	}
	key := fmt.Sprintf("webhook-disabled:%s:%x:%s", owner.ID, endpointURL, time.Now().UTC().Format(time.DateOnly))
	if len(key) > 500 {
		key = key[:500]
	}
	return s.queueIn(ctx, tx, key, "webhook_disabled", owner.Email, "A webhook endpoint was disabled", message{
		Greeting: "Hi " + firstName(owner.Name) + ",",
		Paragraphs: []string{"exitinterview stopped sending events to " + endpointURL + " because its deliveries kept failing: " + reason + ".",
			"Check that the endpoint is up and answers with a 2xx status, then register it again on the webhooks page."},
		LinkText: "Open the webhooks page", Link: s.baseURL + "/webhooks",
	})
}
