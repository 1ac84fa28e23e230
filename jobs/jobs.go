// Package jobs runs exitinterview's background work as River jobs in the same PostgreSQL database, so any
// replica (a `serve` with workers, or a separate `worker` process) can take them and a job enqueued in a
// transaction exists only if that transaction commits.
package jobs

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/exitinterview/exitinterview/mail"
	"github.com/exitinterview/exitinterview/store"
)

// Deps are what the workers need.
type Deps struct {
	Store              *store.Store
	Log                *slog.Logger
	SessionIdleTimeout time.Duration
	Capture            Capturer // nil: no capture worker (tests of other jobs)
	// Attachments reads attached files; nil: no attachment worker (tests of other jobs).
	Attachments AttachmentReader
	// Vectors re-embeds for EmbedModel, the configured model; nil: no re-embedding (tests of other jobs).
	Vectors    Backfiller
	EmbedModel string
	// Reports generates reports; nil: no report worker (tests of other jobs).
	Reports ReportGenerator
	// Mail sends e-mails and Notify queues the periodic ones; nil when SMTP is not configured.
	Mail   mail.Sender
	Notify Periodic
	// RescueAfter is how long a job may be running before River takes it to be lost with its worker (a
	// killed process) and runs it again; 0 means DefaultRescueAfter. Every job's time limit is at most
	// this, so a job still at work is never run twice at once.
	RescueAfter time.Duration
	// Webhooks are the webhooks' and Slack's workers and periodic jobs; nil: none (tests of other jobs).
	Webhooks WorkerSet
}

// WorkerSet is a package's own workers and periodic jobs.
type WorkerSet interface {
	AddWorkers(workers *river.Workers) error
	PeriodicJobs() []*river.PeriodicJob
}

// DefaultRescueAfter is the rescue window when none is configured: a killed worker's jobs run again
// within minutes, and it is longer than any job's own time limit.
const DefaultRescueAfter = 5 * time.Minute

// Each job's own time limit, before the rescue window caps it.
const (
	captureTimeout = time.Minute     // redaction, extraction (a model call or the rules) and embedding of one answer
	reportTimeout  = 3 * time.Minute // a large report renders in about a second; a model writing its prose takes longer
	emailTimeout   = time.Minute
	cleanupTimeout = 2 * time.Minute
	reembedTimeout = 30 * time.Minute // one slice and, at the end, the model's index build
	otherTimeout   = time.Minute      // jobs without their own limit
)

// limit is a job's time limit: its own, or the rescue window when that is shorter.
func limit(own, rescue time.Duration) time.Duration { return min(own, rescue) }

// captureFetchCooldown is the least time between two fetches of captures: they fetch again as soon as
// one ends. At River's default (100 ms between fetches) two workers captured at most about 20 answers a
// second however fast each capture was.
const captureFetchCooldown = 5 * time.Millisecond

// captureWorkers is how many captures run at once. They read answers (extract and embed: the CPU-bound
// part) at most two at a time (knowledge's maxReading), so a burst of answers never takes the CPU from
// the CSMs' turns; the others wait on the database, and the captures of one interview that wait
// together are written in one transaction, which more workers make larger. Measured with `bench --only
// capture --interviews 20` on this 2-core machine, shared with other work (load 3.4–5.6), three runs
// each, in answers a second: 4 workers 80–140, 8 89–178, 16 128–225, 32 144–200.
const captureWorkers = 16

// NewClient returns a River client. With work false it only inserts jobs (a `serve --workers=false`);
// with work true it also runs them and the periodic jobs (the elected leader schedules those, so several
// replicas do not run them twice).
func NewClient(pool *pgxpool.Pool, d Deps, work bool) (*river.Client[pgx.Tx], error) {
	rescue := d.RescueAfter
	if rescue <= 0 {
		rescue = DefaultRescueAfter
	}
	cfg := &river.Config{
		Logger: d.Log.With("component", "river"),
		// User-facing work should fail visibly within hours, not retry for River's default of ~3 weeks.
		MaxAttempts: 8,
		// River's default is an hour: after a crash, answers would stay unsearchable and reports pending
		// that long. Workers' own limits (their Timeout methods) are capped by the same window.
		RescueStuckJobsAfter: rescue,
		JobTimeout:           limit(otherTimeout, rescue),
		// The client's own fetch cooldown stays River's 100 ms: it also bounds how often inserts notify the
		// workers (once per cooldown and queue). At 5 ms an answer was picked up sooner (`bench --only
		// searchable`: searchable_p50_ms 32–60 rather than 110–124), but nearly every turn's transaction
		// then sent a NOTIFY, and PostgreSQL commits notifying transactions one at a time: turn_p95_ms of
		// `bench --only turns --turns 10`, four runs each taking turns on this shared machine, was 42, 50,
		// 208 and 47 with 100 ms, 422, 237, 103 and 39 with 5 ms.
	}
	if work {
		workers := river.NewWorkers()
		if err := river.AddWorkerSafely(workers, &CleanupWorker{store: d.Store, idle: d.SessionIdleTimeout, log: d.Log, rescue: rescue}); err != nil {
			return nil, err
		}
		if d.Capture != nil {
			if err := river.AddWorkerSafely(workers, &CaptureWorker{capture: d.Capture, store: d.Store, rescue: rescue}); err != nil {
				return nil, err
			}
		}
		if d.Attachments != nil {
			if err := river.AddWorkerSafely(workers, &AttachmentWorker{read: d.Attachments, rescue: rescue}); err != nil {
				return nil, err
			}
		}
		if d.Reports != nil {
			if err := river.AddWorkerSafely(workers, &ReportWorker{pool: pool, generate: d.Reports, rescue: rescue}); err != nil {
				return nil, err
			}
		}
		if d.Mail != nil {
			if err := river.AddWorkerSafely(workers, &EmailWorker{store: d.Store, sender: d.Mail, rescue: rescue}); err != nil {
				return nil, err
			}
			if err := river.AddWorkerSafely(workers, &NotifyWorker{notify: d.Notify}); err != nil {
				return nil, err
			}
		}
		if d.Vectors != nil {
			if err := river.AddWorkerSafely(workers, &ReembedWorker{backfill: d.Vectors, model: d.EmbedModel, rescue: rescue}); err != nil {
				return nil, err
			}
		}
		if d.Webhooks != nil {
			if err := d.Webhooks.AddWorkers(workers); err != nil {
				return nil, err
			}
		}
		cfg.Workers = workers
		cfg.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 10},
			QueueCapture: {MaxWorkers: captureWorkers, FetchCooldown: captureFetchCooldown}}
		cfg.PeriodicJobs = []*river.PeriodicJob{
			river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
				func() (river.JobArgs, *river.InsertOpts) { return CleanupArgs{}, nil },
				&river.PeriodicJobOpts{ID: "cleanup", RunOnStart: true}),
		}
		if d.Mail != nil {
			cfg.PeriodicJobs = append(cfg.PeriodicJobs, river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
				func() (river.JobArgs, *river.InsertOpts) { return NotifyArgs{}, nil },
				&river.PeriodicJobOpts{ID: "notify", RunOnStart: true}))
		}
		if d.Vectors != nil {
			// At start, a new model begins re-embedding; afterwards, vectors a capture could not make
			// (the endpoint was down) are filled in.
			cfg.PeriodicJobs = append(cfg.PeriodicJobs, river.NewPeriodicJob(river.PeriodicInterval(10*time.Minute),
				func() (river.JobArgs, *river.InsertOpts) { return ReembedArgs{Model: d.EmbedModel}, nil },
				&river.PeriodicJobOpts{ID: "reembed", RunOnStart: true}))
		}
	}
	if work && d.Webhooks != nil {
		cfg.PeriodicJobs = append(cfg.PeriodicJobs, d.Webhooks.PeriodicJobs()...)
	}
	client, err := river.NewClient(riverpgxv5.New(pool), cfg)
	if err != nil {
		return nil, fmt.Errorf("river client: %w", err)
	}
	return client, nil
}
