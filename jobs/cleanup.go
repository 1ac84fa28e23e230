package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/exitinterview/exitinterview/store"
)

// CleanupArgs asks for expired browser sessions and old login failures to be removed.
type CleanupArgs struct{}

// Kind names the job in River's tables.
func (CleanupArgs) Kind() string { return "cleanup" }

// loginFailureRetention keeps failed logins a day for the audit trail's sake; rate limiting only looks at
// the last login window.
const loginFailureRetention = 24 * time.Hour

// CleanupWorker deletes what has expired. It is idempotent, as River may run a job more than once.
type CleanupWorker struct {
	river.WorkerDefaults[CleanupArgs]
	store  *store.Store
	idle   time.Duration
	log    *slog.Logger
	rescue time.Duration
}

// Timeout bounds one run.
func (w *CleanupWorker) Timeout(*river.Job[CleanupArgs]) time.Duration {
	return limit(cleanupTimeout, w.rescue)
}

// Work removes stale sessions and old login failures.
func (w *CleanupWorker) Work(ctx context.Context, _ *river.Job[CleanupArgs]) error {
	sessions, err := w.store.DeleteStaleBrowserSessions(ctx, w.idle)
	if err != nil {
		return err
	}
	failures, err := w.store.DeleteLoginFailuresBefore(ctx, time.Now().Add(-loginFailureRetention))
	if err != nil {
		return err
	}
	w.log.Info("cleanup done", "sessions_deleted", sessions, "login_failures_deleted", failures)
	return nil
}
