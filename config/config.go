// Package config reads exitinterview's settings from environment variables, with command-line flags for
// the common ones. Every setting is declared once, in options, with its default and help text; the
// README's configuration table lists the same names (a test keeps them in step).
package config

import (
	"flag"
	"fmt"
	"log/slog"
	"net/mail"
	"net/netip"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Config is the typed, validated configuration.
type Config struct {
	Addr            string
	DatabaseURL     string
	BaseURL         string
	LogFormat       string // auto, json or text
	LogLevel        slog.Level
	Workers         bool
	JobRescueAfter  time.Duration // a job running this long is taken to be lost with its worker and run again
	MetricsToken    string        // "" : no /metrics; a secret, never logged
	RequestTimeout  time.Duration
	ShutdownTimeout time.Duration
	MaxBodyBytes    int64
	// AttachmentMaxBytes is the largest file a CSM may attach; AttachmentsMax how many one interview holds.
	AttachmentMaxBytes int64
	AttachmentsMax     int
	SessionLifetime    time.Duration
	SessionIdleTimeout time.Duration
	LoginWindow        time.Duration
	LoginMaxFailures   int
	LoginMaxFailuresIP int
	LoginConcurrency   int           // passwords checked at once; 0: one per CPU
	TokenTTL           time.Duration // lifetime of a new API token when none is asked for
	QuestionsPerDay    int           // questions one person may send one departing CSM in 24 hours
	TrustedProxies     []netip.Prefix
	AdminEmail         string
	InviteGrace        time.Duration
	KeepSecrets        bool
	Model              ModelConfig
	SMTPURL            string // "" sends no e-mail
	// WebhooksAllowPrivate lets webhook endpoints and Slack URLs be on private, loopback and other internal
	// addresses, over http:// too.
	WebhooksAllowPrivate bool
	MailFrom             string
	OIDC                 OIDCConfig
}

// OIDCConfig is single sign-on with an OpenID Connect provider; it is on when Issuer is set.
type OIDCConfig struct {
	Issuer          string
	ClientID        string
	ClientSecret    string // a secret: never logged
	ProviderName    string // shown as "Sign in with <ProviderName>"
	ExtraScopes     []string
	AllowedDomains  []string // lower case; empty: any
	GroupsClaim     string
	AdminGroups     []string
	ManagerGroups   []string
	SuccessorGroups []string
	CreateUsers     bool   // unknown users are created on their first sign-in
	CreateRole      string // their role when no group mapping is configured
	PasswordLogin   bool   // false: only single sign-on in the browser
}

// Enabled reports whether single sign-on is configured.
func (o OIDCConfig) Enabled() bool { return o.Issuer != "" }

// MapsGroups reports whether roles follow the provider's groups.
func (o OIDCConfig) MapsGroups() bool {
	return len(o.AdminGroups)+len(o.ManagerGroups)+len(o.SuccessorGroups) > 0
}

// ModelConfig switches on an OpenAI-compatible model. With neither a base URL nor an API key the offline
// engine runs, which is the default.
type ModelConfig struct {
	BaseURL         string
	APIKey          string // a secret: never logged
	ChatModel       string
	EmbedModel      string // OfflineEmbedder or a model of the endpoint
	EmbedDims       int    // 0: the model's own length
	AzureAPIVersion string
	Timeout         time.Duration
	TurnBudget      time.Duration // the model's share of an interview turn, retries included
	BreakerFailures int           // consecutive failed requests that open the circuit breaker
	BreakerCooldown time.Duration // how long an open breaker skips the model before one trial request
}

// embedModelName is what the store accepts as a model name: it is written into index predicates.
var embedModelName = regexp.MustCompile(`^[A-Za-z0-9._:/-]{1,100}$`)

// OfflineEmbedder is EXITINTERVIEW_EMBED_MODEL's value for the built-in embedder.
const OfflineEmbedder = "offline"

// EmbedsWithModel reports whether vectors come from the endpoint rather than the built-in embedder.
func (m ModelConfig) EmbedsWithModel() bool {
	return m.Enabled() && m.EmbedModel != "" && m.EmbedModel != OfflineEmbedder
}

// Enabled reports whether a model is configured.
func (m ModelConfig) Enabled() bool { return m.BaseURL != "" || m.APIKey != "" }

// SecureCookies reports whether the service is reached over TLS, so cookies get the Secure flag and
// responses an HSTS header.
func (c Config) SecureCookies() bool { return strings.HasPrefix(c.BaseURL, "https://") }

type option struct {
	env   string
	flag  string // empty: environment only
	def   string
	help  string
	apply func(c *Config, v string) error
}

var options = []option{
	{"EXITINTERVIEW_ADDR", "addr", ":8080", "address the HTTP server listens on", func(c *Config, v string) error {
		c.Addr = v
		return nil
	}},
	{"DATABASE_URL", "database-url", "", "PostgreSQL (with pgvector) connection URL; `make run` sets it to the local cluster", func(c *Config, v string) error {
		if v == "" {
			return fmt.Errorf("is required (`make db` prints one for the local cluster)")
		}
		c.DatabaseURL = v
		return nil
	}},
	{"EXITINTERVIEW_BASE_URL", "base-url", "http://localhost:8080", "public URL of the service, used in invite links; https:// makes cookies Secure and turns on HSTS", func(c *Config, v string) error {
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("must be an http:// or https:// URL")
		}
		c.BaseURL = strings.TrimRight(v, "/")
		return nil
	}},
	{"EXITINTERVIEW_WORKERS", "workers", "true", "run background workers inside `serve` (false: run `exitinterview worker` separately)", boolOpt(func(c *Config) *bool { return &c.Workers })},
	{"EXITINTERVIEW_JOB_RESCUE_AFTER", "", "5m", "a background job still running after this long is taken to be lost with its worker (killed, crashed) and is run again; every job's own time limit is at most this", durationOpt(func(c *Config) *time.Duration { return &c.JobRescueAfter })},
	{"EXITINTERVIEW_METRICS_TOKEN", "", "", "bearer token that GET /metrics (Prometheus) requires; empty: /metrics does not exist; never logged", func(c *Config, v string) error {
		if v != "" && len(v) < 16 {
			return fmt.Errorf("must be at least 16 characters")
		}
		c.MetricsToken = v
		return nil
	}},
	{"EXITINTERVIEW_LOG_FORMAT", "", "auto", "log format: json, text, or auto (text on a terminal, JSON otherwise)", func(c *Config, v string) error {
		if v != "auto" && v != "json" && v != "text" {
			return fmt.Errorf("must be auto, json or text")
		}
		c.LogFormat = v
		return nil
	}},
	{"EXITINTERVIEW_LOG_LEVEL", "", "info", "log level: debug, info, warn or error", func(c *Config, v string) error {
		return c.LogLevel.UnmarshalText([]byte(v))
	}},
	{"EXITINTERVIEW_REQUEST_TIMEOUT", "", "30s", "time limit for one ordinary HTTP request (streams are not cut)", durationOpt(func(c *Config) *time.Duration { return &c.RequestTimeout })},
	{"EXITINTERVIEW_SHUTDOWN_TIMEOUT", "", "20s", "how long a stopping server waits for requests and jobs in flight", durationOpt(func(c *Config) *time.Duration { return &c.ShutdownTimeout })},
	{"EXITINTERVIEW_MAX_BODY_BYTES", "", "1048576", "largest request body accepted, in bytes", func(c *Config, v string) error {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1024 {
			return fmt.Errorf("must be a whole number of bytes, at least 1024")
		}
		c.MaxBodyBytes = n
		return nil
	}},
	{"EXITINTERVIEW_ATTACHMENT_MAX_BYTES", "", "26214400", "largest file a departing CSM may attach, in bytes (25 MiB); larger ones get a 413", func(c *Config, v string) error {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1024 || n > 1<<30 {
			return fmt.Errorf("must be a whole number of bytes, from 1024 to 1073741824")
		}
		c.AttachmentMaxBytes = n
		return nil
	}},
	{"EXITINTERVIEW_ATTACHMENTS_MAX", "", "50", "files one interview may hold; one more gets a 413", func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return fmt.Errorf("must be a whole number, at least 1")
		}
		c.AttachmentsMax = n
		return nil
	}},
	{"EXITINTERVIEW_SESSION_LIFETIME", "", "168h", "absolute lifetime of a browser login", durationOpt(func(c *Config) *time.Duration { return &c.SessionLifetime })},
	{"EXITINTERVIEW_SESSION_IDLE_TIMEOUT", "", "12h", "a browser login unused this long ends", durationOpt(func(c *Config) *time.Duration { return &c.SessionIdleTimeout })},
	{"EXITINTERVIEW_LOGIN_WINDOW", "", "15m", "window over which failed logins are counted", durationOpt(func(c *Config) *time.Duration { return &c.LoginWindow })},
	{"EXITINTERVIEW_LOGIN_MAX_FAILURES", "", "5", "failed logins per email within the window before further attempts are refused", intOpt(func(c *Config) *int { return &c.LoginMaxFailures })},
	{"EXITINTERVIEW_LOGIN_MAX_FAILURES_PER_IP", "", "30", "failed logins per client address within the window before further attempts are refused", intOpt(func(c *Config) *int { return &c.LoginMaxFailuresIP })},
	{"EXITINTERVIEW_LOGIN_CONCURRENCY", "", "0", "passwords checked at once (each takes 19 MiB); a login finding none free within 100 ms gets a 429. 0: one per CPU", func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return fmt.Errorf("must be a whole number, 0 for one per CPU")
		}
		c.LoginConcurrency = n
		return nil
	}},
	{"EXITINTERVIEW_TOKEN_TTL", "", "2160h", "lifetime of a new API token when its creator names none", durationOpt(func(c *Config) *time.Duration { return &c.TokenTTL })},
	{"EXITINTERVIEW_QUESTIONS_PER_DAY", "", "20", "questions one manager or successor may send one departing CSM within 24 hours; more get a 429", intOpt(func(c *Config) *int { return &c.QuestionsPerDay })},
	{"EXITINTERVIEW_TRUSTED_PROXIES", "", "", "comma-separated CIDRs of reverse proxies whose X-Forwarded-For is believed; empty: the peer address is the client", func(c *Config, v string) error {
		c.TrustedProxies = nil
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s == "" {
				continue
			}
			p, err := netip.ParsePrefix(s)
			if err != nil {
				return fmt.Errorf("%q is not a CIDR (like 10.0.0.0/8)", s)
			}
			c.TrustedProxies = append(c.TrustedProxies, p)
		}
		return nil
	}},
	{"EXITINTERVIEW_ADMIN_EMAIL", "", "admin@localhost", "email of the admin created on first start against an empty database", func(c *Config, v string) error {
		if !strings.Contains(v, "@") {
			return fmt.Errorf("must be an email address")
		}
		c.AdminEmail = strings.ToLower(strings.TrimSpace(v))
		return nil
	}},
	{"EXITINTERVIEW_INVITE_GRACE", "", "168h", "invite links keep working this long after the departure date", durationOpt(func(c *Config) *time.Duration { return &c.InviteGrace })},
	{"EXITINTERVIEW_KEEP_SECRETS", "", "false", "keep credentials in the stored answer (they are redacted from chunks, findings, search, models and reports either way)", boolOpt(func(c *Config) *bool { return &c.KeepSecrets })},
	{"EXITINTERVIEW_SMTP_URL", "", "", "SMTP server for e-mail notifications, smtp://user:password@host:587 (STARTTLS when offered) or smtps://…:465; empty: no e-mail is sent; never logged", func(c *Config, v string) error {
		if v != "" {
			if u, err := url.Parse(v); err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
				return fmt.Errorf("must be smtp://[user:password@]host[:port] or smtps://…")
			}
		}
		c.SMTPURL = v
		return nil
	}},
	{"EXITINTERVIEW_WEBHOOKS_ALLOW_PRIVATE", "", "false", "let webhook endpoints and Slack URLs be on private, loopback, link-local, CGNAT and other internal addresses, and use http:// (for receivers inside your network); false: only public https:// addresses are reached, checked when connecting", boolOpt(func(c *Config) *bool { return &c.WebhooksAllowPrivate })},
	{"EXITINTERVIEW_MAIL_FROM", "", "exitinterview <noreply@localhost>", "sender of e-mail notifications", func(c *Config, v string) error {
		if _, err := mail.ParseAddress(v); err != nil {
			return fmt.Errorf("must be an e-mail address like \"exitinterview <noreply@example.com>\"")
		}
		c.MailFrom = v
		return nil
	}},
	{"OPENAI_BASE_URL", "", "", "OpenAI-compatible endpoint (OpenAI, Azure OpenAI, Ollama, vLLM, LM Studio…), e.g. http://localhost:11434/v1; empty with no API key: the offline engine", func(c *Config, v string) error {
		if v != "" {
			if u, err := url.Parse(v); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return fmt.Errorf("must be an http:// or https:// URL")
			}
		}
		c.Model.BaseURL = strings.TrimRight(v, "/")
		return nil
	}},
	{"OPENAI_API_KEY", "", "", "API key of the endpoint (a key alone means https://api.openai.com/v1); never logged", func(c *Config, v string) error {
		c.Model.APIKey = v
		if v != "" && c.Model.BaseURL == "" {
			c.Model.BaseURL = "https://api.openai.com/v1"
		}
		return nil
	}},
	{"EXITINTERVIEW_CHAT_MODEL", "", "gpt-4o-mini", "chat model (the deployment name on Azure) for the interviewer", func(c *Config, v string) error {
		c.Model.ChatModel = v
		return nil
	}},
	{"EXITINTERVIEW_EMBED_MODEL", "", OfflineEmbedder, "embeddings: `offline` (built in, no network) or a model of the endpoint such as text-embedding-3-small; a change re-embeds everything in the background while search keeps the old vectors", func(c *Config, v string) error {
		if v != OfflineEmbedder {
			if c.Model.BaseURL == "" {
				return fmt.Errorf("names a model of an endpoint, but neither OPENAI_BASE_URL nor OPENAI_API_KEY is set")
			}
			if !embedModelName.MatchString(v) {
				return fmt.Errorf("must be `offline` or a model name of letters, digits and ._:/-")
			}
		}
		c.Model.EmbedModel = v
		return nil
	}},
	{"EXITINTERVIEW_EMBED_DIMS", "", "0", "length of the endpoint's vectors (text-embedding-3 models can shorten theirs); 0: the model's own length", func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 4000 {
			return fmt.Errorf("must be a whole number from 0 to 4000")
		}
		c.Model.EmbedDims = n
		return nil
	}},
	{"EXITINTERVIEW_AZURE_API_VERSION", "", "", "set for Azure OpenAI (e.g. 2024-10-21); OPENAI_BASE_URL is then the resource URL", func(c *Config, v string) error {
		c.Model.AzureAPIVersion = v
		return nil
	}},
	{"EXITINTERVIEW_MODEL_TIMEOUT", "", "60s", "time limit of one model request (retried with backoff, then the offline engine answers)", durationOpt(func(c *Config) *time.Duration { return &c.Model.Timeout })},
	{"EXITINTERVIEW_MODEL_TURN_BUDGET", "", "20s", "how long one interview turn may wait on the model, retries included; the offline engine asks the next question within it", durationOpt(func(c *Config) *time.Duration { return &c.Model.TurnBudget })},
	{"EXITINTERVIEW_MODEL_BREAKER_FAILURES", "", "3", "consecutive failed model requests after which the model is skipped for the cool-down (circuit breaker, per process)", intOpt(func(c *Config) *int { return &c.Model.BreakerFailures })},
	{"EXITINTERVIEW_MODEL_BREAKER_COOLDOWN", "", "30s", "how long the model is skipped once the breaker opens, before one trial request", durationOpt(func(c *Config) *time.Duration { return &c.Model.BreakerCooldown })},
	{"EXITINTERVIEW_OIDC_ISSUER", "", "", "issuer URL of the OpenID Connect provider for single sign-on (https://, or http:// on a loopback address); empty: no single sign-on", func(c *Config, v string) error {
		c.OIDC.Issuer = ""
		if v == "" {
			return nil
		}
		u, err := url.Parse(v)
		if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			return fmt.Errorf("must be the provider's issuer URL, like https://login.example.com/realms/acme (no query or fragment)")
		}
		if u.Scheme == "http" && !loopbackHost(u.Hostname()) {
			return fmt.Errorf("must be https:// (http:// only for a provider on this machine: localhost, 127.0.0.1 or ::1)")
		}
		c.OIDC.Issuer = v // exactly as the provider writes it in its tokens' iss claim
		return nil
	}},
	{"EXITINTERVIEW_OIDC_CLIENT_ID", "", "", "client id of exitinterview registered at the provider; required with EXITINTERVIEW_OIDC_ISSUER", func(c *Config, v string) error {
		v = strings.TrimSpace(v)
		if c.OIDC.Issuer != "" && v == "" {
			return fmt.Errorf("is required when EXITINTERVIEW_OIDC_ISSUER is set")
		}
		if c.OIDC.Issuer == "" && v != "" {
			return fmt.Errorf("is set but EXITINTERVIEW_OIDC_ISSUER is not: set both to turn single sign-on on")
		}
		c.OIDC.ClientID = v
		return nil
	}},
	{"EXITINTERVIEW_OIDC_CLIENT_SECRET", "", "", "client secret of that client (empty for a public client, which PKCE protects); never logged", func(c *Config, v string) error {
		c.OIDC.ClientSecret = v
		return nil
	}},
	{"EXITINTERVIEW_OIDC_PROVIDER_NAME", "", "SSO", "the provider's name on the login page's button: Sign in with <name>", func(c *Config, v string) error {
		v = strings.TrimSpace(v)
		if v == "" || len(v) > 60 {
			return fmt.Errorf("must be a name of 1 to 60 characters, like Okta or Google")
		}
		c.OIDC.ProviderName = v
		return nil
	}},
	{"EXITINTERVIEW_OIDC_EXTRA_SCOPES", "", "", "comma-separated scopes asked for besides openid, email and profile (e.g. groups, which Okta needs for the groups claim)", func(c *Config, v string) error {
		c.OIDC.ExtraScopes = nil
		for _, s := range splitList(v) {
			if strings.ContainsAny(s, " \"\\") {
				return fmt.Errorf("%q is not a scope", s)
			}
			c.OIDC.ExtraScopes = append(c.OIDC.ExtraScopes, s)
		}
		return nil
	}},
	{"EXITINTERVIEW_OIDC_ALLOWED_DOMAINS", "", "", "comma-separated e-mail domains allowed to sign in through the provider (example.com); empty: any", func(c *Config, v string) error {
		c.OIDC.AllowedDomains = nil
		for _, d := range splitList(v) {
			d = strings.ToLower(strings.TrimPrefix(d, "@"))
			if !domainName.MatchString(d) {
				return fmt.Errorf("%q is not a domain name like example.com", d)
			}
			c.OIDC.AllowedDomains = append(c.OIDC.AllowedDomains, d)
		}
		return nil
	}},
	{"EXITINTERVIEW_OIDC_GROUPS_CLAIM", "", "groups", "the claim of the ID token (or userinfo) that lists the user's groups", func(c *Config, v string) error {
		v = strings.TrimSpace(v)
		if v == "" {
			return fmt.Errorf("must name a claim")
		}
		c.OIDC.GroupsClaim = v
		return nil
	}},
	{"EXITINTERVIEW_OIDC_ADMIN_GROUPS", "", "", "comma-separated groups whose members are admins; with any group mapping set, the role follows the groups at every sign-in and a user in none is refused", listOpt(func(c *Config) *[]string { return &c.OIDC.AdminGroups })},
	{"EXITINTERVIEW_OIDC_MANAGER_GROUPS", "", "", "comma-separated groups whose members are managers", listOpt(func(c *Config) *[]string { return &c.OIDC.ManagerGroups })},
	{"EXITINTERVIEW_OIDC_SUCCESSOR_GROUPS", "", "", "comma-separated groups whose members are successors", listOpt(func(c *Config) *[]string { return &c.OIDC.SuccessorGroups })},
	{"EXITINTERVIEW_OIDC_CREATE_USERS", "", "false", "create a user on their first sign-in through the provider when no user has their e-mail (false: they are refused)", boolOpt(func(c *Config) *bool { return &c.OIDC.CreateUsers })},
	{"EXITINTERVIEW_OIDC_CREATE_ROLE", "", "successor", "role of a user created on first sign-in when no group mapping is set: admin, manager or successor", func(c *Config, v string) error {
		if v != "admin" && v != "manager" && v != "successor" {
			return fmt.Errorf("must be admin, manager or successor")
		}
		c.OIDC.CreateRole = v
		return nil
	}},
	{"EXITINTERVIEW_OIDC_PASSWORD_LOGIN", "", "true", "allow signing in with e-mail and password; false: the browser signs in only through the provider (API tokens keep working)", func(c *Config, v string) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("must be true or false")
		}
		if !b && c.OIDC.Issuer == "" {
			return fmt.Errorf("can be false only with single sign-on (EXITINTERVIEW_OIDC_ISSUER), or nobody could sign in")
		}
		c.OIDC.PasswordLogin = b
		return nil
	}},
}

// Load builds a Config from getenv, then from the flags in args that fs knows (each command registers the
// flags it takes with Flags). A missing value takes its default; a bad one is an error naming the setting.
func Load(fs *flag.FlagSet, args []string, getenv func(string) string) (Config, error) {
	values := map[string]string{}
	for _, o := range options {
		values[o.env] = o.def
		if v, ok := lookup(getenv, o.env); ok {
			values[o.env] = v
		}
	}
	if fs != nil {
		byFlag := map[string]string{}
		for _, o := range options {
			if o.flag != "" {
				byFlag[o.flag] = o.env
			}
		}
		if err := fs.Parse(args); err != nil {
			return Config{}, err
		}
		fs.Visit(func(f *flag.Flag) {
			if env, ok := byFlag[f.Name]; ok {
				values[env] = f.Value.String()
			}
		})
	}
	var c Config
	for _, o := range options {
		if err := o.apply(&c, values[o.env]); err != nil {
			name := o.env
			if o.flag != "" {
				name += " (--" + o.flag + ")"
			}
			return Config{}, fmt.Errorf("%s %w", name, err)
		}
	}
	if err := checkOIDC(c.OIDC, values); err != nil {
		return Config{}, err
	}
	return c, nil
}

// checkOIDC refuses single sign-on settings without the issuer that turns single sign-on on: a typo in
// the issuer's name must not leave a server that silently ignores them.
func checkOIDC(o OIDCConfig, values map[string]string) error {
	if o.Enabled() {
		return nil
	}
	for _, opt := range options {
		if strings.HasPrefix(opt.env, "EXITINTERVIEW_OIDC_") && values[opt.env] != opt.def {
			return fmt.Errorf("%s is set but EXITINTERVIEW_OIDC_ISSUER is not: set the issuer to turn single sign-on on", opt.env)
		}
	}
	return nil
}

// Flags registers on fs the flags named, with their help and defaults, for Load to read.
func Flags(fs *flag.FlagSet, names ...string) {
	for _, name := range names {
		for _, o := range options {
			if o.flag != name {
				continue
			}
			help := fmt.Sprintf("%s (env %s)", o.help, o.env)
			if o.def == "true" || o.def == "false" {
				fs.Bool(o.flag, o.def == "true", help)
			} else {
				fs.String(o.flag, o.def, help)
			}
		}
	}
}

// Describe returns every setting as "NAME (default): help" lines, sorted, for --help output.
func Describe() []string {
	lines := make([]string, 0, len(options))
	for _, o := range options {
		def := o.def
		if def == "" {
			def = "none"
		}
		lines = append(lines, fmt.Sprintf("%s (default %s): %s", o.env, def, o.help))
	}
	sort.Strings(lines)
	return lines
}

// EnvNames lists every environment variable read.
func EnvNames() []string {
	names := make([]string, len(options))
	for i, o := range options {
		names[i] = o.env
	}
	return names
}

// domainName is what EXITINTERVIEW_OIDC_ALLOWED_DOMAINS accepts.
var domainName = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$`)

// loopbackHost reports whether host names this machine.
func loopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

// splitList splits a comma-separated value, trimming each item and leaving out empty ones.
func splitList(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func listOpt(field func(*Config) *[]string) func(*Config, string) error {
	return func(c *Config, v string) error {
		*field(c) = splitList(v)
		return nil
	}
}

func lookup(getenv func(string) string, name string) (string, bool) {
	v := getenv(name)
	return v, v != ""
}

func durationOpt(field func(*Config) *time.Duration) func(*Config, string) error {
	return func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return fmt.Errorf("must be a positive duration like 30s or 12h")
		}
		*field(c) = d
		return nil
	}
}

func intOpt(field func(*Config) *int) func(*Config, string) error {
	return func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return fmt.Errorf("must be a whole number of at least 1")
		}
		*field(c) = n
		return nil
	}
}

func boolOpt(field func(*Config) *bool) func(*Config, string) error {
	return func(c *Config, v string) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("must be true or false")
		}
		*field(c) = b
		return nil
	}
}
