package webhook

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/exitinterview/exitinterview/store"
)

// DeliverArgs asks for one delivery to be sent.
type DeliverArgs struct {
	DeliveryID string `json:"delivery_id"`
}

// Kind names the job in River's tables.
func (DeliverArgs) Kind() string { return "webhook_delivery" }

// InsertOpts: one job per delivery; the attempts are the retry schedule's.
func (DeliverArgs) InsertOpts() river.InsertOpts { return retried() }

// retried is how a delivery and a Slack message are inserted: one job each, with an attempt for every
// step of the retry schedule.
func retried() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: len(DefaultRetry) + 1, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// DeliverWorker sends deliveries.
type DeliverWorker struct {
	river.WorkerDefaults[DeliverArgs]
	s *Service
}

// Timeout bounds one attempt, with time to record it.
func (w *DeliverWorker) Timeout(*river.Job[DeliverArgs]) time.Duration { return w.s.attemptTimeout() }

// attemptTimeout bounds one attempt of a delivery or a Slack message: the request's own timeout, with
// time to record the attempt.
func (s *Service) attemptTimeout() time.Duration { return s.cfg.Timeout + 20*time.Second }

// NextRetry follows the retry schedule.
func (w *DeliverWorker) NextRetry(job *river.Job[DeliverArgs]) time.Time {
	return time.Now().Add(w.s.retryWait(job.Attempt))
}

func (s *Service) retryWait(attempt int) time.Duration {
	if attempt < 1 {
		attempt = 1
	}
	if attempt > len(s.cfg.Retry) {
		return s.cfg.Retry[len(s.cfg.Retry)-1]
	}
	return s.cfg.Retry[attempt-1]
}

// orderWait is how long a delivery waits, without using an attempt, for an earlier event of the same
// session to the same endpoint to be delivered or given up.
const orderWait = 2 * time.Second

// Work sends the delivery unless it is done, after the session's earlier events to the same endpoint.
func (w *DeliverWorker) Work(ctx context.Context, job *river.Job[DeliverArgs]) error {
	err := w.s.deliver(ctx, job.Args.DeliveryID, job.Attempt >= job.MaxAttempts)
	if errors.Is(err, errWaitForEarlier) {
		return river.JobSnooze(orderWait)
	}
	return err
}

var errWaitForEarlier = errors.New("an earlier event of the session is still to be delivered")

type pending struct {
	id, endpointID, url, secret, eventID, interviewID, status string
	seq                                                       int64
	payload                                                   []byte
	disabled                                                  bool
}

// deliver makes one attempt at a delivery and records it; last says no retry follows a failure.
func (s *Service) deliver(ctx context.Context, id string, last bool) error {
	var d pending
	err := s.store.Pool().QueryRow(ctx, `
SELECT d.id, d.endpoint_id, e.url, e.secret, d.event_id, coalesce(d.interview_id::text, ''), d.status, d.seq, ev.payload::text,
       e.disabled_at IS NOT NULL
FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id JOIN webhook_events ev ON ev.id = d.event_id
WHERE d.id = $1`, id).Scan(&d.id, &d.endpointID, &d.url, &d.secret, &d.eventID, &d.interviewID, &d.status, &d.seq, &d.payload, &d.disabled)
	if errors.Is(err, pgx.ErrNoRows) || err == nil && d.status != "pending" {
		return nil // the endpoint was deleted, or the delivery is done
	}
	if err != nil {
		return fmt.Errorf("webhook delivery %s: %w", id, err)
	}
	if d.disabled {
		_, err := s.store.Pool().Exec(ctx, `UPDATE webhook_deliveries SET status = 'failed', last_error = 'the endpoint is disabled', finished_at = now()
WHERE id = $1 AND status = 'pending'`, d.id)
		return err
	}
	if d.interviewID != "" {
		var earlier bool
		if err := s.store.Pool().QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM webhook_deliveries
WHERE endpoint_id = $1 AND interview_id = $2 AND status = 'pending' AND seq < $3)`, d.endpointID, d.interviewID, d.seq).Scan(&earlier); err != nil {
			return err
		}
		if earlier {
			return errWaitForEarlier
		}
	}
	now := time.Now()
	sig, err := Sign(d.secret, d.eventID, now.Unix(), d.payload)
	if err != nil {
		return err
	}
	code, took, sendErr := post(ctx, s.client, d.url, map[string]string{
		"webhook-id": d.eventID, "webhook-timestamp": strconv.FormatInt(now.Unix(), 10), "webhook-signature": sig}, d.payload)
	return s.record(context.WithoutCancel(ctx), d, code, took, sendErr, last)
}

// record writes an attempt's outcome: the attempt's row, the delivery's state and the endpoint's health.
// An endpoint whose every attempt has failed for DisableAfter is disabled, its pending deliveries given
// up, and its owner told. A failure is returned (for River to retry) unless no retry follows.
func (s *Service) record(ctx context.Context, d pending, code int, took time.Duration, sendErr error, last bool) error {
	msg := ""
	if sendErr != nil {
		msg = truncate(sendErr.Error(), 500)
	}
	var disabled bool
	err := s.store.Transact(ctx, func(tx *store.Store) error {
		if _, err := tx.Tx().Exec(ctx, `INSERT INTO webhook_attempts (delivery_id, status_code, latency_ms, error) VALUES ($1, $2, $3, $4)`,
			d.id, code, took.Milliseconds(), msg); err != nil {
			return err
		}
		if sendErr == nil {
			if _, err := tx.Tx().Exec(ctx, `UPDATE webhook_deliveries SET status = 'succeeded', attempts = attempts + 1, last_error = '',
finished_at = now() WHERE id = $1`, d.id); err != nil {
				return err
			}
			_, err := tx.Tx().Exec(ctx, `UPDATE webhook_endpoints SET failing_since = NULL WHERE id = $1`, d.endpointID)
			return err
		}
		status := "pending"
		if last {
			status = "failed"
		}
		if _, err := tx.Tx().Exec(ctx, `UPDATE webhook_deliveries SET status = $2, attempts = attempts + 1, last_error = $3,
finished_at = CASE WHEN $2 = 'failed' THEN now() END WHERE id = $1`, d.id, status, msg); err != nil {
			return err
		}
		var since time.Time
		if err := tx.Tx().QueryRow(ctx, `UPDATE webhook_endpoints SET failing_since = coalesce(failing_since, now()) WHERE id = $1
RETURNING failing_since`, d.endpointID).Scan(&since); err != nil {
			return err
		}
		if time.Since(since) < s.cfg.DisableAfter {
			return nil
		}
		disabled = true
		return s.disable(ctx, tx, d.endpointID, fmt.Sprintf("every delivery attempt since %s failed; the last: %s",
			since.UTC().Format("2 Jan 2006 15:04 MST"), msg))
	})
	if err != nil {
		return errors.Join(sendErr, err)
	}
	if sendErr == nil || last || disabled {
		return nil
	}
	return fmt.Errorf("webhook delivery %s: %w", d.id, sendErr)
}

// disable stops an endpoint, gives up its pending deliveries and tells its owner, in tx.
func (s *Service) disable(ctx context.Context, tx *store.Store, endpointID, reason string) error {
	var url, ownerID string
	err := tx.Tx().QueryRow(ctx, `UPDATE webhook_endpoints SET disabled_at = now(), disabled_reason = $2 WHERE id = $1 AND disabled_at IS NULL
RETURNING url, owner_id`, endpointID, truncate(reason, 600)).Scan(&url, &ownerID)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	if _, err := tx.Tx().Exec(ctx, `UPDATE webhook_deliveries SET status = 'failed', last_error = 'the endpoint was disabled', finished_at = now()
WHERE endpoint_id = $1 AND status = 'pending'`, endpointID); err != nil {
		return err
	}
	s.log.Warn("webhook endpoint disabled", "endpoint_id", endpointID, "reason", reason)
	if s.mailer == nil {
		return nil
	}
	owner, err := tx.UserByID(ctx, ownerID)
	if err != nil {
		return err
	}
	return s.mailer.WebhookDisabled(ctx, tx, owner, url, reason)
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// BlindArgs asks for the periodic check of accounts at risk of a blind handover.
type BlindArgs struct{}

// Kind names the job in River's tables.
func (BlindArgs) Kind() string { return "webhook_blind" }

// BlindWorker runs the check.
type BlindWorker struct {
	river.WorkerDefaults[BlindArgs]
	s *Service
}

// Work announces the accounts that became blind, and posts the day's digests to Slack.
func (w *BlindWorker) Work(ctx context.Context, _ *river.Job[BlindArgs]) error {
	now := time.Now()
	return errors.Join(w.s.CheckBlind(ctx, now), w.s.SlackDigests(ctx, now))
}

// AddWorkers registers the webhook workers.
func (s *Service) AddWorkers(workers *river.Workers) error {
	if err := river.AddWorkerSafely(workers, &DeliverWorker{s: s}); err != nil {
		return err
	}
	if err := river.AddWorkerSafely(workers, &SlackWorker{s: s}); err != nil {
		return err
	}
	return river.AddWorkerSafely(workers, &BlindWorker{s: s})
}

// PeriodicJobs are the webhooks' periodic jobs: the hourly check of blind accounts (and the day's
// Slack digests).
func (s *Service) PeriodicJobs() []*river.PeriodicJob {
	return []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
		func() (river.JobArgs, *river.InsertOpts) { return BlindArgs{}, nil },
		&river.PeriodicJobOpts{ID: "webhook_blind", RunOnStart: true})}
}
