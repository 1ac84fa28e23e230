package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"github.com/exitinterview/exitinterview/auth"
	"github.com/exitinterview/exitinterview/config"
	"github.com/exitinterview/exitinterview/embed"
	"github.com/exitinterview/exitinterview/facts"
	"github.com/exitinterview/exitinterview/interview"
	"github.com/exitinterview/exitinterview/jobs"
	"github.com/exitinterview/exitinterview/knowledge"
	"github.com/exitinterview/exitinterview/llm"
	"github.com/exitinterview/exitinterview/mail"
	"github.com/exitinterview/exitinterview/metrics"
	"github.com/exitinterview/exitinterview/notify"
	"github.com/exitinterview/exitinterview/report"
	"github.com/exitinterview/exitinterview/search"
	"github.com/exitinterview/exitinterview/store"
	"github.com/exitinterview/exitinterview/web"
	"github.com/exitinterview/exitinterview/webhook"
)

// newFlagSet returns a flag set for a command that prints its usage, its flags and every environment
// variable on --help.
func newFlagSet(env *environment, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "Usage: exitinterview %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
		fmt.Fprintln(w, "\nEnvironment:")
		for _, line := range config.Describe() {
			fmt.Fprintln(w, "  "+line)
		}
	}
	return fs
}

// loadConfig parses flags and environment; --help prints to stdout and ends the command cleanly.
func loadConfig(env *environment, fs *flag.FlagSet, args []string) (config.Config, error) {
	for _, a := range args {
		if a == "-h" || a == "--help" || a == "-help" {
			fs.SetOutput(env.stdout)
			break
		}
	}
	return config.Load(fs, args, env.getenv)
}

// newLogger logs JSON when stderr is not a terminal (or when asked to), text otherwise.
func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	format := cfg.LogFormat
	if format == "auto" {
		format = "json"
		if f, ok := w.(*os.File); ok {
			if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
				format = "text"
			}
		}
	}
	if format == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// services are what the commands work with.
type services struct {
	pool       *pgxpool.Pool
	store      *store.Store
	auth       *auth.Service
	interviews *interview.Service
	knowledge  *knowledge.Service
	search     *search.Service
	embedder   *embed.Offline // for ask's relevance gate and the benchmarks
	vectors    *knowledge.Vectors
	reports    *report.Service
	queue      *jobs.Queue     // set by river
	mail       mail.Sender     // nil without SMTP
	notify     *notify.Service // nil without SMTP
	model      *llm.Client     // nil without a model; Breaker() and EmbedBreaker() report its circuit breakers
	webhooks   *webhook.Service
}

// breakers are the model's circuit breakers, for the metrics; none without a model.
func (s *services) breakers() map[string]metrics.Breaker {
	if s.model == nil {
		return nil
	}
	return map[string]metrics.Breaker{"chat": s.model.Breaker(), "embeddings": s.model.EmbedBreaker()}
}

// river returns a River client for the services; with work it also runs the background jobs. Answers
// enqueue their capture through it, and the configured embedding model's re-embedding is enqueued at
// once (unique: replicas starting together make one job) rather than when the periodic check first runs.
func (s *services) river(ctx context.Context, cfg config.Config, log *slog.Logger, work bool) (*river.Client[pgx.Tx], error) {
	client, err := jobs.NewClient(s.pool, jobs.Deps{Store: s.store, Log: log, SessionIdleTimeout: cfg.SessionIdleTimeout, RescueAfter: cfg.JobRescueAfter,
		Capture: s.knowledge, Attachments: s.knowledge, Vectors: s.vectors, EmbedModel: s.vectors.Target().Model(), Reports: s.reports,
		Mail: s.mail, Notify: periodic(s.notify), Webhooks: s.webhooks}, work)
	if err != nil {
		return nil, err
	}
	s.queue = jobs.NewQueue(client)
	s.queue.SetRescueAfter(cfg.JobRescueAfter)
	s.interviews.SetCaptureQueue(s.queue)
	s.interviews.SetReportQueue(s.queue)
	s.webhooks.SetJobs(client)
	if s.notify != nil {
		s.notify.SetQueue(s.queue)
		s.interviews.SetNotifier(s.notify)
	}
	if _, err := client.Insert(ctx, jobs.ReembedArgs{Model: s.vectors.Target().Model()}, nil); err != nil {
		return nil, fmt.Errorf("enqueue re-embedding: %w", err)
	}
	return client, nil
}

// openServices migrates the database (a no-op when it is current), opens the pool and builds the
// services on it. Close releases them.
func openServices(ctx context.Context, cfg config.Config, log *slog.Logger) (*services, error) {
	if err := store.Migrate(ctx, cfg.DatabaseURL, log); err != nil {
		return nil, err
	}
	pool, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	st := store.New(pool)
	// Interviews captured before facts were kept get theirs now (once; a no-op afterwards).
	if n, err := facts.Backfill(ctx, st); err != nil {
		pool.Close()
		return nil, fmt.Errorf("derive the facts of earlier interviews: %w", err)
	} else if n > 0 {
		log.Info("facts derived for interviews captured before facts were kept", "interviews", n)
	}
	svc, err := auth.NewService(st, authConfig(cfg))
	if err != nil {
		pool.Close()
		return nil, err
	}
	var client *llm.Client
	if cfg.Model.Enabled() {
		client = llm.New(llm.Config{BaseURL: cfg.Model.BaseURL, APIKey: cfg.Model.APIKey, ChatModel: cfg.Model.ChatModel,
			EmbedModel: cfg.Model.EmbedModel, EmbedDims: cfg.Model.EmbedDims, AzureAPIVersion: cfg.Model.AzureAPIVersion,
			Timeout: cfg.Model.Timeout, BreakerFailures: cfg.Model.BreakerFailures, BreakerCooldown: cfg.Model.BreakerCooldown, Log: log})
	}
	ivs, err := newInterviews(cfg, client, st, log)
	if err != nil {
		pool.Close()
		return nil, err
	}
	offline := embed.NewOffline()
	vectors := newVectors(cfg, client, offline, st, log)
	if err := vectors.Register(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	var extractor knowledge.Extractor = knowledge.Rules{}
	searcher := search.New(st, vectors, log)
	if client != nil {
		if extractor, err = knowledge.NewModelExtractor(client, log); err != nil {
			pool.Close()
			return nil, err
		}
		writer, err := search.NewWriter(client, log)
		if err != nil {
			pool.Close()
			return nil, err
		}
		searcher.SetWriter(writer)
	}
	reports := report.NewService(st, log)
	if client != nil {
		w, err := report.NewWriter(client, log)
		if err != nil {
			pool.Close()
			return nil, err
		}
		reports.SetWriter(w)
	}
	out := &services{pool: pool, store: st, auth: svc, interviews: ivs, embedder: offline, vectors: vectors,
		knowledge: knowledge.New(st, vectors, extractor, log), search: searcher, reports: reports, model: client}
	ivs.SetFactRefresher(out.knowledge) // the read-back shows what was understood of every answer so far
	// Webhooks and Slack: events are emitted where they happen; account.blind uses the dashboard's readiness.
	out.webhooks = webhook.New(st, webhook.Config{BaseURL: cfg.BaseURL, AllowPrivate: cfg.WebhooksAllowPrivate}, log)
	out.webhooks.SetReadiness(web.WebhookReadiness(st, reports))
	ivs.SetEvents(out.webhooks)
	reports.SetEvents(out.webhooks)
	if cfg.SMTPURL != "" {
		sender, err := mail.NewSMTP(cfg.SMTPURL, cfg.MailFrom)
		if err != nil {
			pool.Close()
			return nil, fmt.Errorf("EXITINTERVIEW_SMTP_URL: %w", err)
		}
		out.mail, out.notify = sender, notify.New(st, nil, cfg.BaseURL, log)
		out.notify.SetDigestByEmail(out.webhooks.DigestByEmail)
		out.webhooks.SetMailer(out.notify)
	}
	return out, nil
}

// newVectors embeds with the configured model: the offline embedder, or the endpoint's model. Vectors of
// a previous model stay searchable while the new one's are made, when this process can still embed a
// query with it.
func newVectors(cfg config.Config, client *llm.Client, offline *embed.Offline, st *store.Store, log *slog.Logger) *knowledge.Vectors {
	var target embed.Embedder = offline
	if cfg.Model.EmbedsWithModel() {
		target = embed.NewOpenAI(client, cfg.Model.EmbedDims)
		log.Info("embeddings come from a model", "model", cfg.Model.EmbedModel)
	}
	other := func(m store.EmbeddingModel) embed.Embedder {
		switch {
		case m.Model == offline.Model():
			return offline
		case client != nil && m.Dims > 0:
			return embed.NewOpenAI(client.WithEmbedModel(m.Model, m.RequestedDims), m.Dims)
		}
		return nil
	}
	return knowledge.NewVectors(st, target, other, log)
}

// newInterviews builds the interview service with the offline engine, or the model engine (falling back to
// the offline one) when a model is configured.
func newInterviews(cfg config.Config, client *llm.Client, st *store.Store, log *slog.Logger) (*interview.Service, error) {
	offline, err := interview.NewOffline()
	if err != nil {
		return nil, err
	}
	var engine interview.Engine = offline
	if client != nil {
		if engine, err = interview.NewModel(client, offline, log); err != nil {
			return nil, err
		}
		log.Info("interviewer uses a model", "base_url", cfg.Model.BaseURL, "model", cfg.Model.ChatModel)
	} else {
		log.Info("interviewer uses the offline engine (no model configured)")
	}
	return interview.NewService(st, engine, offline, interview.Config{BaseURL: cfg.BaseURL, InviteGrace: cfg.InviteGrace, KeepSecrets: cfg.KeepSecrets,
		ModelBudget: cfg.Model.TurnBudget}, log), nil
}

// periodic is the notifier's periodic work, or nil (a nil *notify.Service must not become a non-nil
// interface).
func periodic(n *notify.Service) jobs.Periodic {
	if n == nil {
		return nil
	}
	return n
}

// notifier is n as the web package takes it, or nil.
func notifier(n *notify.Service) web.Notifier {
	if n == nil {
		return nil
	}
	return n
}

// Close releases the database pool.
func (s *services) Close() { s.pool.Close() }

func authConfig(cfg config.Config) auth.Config {
	return auth.Config{
		SessionLifetime:    cfg.SessionLifetime,
		SessionIdleTimeout: cfg.SessionIdleTimeout,
		LoginWindow:        cfg.LoginWindow,
		MaxFailuresEmail:   cfg.LoginMaxFailures,
		MaxFailuresIP:      cfg.LoginMaxFailuresIP,
		Hash:               auth.DefaultHashParams,
		HashSlots:          cfg.LoginConcurrency,
		TokenTTL:           cfg.TokenTTL,
	}
}

// readPassword reads one line from r (the --password-stdin convention), without its line ending.
func readPassword(r io.Reader) (string, error) {
	b, err := io.ReadAll(io.LimitReader(r, 4096))
	if err != nil {
		return "", fmt.Errorf("read password from stdin: %w", err)
	}
	p := strings.TrimRight(strings.SplitN(string(b), "\n", 2)[0], "\r")
	if p == "" {
		return "", fmt.Errorf("no password on stdin")
	}
	return p, nil
}
