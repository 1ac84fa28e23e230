// Package web is exitinterview's HTTP layer: routes, pages, the JSON API and its error shape. It is the
// only package that knows Echo; it turns requests into calls on the domain packages and their results
// into responses.
package web

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/exitinterview/exitinterview/auth"
	"github.com/exitinterview/exitinterview/config"
	"github.com/exitinterview/exitinterview/interview"
	"github.com/exitinterview/exitinterview/mcpserver"
	"github.com/exitinterview/exitinterview/metrics"
	"github.com/exitinterview/exitinterview/report"
	"github.com/exitinterview/exitinterview/search"
	"github.com/exitinterview/exitinterview/sso"
	"github.com/exitinterview/exitinterview/store"
	"github.com/exitinterview/exitinterview/webhook"
)

// Deps are what the server needs.
type Deps struct {
	Config     config.Config
	Store      *store.Store
	Auth       *auth.Service
	Interviews *interview.Service
	Search     *search.Service
	Embedder   search.Scorer // scores passages for ask's "not captured" gate
	Reports    *report.Service
	// ReportQueue enqueues report generation; nil: this server cannot request reports.
	ReportQueue ReportQueue
	// AttachmentQueue enqueues the reading of attached files; nil: files cannot be attached (a 503).
	AttachmentQueue AttachmentQueue
	// Notifier queues e-mails (successors hearing of their accounts, the CSM's reminders); nil when SMTP
	// is not configured.
	Notifier Notifier
	// Webhooks keeps the webhook endpoints and the Slack channels, and is told of handovers.
	Webhooks *webhook.Service
	// Breakers are the model's circuit breakers by what they guard, for GET /metrics; nil without a model.
	Breakers map[string]metrics.Breaker
	Log      *slog.Logger
}

// Notifier queues the e-mails the server's requests cause: package interview's, and the reminder a
// manager sends a CSM by hand.
type Notifier interface {
	interview.Notifier
	// Remind queues a reminder to the CSM to continue their interview, in tx; lastAnswer is nil when they
	// have not answered yet, at is when the reminder was asked for (one e-mail per request).
	Remind(ctx context.Context, tx *store.Store, iv store.Interview, managerName string, lastAnswer *time.Time, at time.Time) error
}

// Server serves the pages and the API.
type Server struct {
	cfg             config.Config
	store           *store.Store
	auth            *auth.Service
	ivs             *interview.Service
	search          *search.Service
	scorer          search.Scorer
	reports         *report.Service
	reportQueue     ReportQueue
	attachmentQueue AttachmentQueue
	notifier        Notifier
	webhooks        *webhook.Service
	breakers        map[string]metrics.Breaker
	sso             *sso.Service // nil without single sign-on
	log             *slog.Logger
	pages           *pages
	echo            *echo.Echo
	mcp             *mcpserver.Server // the MCP endpoint's server (mcp.go)
}

// New builds the server. Templates and assets are parsed here, so a broken one fails the start, not a
// request.
func New(d Deps) (*Server, error) {
	p, err := loadPages()
	if err != nil {
		return nil, err
	}
	if d.Webhooks == nil { // a server that queues no deliveries: the pages work, events go nowhere
		d.Webhooks = webhook.New(d.Store, webhook.Config{BaseURL: d.Config.BaseURL, AllowPrivate: d.Config.WebhooksAllowPrivate}, d.Log)
	}
	s := &Server{cfg: d.Config, store: d.Store, auth: d.Auth, ivs: d.Interviews, search: d.Search, scorer: d.Embedder, log: d.Log, pages: p,
		reports: d.Reports, reportQueue: d.ReportQueue, attachmentQueue: d.AttachmentQueue, notifier: d.Notifier, breakers: d.Breakers, webhooks: d.Webhooks}
	if d.Config.OIDC.Enabled() {
		s.sso = sso.New(d.Config.OIDC, d.Config.BaseURL, d.Store, d.Auth, d.Log)
	}
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = s.handleError
	e.IPExtractor = ipExtractor(d.Config)
	s.echo = e
	s.mcp = mcpserver.New(mcpBackend{s}, mcpserver.Options{BaseURL: d.Config.BaseURL, Log: d.Log})
	s.routes()
	return s, nil
}

// Handler returns the http.Handler of every route.
func (s *Server) Handler() http.Handler { return s.echo }

// ListenAndServe serves on addr until ctx ends, then shuts down gracefully: requests in flight get
// ShutdownTimeout to finish.
func (s *Server) ListenAndServe(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.echo,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		// No WriteTimeout: it would cut server-sent event streams; ordinary requests are bounded by the
		// request-timeout middleware instead.
		IdleTimeout: 120 * time.Second,
		ErrorLog:    slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	return nil
}

// ipExtractor believes X-Forwarded-For only from the configured proxies; with none, the peer address is
// the client (Echo would otherwise trust any private address, and a client could rotate the header to
// escape rate limits).
func ipExtractor(cfg config.Config) echo.IPExtractor {
	if len(cfg.TrustedProxies) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, p := range cfg.TrustedProxies {
		_, n, err := net.ParseCIDR(p.String())
		if err == nil {
			opts = append(opts, echo.TrustIPRange(n))
		}
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}
