// Package notify decides which e-mails exitinterview sends and writes them: the invitation to the
// departing CSM, a reminder when their interview stalls, a daily digest to the manager as a last day
// nears, and a note to a successor when accounts are handed to them. Each is queued in the transaction
// of the event that causes it, under a key that makes it unique, and sent by a background job; without
// SMTP configured nothing is queued.
package notify

import (
	"bytes"
	"context"
	"fmt"
	htmltemplate "html/template"
	"log/slog"
	"sort"
	"strconv"
	"strings"
	"text/template"
	"time"

	"github.com/exitinterview/exitinterview/plural"
	"github.com/exitinterview/exitinterview/secret"
	"github.com/exitinterview/exitinterview/store"
)

// Queue enqueues the sending of a stored e-mail, in the caller's transaction.
type Queue interface {
	EnqueueEmail(ctx context.Context, tx *store.Store, emailID string) error
}

// Service queues notifications.
type Service struct {
	store   *store.Store
	queue   Queue
	baseURL string
	log     *slog.Logger
	// digestByEmail, when set, says whether a manager's digest is e-mailed.
	digestByEmail func(ctx context.Context, managerID string) (bool, error)
}

// New returns a notifier that links to baseURL.
func New(st *store.Store, q Queue, baseURL string, log *slog.Logger) *Service {
	return &Service{store: st, queue: q, baseURL: strings.TrimRight(baseURL, "/"), log: log}
}

// SetDigestByEmail decides, per manager, whether the daily digest goes by e-mail (false: the manager
// chose to have it in Slack instead). Without it every digest is e-mailed.
func (s *Service) SetDigestByEmail(f func(ctx context.Context, managerID string) (bool, error)) {
	s.digestByEmail = f
}

// SetQueue sets the queue (the River client is made after the notifier). Call it before use.
func (s *Service) SetQueue(q Queue) { s.queue = q }

// Thresholds of the periodic notifications.
const (
	// StallAfter is how long a CSM may be quiet before they are reminded (once per quiet spell).
	StallAfter = 72 * time.Hour
	// DigestDays is how close a last day must be for the manager's daily digest.
	DigestDays = 7
)

// Note is a notification's words: an e-mail renders them as plain text and HTML, a Slack message as
// Block Kit (package webhook), so each fact is worded once.
type Note struct {
	Subject    string
	Greeting   string
	Paragraphs []string
	LinkText   string
	Link       string
	Items      []string
}

// message is an e-mail's words (the subject is queued beside them).
type message = Note

var textTemplate = template.Must(template.New("text").Parse(`{{.Greeting}}
{{range .Paragraphs}}
{{.}}
{{end}}{{range .Items}}
- {{.}}{{end}}{{if .Items}}
{{end}}{{with .Link}}
{{$.LinkText}}: {{.}}
{{end}}
— exitinterview
`))

var htmlTemplate = htmltemplate.Must(htmltemplate.New("html").Parse(`<!doctype html><html><body style="font-family:sans-serif;line-height:1.5;color:#1d2430">
<p>{{.Greeting}}</p>{{range .Paragraphs}}<p>{{.}}</p>{{end}}{{with .Items}}<ul>{{range .}}<li>{{.}}</li>{{end}}</ul>{{end}}
{{with .Link}}<p><a href="{{.}}" style="background:#2b5a8a;color:#fff;padding:.5em 1em;border-radius:6px;text-decoration:none">{{$.LinkText}}</a></p>{{end}}
<p style="color:#667">— exitinterview</p></body></html>`))

// queue renders and stores an e-mail under key and enqueues its sending, in tx.
func (s *Service) queueIn(ctx context.Context, tx *store.Store, key, kind, to, subject string, m message) error {
	var text, html bytes.Buffer
	if err := textTemplate.Execute(&text, m); err != nil {
		return err
	}
	if err := htmlTemplate.Execute(&html, m); err != nil {
		return err
	}
	id, fresh, err := tx.QueueEmail(ctx, store.Email{Key: key, Kind: kind, To: to, Subject: subject, Text: text.String(), HTML: html.String()})
	if err != nil || !fresh {
		return err
	}
	return s.queue.EnqueueEmail(ctx, tx, id)
}

// Invite queues the invitation to the CSM (when the session has their e-mail): once per invite link.
func (s *Service) Invite(ctx context.Context, tx *store.Store, iv store.Interview, managerName, inviteURL string) error {
	if iv.CSMEmail == "" {
		return nil
	}
	who := managerName
	if who == "" {
		who = "Your manager"
	}
	token := inviteURL[strings.LastIndexByte(inviteURL, '/')+1:]
	key := fmt.Sprintf("invite:%s:%x", iv.ID, secret.Hash(token)[:8]) // one per link; the key holds no part of the secret
	return s.queueIn(ctx, tx, key, "invite", iv.CSMEmail,
		"Your knowledge-transfer interview before "+iv.DepartureDate.Format("2 January"), message{
			Greeting: "Hi " + firstName(iv.CSMName) + ",",
			Paragraphs: []string{
				who + " asks you to share what you know about your accounts before your last day, " + iv.DepartureDate.Format("2 January 2006") + ", so nothing is lost when you hand over.",
				"An interviewer asks about each account and how you work, one question at a time. You can stop whenever you like and come back with the same link.",
			},
			LinkText: "Start the interview", Link: inviteURL,
		})
}

// Assigned queues a note to a successor about the accounts just handed to them: once per set of accounts.
func (s *Service) Assigned(ctx context.Context, tx *store.Store, iv store.Interview, successor store.User, accounts []string) error {
	if successor.Email == "" || len(accounts) == 0 {
		return nil
	}
	sorted := append([]string(nil), accounts...)
	sort.Strings(sorted)
	key := "assigned:" + iv.ID + ":" + successor.ID + ":" + strings.Join(sorted, "|")
	if len(key) > 500 {
		key = key[:500]
	}
	subject := fmt.Sprintf("%s handed to you from %s", plural.Count(len(accounts), "account", "accounts"), iv.CSMName)
	return s.queueIn(ctx, tx, key, "assigned", successor.Email, subject, message{
		Greeting:   "Hi " + firstName(successor.Name) + ",",
		Paragraphs: []string{iv.CSMName + " leaves on " + iv.DepartureDate.Format("2 January 2006") + ". " + plural.Noun(len(accounts), "This account is", "These accounts are") + " handed to you; what " + firstName(iv.CSMName) + " told us about " + plural.Noun(len(accounts), "it", "them") + " is on " + plural.Noun(len(accounts), "its", "each account's") + " page, and you can ask them questions until their last day:"},
		Items:      sorted, LinkText: "Open your accounts", Link: s.baseURL + "/",
	})
}

// Remind queues the reminder a manager sends the CSM by hand (when the session has their e-mail): one per
// request, at being when it was asked for. It gives no link, as the periodic reminder: a new link would
// stop the one the CSM may have open.
func (s *Service) Remind(ctx context.Context, tx *store.Store, iv store.Interview, managerName string, lastAnswer *time.Time, at time.Time) error {
	if iv.CSMEmail == "" {
		return nil
	}
	manager := firstOr(managerName, "Your manager")
	where := "You have not started yet; it takes about " + strconv.Itoa(iv.TimeBudgetMinutes) + " minutes, and you can stop whenever you like."
	if lastAnswer != nil {
		where = "Everything you answered is saved, and you continue where you stopped."
	}
	days := int(iv.DepartureDate.Sub(at.UTC().Truncate(24*time.Hour)).Hours() / 24)
	when := fmt.Sprintf("your last day, %s, is in %d day(s)", iv.DepartureDate.Format("2 January"), days)
	if days <= 0 {
		when = "today is your last day"
	}
	m := message{Greeting: "Hi " + firstName(iv.CSMName) + ",",
		Paragraphs: []string{
			manager + " asks you to continue your knowledge-transfer interview: " + when + ". " + where,
			"Use the link from " + firstOr(managerName, "your manager") + "'s invitation. If you cannot find it, ask them for a new one.",
		}}
	key := "nudge:" + iv.ID + ":" + at.UTC().Format(time.RFC3339Nano)
	return s.queueIn(ctx, tx, key, "reminder", iv.CSMEmail, "A reminder: your interview is waiting for you", m)
}

// Periodic queues the day's reminders and digests; run it every hour (keys make it idempotent).
func (s *Service) Periodic(ctx context.Context, now time.Time) error {
	stalled, err := s.store.StalledInterviews(ctx, now.Add(-StallAfter))
	if err != nil {
		return err
	}
	for _, x := range stalled {
		key := "reminder:" + x.ID + ":" + x.LastActivity.UTC().Format(time.RFC3339)
		days := int(x.DepartureDate.Sub(now.UTC().Truncate(24*time.Hour)).Hours() / 24)
		m := message{Greeting: "Hi " + firstName(x.CSMName) + ",",
			Paragraphs: []string{
				"Your knowledge-transfer interview is waiting for you; your last day is " + inDays(days) + ". Everything you answered is saved, and you continue where you stopped.",
				"Use the link from " + firstOr(x.ManagerName, "your manager") + "'s invitation. If you cannot find it, ask them for a new one.",
			}}
		err := s.store.Transact(ctx, func(tx *store.Store) error {
			return s.queueIn(ctx, tx, key, "reminder", x.CSMEmail, "Your interview is waiting for you", m)
		})
		if err != nil {
			return err
		}
	}
	digests, err := Digests(ctx, s.store, s.baseURL, now)
	if err != nil {
		return err
	}
	day := now.UTC().Format(time.DateOnly)
	for _, d := range digests {
		if s.digestByEmail != nil {
			email, err := s.digestByEmail(ctx, d.Manager.ID)
			if err != nil {
				return err
			}
			if !email {
				continue
			}
		}
		err = s.store.Transact(ctx, func(tx *store.Store) error {
			return s.queueIn(ctx, tx, "digest:"+d.Manager.ID+":"+day, "digest", d.Manager.Email, d.Note.Subject, d.Note)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func firstName(name string) string {
	if f := strings.Fields(name); len(f) > 0 {
		return f[0]
	}
	return "there"
}

func firstOr(s, or string) string {
	if s == "" {
		return or
	}
	return firstName(s)
}

// inDays says when a day comes: "today", "tomorrow", "in 3 days".
func inDays(days int) string {
	switch {
	case days <= 0:
		return "today"
	case days == 1:
		return "tomorrow"
	}
	return "in " + plural.Count(days, "day", "days")
}
