package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/exitinterview/exitinterview/notify"
	"github.com/exitinterview/exitinterview/store"
	"github.com/exitinterview/exitinterview/validation"
)

// SlackSetting is a manager's Slack channel: where their notifications are posted.
type SlackSetting struct {
	URL       string // the incoming-webhook URL: a secret, shown only masked
	EmailToo  bool   // false: the digest goes to Slack instead of by e-mail
	UpdatedAt time.Time
}

// Masked shows the URL as the page does once it is saved: its host and last four characters.
func (s SlackSetting) Masked() string { return MaskURL(s.URL) }

// MaskURL hides all of a secret URL but its scheme, host and last four characters.
func MaskURL(raw string) string {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return "…"
	}
	host, _, _ := strings.Cut(rest, "/")
	tail := raw
	if len(tail) > 4 {
		tail = tail[len(tail)-4:]
	}
	return scheme + "://" + host + "/…" + tail
}

// Slack returns u's Slack setting, or nil when they have none.
func (s *Service) Slack(ctx context.Context, userID string) (*SlackSetting, error) {
	var st SlackSetting
	err := s.store.Pool().QueryRow(ctx, `SELECT webhook_url, email_too, updated_at FROM slack_settings WHERE user_id = $1`, userID).
		Scan(&st.URL, &st.EmailToo, &st.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("slack setting: %w", err)
	}
	return &st, nil
}

// SetSlack saves u's Slack channel. An empty URL keeps the saved one (the page never shows it again), so
// only the e-mail choice changes; a bad URL is a validation.Errors and changes nothing.
func (s *Service) SetSlack(ctx context.Context, u store.User, url string, emailToo bool) error {
	if u.Role != store.RoleManager && u.Role != store.RoleAdmin {
		return ErrNotManager
	}
	url = strings.TrimSpace(url)
	if url == "" {
		tag, err := s.store.Pool().Exec(ctx, `UPDATE slack_settings SET email_too = $2, updated_at = now() WHERE user_id = $1`, u.ID, emailToo)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return validation.Errors{"slack_url": "is required"}
		}
		return nil
	}
	if p := CheckURL(url, s.cfg.AllowPrivate); p != "" {
		return validation.Errors{"slack_url": p}
	}
	_, err := s.store.Pool().Exec(ctx, `INSERT INTO slack_settings (user_id, webhook_url, email_too) VALUES ($1, $2, $3)
ON CONFLICT (user_id) DO UPDATE SET webhook_url = excluded.webhook_url, email_too = excluded.email_too, updated_at = now()`, u.ID, url, emailToo)
	return err
}

// RemoveSlack stops posting u's notifications to Slack (the digest is e-mailed again).
func (s *Service) RemoveSlack(ctx context.Context, userID string) error {
	_, err := s.store.Pool().Exec(ctx, `DELETE FROM slack_settings WHERE user_id = $1`, userID)
	return err
}

// DigestByEmail says whether a manager's daily digest is e-mailed: not when they chose Slack instead.
func (s *Service) DigestByEmail(ctx context.Context, managerID string) (bool, error) {
	st, err := s.Slack(ctx, managerID)
	if err != nil || st == nil {
		return true, err
	}
	return st.EmailToo, nil
}

// Block Kit, as Slack's incoming webhooks take it: a header, sections of mrkdwn text, and links.

type slackText struct {
	Type string `json:"type"` // plain_text or mrkdwn
	Text string `json:"text"`
}

type slackElement struct {
	Type string     `json:"type"` // button
	Text *slackText `json:"text"`
	URL  string     `json:"url"`
}

type slackBlock struct {
	Type     string         `json:"type"` // header, section, divider, actions, context
	Text     *slackText     `json:"text,omitempty"`
	Elements []slackElement `json:"elements,omitempty"`
}

// SlackMessage is an incoming-webhook message: text is the notification's fallback (and what Slack shows
// in notifications), blocks what the channel shows.
type SlackMessage struct {
	Text   string       `json:"text"`
	Blocks []slackBlock `json:"blocks"`
}

// escapeMrkdwn escapes what Slack's mrkdwn gives a meaning to inside text (&, < and >).
func escapeMrkdwn(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// BlockKit renders a note as a Slack message: its subject as the header, its paragraphs and list as
// mrkdwn sections, its link in the text and as a button.
func BlockKit(n notify.Note) SlackMessage {
	m := SlackMessage{Text: n.Subject}
	m.Blocks = append(m.Blocks, slackBlock{Type: "header", Text: &slackText{Type: "plain_text", Text: truncate(n.Subject, 150)}})
	var paras []string
	for _, p := range n.Paragraphs {
		paras = append(paras, escapeMrkdwn(p))
	}
	if len(paras) > 0 {
		m.Blocks = append(m.Blocks, slackBlock{Type: "section", Text: &slackText{Type: "mrkdwn", Text: truncate(strings.Join(paras, "\n\n"), 3000)}})
	}
	if len(n.Items) > 0 {
		var items []string
		for _, it := range n.Items {
			items = append(items, "• "+escapeMrkdwn(it))
		}
		m.Blocks = append(m.Blocks, slackBlock{Type: "section", Text: &slackText{Type: "mrkdwn", Text: truncate(strings.Join(items, "\n"), 3000)}})
	}
	if n.Link != "" {
		m.Blocks = append(m.Blocks,
			slackBlock{Type: "section", Text: &slackText{Type: "mrkdwn", Text: "<" + n.Link + "|" + escapeMrkdwn(n.LinkText) + ">"}},
			slackBlock{Type: "actions", Elements: []slackElement{{Type: "button", Text: &slackText{Type: "plain_text", Text: n.LinkText}, URL: n.Link}}})
	}
	return m
}

// notifySlack queues a note to a manager's Slack channel under key (one message per key), in tx; nothing
// when they have none.
func (s *Service) notifySlack(ctx context.Context, tx *store.Store, userID, key string, n notify.Note) error {
	if s.jobs == nil {
		return nil
	}
	body, err := json.Marshal(BlockKit(n))
	if err != nil {
		return err
	}
	kind, _, _ := strings.Cut(key, ":")
	var id string
	err = tx.Tx().QueryRow(ctx, `INSERT INTO slack_messages (key, user_id, kind, payload)
SELECT $1, user_id, $3, $4::jsonb FROM slack_settings WHERE user_id = $2
ON CONFLICT (key) DO NOTHING RETURNING id`, key, userID, kind, body).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("queue slack message %s: %w", key, err)
	}
	_, err = s.jobs.InsertTx(ctx, tx.Tx(), SlackArgs{MessageID: id}, nil)
	return err
}

// SlackDigests posts the day's digest (package notify's) to each manager's Slack channel, once a day.
func (s *Service) SlackDigests(ctx context.Context, now time.Time) error {
	digests, err := notify.Digests(ctx, s.store, s.cfg.BaseURL, now)
	if err != nil {
		return err
	}
	day := now.UTC().Format(time.DateOnly)
	for _, d := range digests {
		err := s.store.Transact(ctx, func(tx *store.Store) error {
			return s.notifySlack(ctx, tx, d.Manager.ID, "digest:"+d.Manager.ID+":"+day, d.Note)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// SlackArgs asks for one Slack message to be posted.
type SlackArgs struct {
	MessageID string `json:"message_id"`
}

// Kind names the job in River's tables.
func (SlackArgs) Kind() string { return "slack_message" }

// InsertOpts: one job per message, retried like a webhook delivery.
func (SlackArgs) InsertOpts() river.InsertOpts { return retried() }

// SlackWorker posts Slack messages through the same guarded client as webhooks.
type SlackWorker struct {
	river.WorkerDefaults[SlackArgs]
	s *Service
}

// Timeout bounds one attempt.
func (w *SlackWorker) Timeout(*river.Job[SlackArgs]) time.Duration { return w.s.attemptTimeout() }

// NextRetry follows the webhooks' retry schedule.
func (w *SlackWorker) NextRetry(job *river.Job[SlackArgs]) time.Time {
	return time.Now().Add(w.s.retryWait(job.Attempt))
}

// Work posts the message to the manager's channel as it is now; a message whose manager removed their
// channel is dropped.
func (w *SlackWorker) Work(ctx context.Context, job *river.Job[SlackArgs]) error {
	s := w.s
	var url, status string
	var payload []byte
	err := s.store.Pool().QueryRow(ctx, `SELECT coalesce(st.webhook_url, ''), m.status, m.payload::text
FROM slack_messages m LEFT JOIN slack_settings st ON st.user_id = m.user_id WHERE m.id = $1`, job.Args.MessageID).Scan(&url, &status, &payload)
	if errors.Is(err, pgx.ErrNoRows) || err == nil && status != "pending" {
		return nil
	}
	if err != nil {
		return err
	}
	if url == "" {
		_, err := s.store.Pool().Exec(ctx, `UPDATE slack_messages SET status = 'failed', error = 'no Slack channel any more' WHERE id = $1`, job.Args.MessageID)
		return err
	}
	_, _, sendErr := post(ctx, s.client, url, nil, payload)
	bg := context.WithoutCancel(ctx)
	if sendErr == nil {
		_, err := s.store.Pool().Exec(bg, `UPDATE slack_messages SET status = 'sent', attempts = attempts + 1, error = '', sent_at = now() WHERE id = $1`, job.Args.MessageID)
		return err
	}
	status = "pending"
	if job.Attempt >= job.MaxAttempts {
		status = "failed"
	}
	if _, err := s.store.Pool().Exec(bg, `UPDATE slack_messages SET status = $2, attempts = attempts + 1, error = $3 WHERE id = $1`,
		job.Args.MessageID, status, truncate(sendErr.Error(), 500)); err != nil {
		return errors.Join(sendErr, err)
	}
	if status == "failed" {
		return nil
	}
	return fmt.Errorf("slack message %s: %w", job.Args.MessageID, sendErr)
}
