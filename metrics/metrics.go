// Package metrics declares every Prometheus metric exitinterview exposes at GET /metrics, on its own
// registry (not the client library's global one), with small functions the other packages call. The
// README's Metrics section lists the same names.
package metrics

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

const namespace = "exitinterview"

// registry holds the metrics the process records as it goes; the job queue's are read at scrape time.
var registry = prometheus.NewRegistry()

var (
	requestDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: namespace, Name: "http_request_duration_seconds",
		Help:    "Time to answer an HTTP request, by route pattern (not the path, which may hold secrets), method and status code.",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
	}, []string{"route", "method", "code"})

	turnDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: namespace, Name: "turn_duration_seconds",
		Help:    "Time of a CSM's turn, from their answer to the interviewer's next words, by the engine that wrote them (model, offline, asked).",
		Buckets: []float64{.05, .1, .25, .5, 1, 2, 4, 8, 15, 30, 60},
	}, []string{"engine"})

	captureLag = prometheus.NewHistogram(prometheus.HistogramOpts{
		Namespace: namespace, Name: "capture_lag_seconds",
		Help:    "Time from a CSM's answer being stored to its first capture being searchable.",
		Buckets: []float64{.25, .5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600},
	})

	loginsRefused = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Name: "logins_refused_total",
		Help: "Sign-ins refused, by reason: bad_credentials (checked and wrong), email_limit and address_limit (too many recent attempts, not checked), busy (no password-checking slot free, not checked).",
	}, []string{"reason"})
)

func init() {
	registry.MustRegister(requestDuration, turnDuration, captureLag, loginsRefused,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	// Every family shows from the start, so a dashboard and an alert find it before the first event.
	for _, engine := range []string{"model", "offline", "asked"} {
		turnDuration.WithLabelValues(engine)
	}
	for _, reason := range []string{"bad_credentials", "email_limit", "address_limit", "busy"} {
		loginsRefused.WithLabelValues(reason)
	}
}

// ObserveRequest records one HTTP request; route is the pattern it matched ("" when none did).
func ObserveRequest(route, method string, code int, d time.Duration) {
	if route == "" {
		route = "unmatched"
	}
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions:
	default:
		method = "other" // a client's invented method must not make a new series
	}
	requestDuration.WithLabelValues(route, method, strconv.Itoa(code)).Observe(d.Seconds())
}

// ObserveTurn records a CSM's turn answered by engine.
func ObserveTurn(engine string, d time.Duration) {
	if engine == "" {
		engine = "none"
	}
	turnDuration.WithLabelValues(engine).Observe(d.Seconds())
}

// CaptureDone records the lag of an answer's first capture.
func CaptureDone(lag time.Duration) { captureLag.Observe(lag.Seconds()) }

// LoginRefused counts a refused sign-in.
func LoginRefused(reason string) { loginsRefused.WithLabelValues(reason).Inc() }

// Breaker is what the metrics read of a model endpoint's circuit breaker, at each scrape.
type Breaker interface {
	State() string            // closed, half-open or open
	Calls() map[string]uint64 // requests since start by outcome: ok, failed, skipped
}

// Handler serves the metrics in Prometheus' text format, with the background-job queue of pool and the
// model's circuit breakers (by what they guard: "chat", "embeddings"; none without a model) read at
// each scrape. A queue that cannot be read leaves its metrics out of that scrape, not the others.
func Handler(pool *pgxpool.Pool, breakers map[string]Breaker, log *slog.Logger) http.Handler {
	scraped := prometheus.NewRegistry()
	scraped.MustRegister(&queueCollector{pool: pool, log: log}, breakerCollector(breakers))
	return promhttp.HandlerFor(prometheus.Gatherers{registry, scraped}, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
}

var (
	breakerStateDesc = prometheus.NewDesc(namespace+"_model_breaker_state",
		"State of the model endpoint's circuit breaker, by what it guards (chat, embeddings): 0 closed (requests go through), 1 half-open (one trial request), 2 open (requests are not sent).",
		[]string{"requests"}, nil)
	modelCallsDesc = prometheus.NewDesc(namespace+"_model_calls_total",
		"Requests to the model endpoint since start, by what they were for (chat, embeddings) and outcome: ok, failed (timed out, broke off, 429, 5xx, output not JSON), skipped (not sent: the breaker was open).",
		[]string{"requests", "outcome"}, nil)
)

// breakerCollector reads the breakers at scrape time.
type breakerCollector map[string]Breaker

func (b breakerCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- breakerStateDesc
	ch <- modelCallsDesc
}

func (b breakerCollector) Collect(ch chan<- prometheus.Metric) {
	for name, br := range b {
		state := 0.0
		switch br.State() {
		case "half-open":
			state = 1
		case "open":
			state = 2
		}
		ch <- prometheus.MustNewConstMetric(breakerStateDesc, prometheus.GaugeValue, state, name)
		calls := br.Calls()
		for _, outcome := range []string{"ok", "failed", "skipped"} {
			ch <- prometheus.MustNewConstMetric(modelCallsDesc, prometheus.CounterValue, float64(calls[outcome]), name, outcome)
		}
	}
}

var (
	jobsWaitingDesc = prometheus.NewDesc(namespace+"_jobs_waiting", "Background jobs waiting to run (available, scheduled, retryable or pending), by kind.",
		[]string{"kind"}, nil)
	jobsRunningDesc = prometheus.NewDesc(namespace+"_jobs_running", "Background jobs running (or left running by a worker that died, until they are rescued), by kind.",
		[]string{"kind"}, nil)
	jobsOldestDesc = prometheus.NewDesc(namespace+"_jobs_oldest_age_seconds", "Age of the oldest background job not yet finished (waiting or running), by kind; 0 when there is none.",
		[]string{"kind"}, nil)
)

// kinds are the jobs exitinterview runs, reported even when there are none of them.
var kinds = []string{"capture", "report", "reembed", "email", "notify", "cleanup"}

// queueCollector reads River's job table at scrape time: one grouped query over the unfinished jobs.
type queueCollector struct {
	pool *pgxpool.Pool
	log  *slog.Logger
}

func (q *queueCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- jobsWaitingDesc
	ch <- jobsRunningDesc
	ch <- jobsOldestDesc
}

func (q *queueCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	type row struct {
		waiting, running float64
		oldest           float64
	}
	byKind := map[string]*row{}
	for _, k := range kinds {
		byKind[k] = &row{}
	}
	rows, err := q.pool.Query(ctx, `SELECT kind, count(*) FILTER (WHERE state <> 'running'), count(*) FILTER (WHERE state = 'running'),
    coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8
FROM river_job WHERE state IN ('available', 'scheduled', 'retryable', 'pending', 'running') GROUP BY kind`)
	if err == nil {
		for rows.Next() {
			var kind string
			var r row
			if err = rows.Scan(&kind, &r.waiting, &r.running, &r.oldest); err != nil {
				break
			}
			byKind[kind] = &r
		}
		rows.Close()
		if err == nil {
			err = rows.Err()
		}
	}
	if err != nil {
		q.log.Warn("metrics: the job queue could not be read", "err", err)
		ch <- prometheus.NewInvalidMetric(jobsWaitingDesc, err)
		return
	}
	for kind, r := range byKind {
		ch <- prometheus.MustNewConstMetric(jobsWaitingDesc, prometheus.GaugeValue, r.waiting, kind)
		ch <- prometheus.MustNewConstMetric(jobsRunningDesc, prometheus.GaugeValue, r.running, kind)
		ch <- prometheus.MustNewConstMetric(jobsOldestDesc, prometheus.GaugeValue, r.oldest, kind)
	}
}
