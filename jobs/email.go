package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/exitinterview/exitinterview/mail"
	"github.com/exitinterview/exitinterview/store"
)

// EmailArgs asks for one stored e-mail to be sent.
type EmailArgs struct {
	EmailID string `json:"email_id"`
}

// Kind names the job in River's tables.
func (EmailArgs) Kind() string { return "email" }

// InsertOpts: retried for about a day, one job per e-mail.
func (EmailArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 8, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// EmailWorker sends e-mails. A sent one is never sent again (the row says so); a failure is retried by
// River with backoff, and the last attempt's marks it failed.
type EmailWorker struct {
	river.WorkerDefaults[EmailArgs]
	store  *store.Store
	sender mail.Sender
	rescue time.Duration
}

// Timeout bounds one delivery.
func (w *EmailWorker) Timeout(*river.Job[EmailArgs]) time.Duration {
	return limit(emailTimeout, w.rescue)
}

// Work sends the e-mail unless it was sent.
func (w *EmailWorker) Work(ctx context.Context, job *river.Job[EmailArgs]) error {
	e, err := w.store.EmailByID(ctx, job.Args.EmailID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil || e.Status != "pending" {
		return err
	}
	if err := w.sender.Send(ctx, mail.Message{To: e.To, Subject: e.Subject, Text: e.Text, HTML: e.HTML, ID: e.ID}); err != nil {
		if job.Attempt >= job.MaxAttempts {
			return errors.Join(err, w.store.MarkEmailFailed(context.WithoutCancel(ctx), e.ID, err.Error()))
		}
		return fmt.Errorf("send e-mail %s: %w", e.ID, err)
	}
	return w.store.MarkEmailSent(context.WithoutCancel(ctx), e.ID)
}

// EnqueueEmail inserts the sending of a stored e-mail in tx.
func (q *Queue) EnqueueEmail(ctx context.Context, tx *store.Store, emailID string) error {
	return q.insertTx(ctx, tx, EmailArgs{EmailID: emailID}, "e-mail "+emailID)
}

// NotifyArgs asks for the periodic notifications: reminders to quiet CSMs, digests to managers.
type NotifyArgs struct{}

// Kind names the job in River's tables.
func (NotifyArgs) Kind() string { return "notify" }

// Periodic queues the periodic notifications.
type Periodic interface {
	Periodic(ctx context.Context, now time.Time) error
}

// NotifyWorker runs the periodic notifications.
type NotifyWorker struct {
	river.WorkerDefaults[NotifyArgs]
	notify Periodic
}

// Work queues what is due now.
func (w *NotifyWorker) Work(ctx context.Context, _ *river.Job[NotifyArgs]) error {
	return w.notify.Periodic(ctx, time.Now())
}
