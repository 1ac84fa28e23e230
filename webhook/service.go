package webhook

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/exitinterview/exitinterview/store"
	"github.com/exitinterview/exitinterview/validation"
)

// Config holds the webhooks' settings.
type Config struct {
	BaseURL string // the service's public URL, for the links in payloads
	// AllowPrivate lets endpoints be on private, loopback and other internal addresses, over http:// too
	// (EXITINTERVIEW_WEBHOOKS_ALLOW_PRIVATE): for receivers inside the company's network, and tests.
	AllowPrivate bool
	Timeout      time.Duration // one attempt; 0: DefaultTimeout
	// Retry are the waits before each retry of a failed delivery; nil: DefaultRetry. A delivery is tried
	// once more than it has waits.
	Retry []time.Duration
	// DisableAfter is how long an endpoint may fail every attempt before it is disabled; 0:
	// DefaultDisableAfter.
	DisableAfter time.Duration
}

// DefaultRetry spreads a delivery's eight attempts over about 28 hours: at once, then after 5 seconds,
// 5 minutes, 30 minutes, 2, 5, 10 and 10 hours.
var DefaultRetry = []time.Duration{5 * time.Second, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 5 * time.Hour, 10 * time.Hour, 10 * time.Hour}

// DefaultDisableAfter: an endpoint whose every attempt failed for a day is disabled.
const DefaultDisableAfter = 24 * time.Hour

// Inserter inserts River jobs in a transaction (a River client).
type Inserter interface {
	InsertTx(ctx context.Context, tx pgx.Tx, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
}

// Mailer tells an endpoint's owner it was disabled, in tx (package notify's e-mail; nil without SMTP).
type Mailer interface {
	WebhookDisabled(ctx context.Context, tx *store.Store, owner store.User, endpointURL, reason string) error
}

// Readiness returns the dashboard's readiness of a session's accounts, for account.blind (the rule is
// package readiness's; the web package computes it for the dashboard and passes the same function).
type Readiness func(ctx context.Context, iv store.Interview) ([]AccountReadiness, error)

// AccountReadiness is one account's readiness as the dashboard shows it.
type AccountReadiness struct {
	Account     store.Account
	Score       int
	Blind       bool
	Risk        string
	ValueAtRisk float64
	Reasons     []string
}

// Service stores events, sends deliveries and keeps the endpoints.
type Service struct {
	store     *store.Store
	cfg       Config
	client    *http.Client
	jobs      Inserter
	mailer    Mailer
	readiness Readiness
	log       *slog.Logger
}

// New returns the webhook service. SetJobs must be called before events are emitted.
func New(st *store.Store, cfg Config, log *slog.Logger) *Service {
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Retry == nil {
		cfg.Retry = DefaultRetry
	}
	if cfg.DisableAfter <= 0 {
		cfg.DisableAfter = DefaultDisableAfter
	}
	return &Service{store: st, cfg: cfg, client: NewClient(cfg.AllowPrivate, cfg.Timeout), log: log}
}

// SetJobs sets the River client that queues deliveries (it is made after the service).
func (s *Service) SetJobs(j Inserter) { s.jobs = j }

// SetMailer makes a disabled endpoint's owner hear of it by e-mail.
func (s *Service) SetMailer(m Mailer) { s.mailer = m }

// SetReadiness gives the periodic check of account.blind the dashboard's readiness.
func (s *Service) SetReadiness(r Readiness) { s.readiness = r }

// AllowPrivate reports whether endpoints may be on internal addresses.
func (s *Service) AllowPrivate() bool { return s.cfg.AllowPrivate }

// Endpoint is a registered receiver of events.
type Endpoint struct {
	ID             string     `json:"id"`
	OwnerID        string     `json:"owner_id"`
	OwnerName      string     `json:"owner_name"`
	URL            string     `json:"url"`
	Description    string     `json:"description"`
	Events         []string   `json:"events"`
	Status         string     `json:"status"` // active, failing or disabled
	FailingSince   *time.Time `json:"failing_since"`
	DisabledAt     *time.Time `json:"disabled_at"`
	DisabledReason string     `json:"disabled_reason,omitempty"`
	CreatedAt      time.Time  `json:"created_at"`
	secret         string
}

// NewEndpoint is what registering an endpoint takes.
type NewEndpoint struct {
	URL         string   `json:"url"`
	Description string   `json:"description"`
	Events      []string `json:"events"`
}

// ErrNotManager: only managers and admins have endpoints.
var ErrNotManager = errors.New("only managers and admins register webhooks")

// MaxEndpoints bounds one owner's endpoints.
const MaxEndpoints = 20

// Create registers an endpoint for owner and returns it with its signing secret, which is never shown
// again. Bad input is a validation.Errors and stores nothing.
func (s *Service) Create(ctx context.Context, owner store.User, in NewEndpoint) (Endpoint, string, error) {
	if owner.Role != store.RoleManager && owner.Role != store.RoleAdmin {
		return Endpoint{}, "", ErrNotManager
	}
	errs := validation.Errors{}
	in.URL = strings.TrimSpace(in.URL)
	if in.URL == "" {
		errs.Add("url", "is required")
	} else if p := CheckURL(in.URL, s.cfg.AllowPrivate); p != "" {
		errs.Add("url", p)
	}
	in.Description = strings.TrimSpace(in.Description)
	if p := validation.Line(in.Description); p != "" {
		errs.Add("description", p)
	} else if len([]rune(in.Description)) > 200 {
		errs.Add("description", "must be at most 200 characters")
	}
	var events []string
	for _, e := range in.Events {
		e = strings.TrimSpace(e)
		switch {
		case !KnownEvent(e):
			errs.Add("events", fmt.Sprintf("%q is not an event (see the documentation for the list)", e))
		case !slices.Contains(events, e):
			events = append(events, e)
		}
	}
	if len(in.Events) == 0 {
		errs.Add("events", "must name at least one event")
	}
	if err := errs.Err(); err != nil {
		return Endpoint{}, "", err
	}
	secret := NewSecret()
	var id string
	err := s.store.Transact(ctx, func(tx *store.Store) error {
		// One owner's registrations take turns, so the limit holds.
		if _, err := tx.Tx().Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('webhook_endpoints:' || $1, 0))`, owner.ID); err != nil {
			return err
		}
		var n int
		if err := tx.Tx().QueryRow(ctx, `SELECT count(*) FROM webhook_endpoints WHERE owner_id = $1`, owner.ID).Scan(&n); err != nil {
			return err
		}
		if n >= MaxEndpoints {
			return validation.Errors{"url": fmt.Sprintf("cannot be added: you have %d endpoints, the most one person may have", n)}
		}
		return tx.Tx().QueryRow(ctx, `INSERT INTO webhook_endpoints (owner_id, url, description, events, secret)
VALUES ($1, $2, $3, $4, $5) RETURNING id`, owner.ID, in.URL, in.Description, events, secret).Scan(&id)
	})
	if err != nil {
		return Endpoint{}, "", err
	}
	e, err := s.Get(ctx, owner, id)
	return e, secret, err
}

const endpointColumns = `e.id, e.owner_id, u.name, e.url, e.description, e.events, e.failing_since, e.disabled_at, e.disabled_reason, e.created_at, e.secret`

func scanEndpoint(row pgx.Row) (Endpoint, error) {
	var e Endpoint
	err := row.Scan(&e.ID, &e.OwnerID, &e.OwnerName, &e.URL, &e.Description, &e.Events, &e.FailingSince, &e.DisabledAt, &e.DisabledReason,
		&e.CreatedAt, &e.secret)
	switch {
	case e.DisabledAt != nil:
		e.Status = "disabled"
	case e.FailingSince != nil:
		e.Status = "failing"
	default:
		e.Status = "active"
	}
	return e, err
}

// visible is the condition that the caller ($1, with role $2) may see endpoint e: their own, or any for
// an admin.
const visible = `(e.owner_id = $1::uuid OR $2 = 'admin')`

// List returns the endpoints u may manage: their own, every one for an admin; newest first.
func (s *Service) List(ctx context.Context, u store.User) ([]Endpoint, error) {
	rows, err := s.store.Pool().Query(ctx, `SELECT `+endpointColumns+` FROM webhook_endpoints e JOIN users u ON u.id = e.owner_id
WHERE `+visible+` ORDER BY e.created_at DESC, e.id`, u.ID, string(u.Role))
	if err != nil {
		return nil, fmt.Errorf("webhook endpoints: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Endpoint, error) { return scanEndpoint(r) })
}

// Get returns an endpoint u may manage, or store.ErrNotFound (also for someone else's).
func (s *Service) Get(ctx context.Context, u store.User, id string) (Endpoint, error) {
	if !store.ValidUUID(id) {
		return Endpoint{}, store.ErrNotFound
	}
	e, err := scanEndpoint(s.store.Pool().QueryRow(ctx, `SELECT `+endpointColumns+` FROM webhook_endpoints e JOIN users u ON u.id = e.owner_id
WHERE e.id = $3 AND `+visible, u.ID, string(u.Role), id))
	if errors.Is(err, pgx.ErrNoRows) {
		return Endpoint{}, store.ErrNotFound
	}
	return e, err
}

// Delete removes an endpoint u may manage, with its deliveries; store.ErrNotFound when there is none.
func (s *Service) Delete(ctx context.Context, u store.User, id string) (Endpoint, error) {
	e, err := s.Get(ctx, u, id)
	if err != nil {
		return Endpoint{}, err
	}
	if _, err := s.store.Pool().Exec(ctx, `DELETE FROM webhook_endpoints WHERE id = $1`, e.ID); err != nil {
		return Endpoint{}, fmt.Errorf("delete webhook endpoint: %w", err)
	}
	return e, nil
}

// Attempt is one try at a delivery.
type Attempt struct {
	At         time.Time `json:"at"`
	StatusCode int       `json:"status_code"` // 0: no answer (refused, timed out, blocked)
	LatencyMS  int       `json:"latency_ms"`
	Error      string    `json:"error"`
}

// Delivery is one event sent (or to be sent) to one endpoint, with its attempts.
type Delivery struct {
	ID         string     `json:"id"`
	EventID    string     `json:"event_id"`
	EventType  string     `json:"event_type"`
	SessionID  string     `json:"session_id,omitempty"`
	Status     string     `json:"status"` // pending, succeeded, failed
	LastError  string     `json:"last_error"`
	CreatedAt  time.Time  `json:"created_at"`
	FinishedAt *time.Time `json:"finished_at"`
	Attempts   []Attempt  `json:"attempts"`
}

// MaxDeliveriesListed bounds a list of deliveries.
const MaxDeliveriesListed = 100

// Deliveries returns an endpoint's latest deliveries, newest first, with their attempts.
func (s *Service) Deliveries(ctx context.Context, u store.User, endpointID string) ([]Delivery, error) {
	e, err := s.Get(ctx, u, endpointID)
	if err != nil {
		return nil, err
	}
	rows, err := s.store.Pool().Query(ctx, `
SELECT d.id, d.event_id, ev.type, coalesce(d.interview_id::text, ''), d.status, d.last_error, d.created_at, d.finished_at,
       coalesce((SELECT json_agg(json_build_object('at', a.attempted_at, 'status_code', a.status_code, 'latency_ms', a.latency_ms,
                 'error', a.error) ORDER BY a.id) FROM webhook_attempts a WHERE a.delivery_id = d.id), '[]')
FROM webhook_deliveries d JOIN webhook_events ev ON ev.id = d.event_id
WHERE d.endpoint_id = $1 ORDER BY d.seq DESC LIMIT $2`, e.ID, MaxDeliveriesListed)
	if err != nil {
		return nil, fmt.Errorf("webhook deliveries: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Delivery, error) {
		var d Delivery
		err := r.Scan(&d.ID, &d.EventID, &d.EventType, &d.SessionID, &d.Status, &d.LastError, &d.CreatedAt, &d.FinishedAt, &d.Attempts)
		return d, err
	})
}

// ErrEndpointDisabled: a disabled endpoint receives nothing, resent deliveries neither.
var ErrEndpointDisabled = errors.New("the endpoint is disabled")

// Resend queues a delivery's event to its endpoint again, as a new delivery, and returns it.
func (s *Service) Resend(ctx context.Context, u store.User, endpointID, deliveryID string) (Delivery, error) {
	e, err := s.Get(ctx, u, endpointID)
	if err != nil {
		return Delivery{}, err
	}
	if e.DisabledAt != nil {
		return Delivery{}, ErrEndpointDisabled
	}
	if !store.ValidUUID(deliveryID) {
		return Delivery{}, store.ErrNotFound
	}
	var d Delivery
	err = s.store.Transact(ctx, func(tx *store.Store) error {
		err := tx.Tx().QueryRow(ctx, `
INSERT INTO webhook_deliveries (endpoint_id, event_id, interview_id)
SELECT endpoint_id, event_id, interview_id FROM webhook_deliveries WHERE id = $1 AND endpoint_id = $2
RETURNING id, event_id, coalesce(interview_id::text, ''), status, created_at`, deliveryID, e.ID).Scan(&d.ID, &d.EventID, &d.SessionID, &d.Status, &d.CreatedAt)
		if errors.Is(err, pgx.ErrNoRows) {
			return store.ErrNotFound
		}
		if err != nil {
			return err
		}
		if err := tx.Tx().QueryRow(ctx, `SELECT type FROM webhook_events WHERE id = $1`, d.EventID).Scan(&d.EventType); err != nil {
			return err
		}
		if s.jobs == nil {
			return errors.New("webhook deliveries cannot be queued by this process")
		}
		_, err = s.jobs.InsertTx(ctx, tx.Tx(), DeliverArgs{DeliveryID: d.ID}, nil)
		return err
	})
	d.Attempts = []Attempt{}
	return d, err
}
