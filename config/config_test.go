package config

import (
	"flag"
	"os"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestDefaultsEnvAndFlags(t *testing.T) {
	t.Parallel()
	cfg, err := Load(nil, nil, env(map[string]string{"DATABASE_URL": "postgres://db"}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != ":8080" || !cfg.Workers || cfg.RequestTimeout != 30*time.Second || cfg.LoginMaxFailures != 5 || cfg.SecureCookies() {
		t.Fatalf("defaults: %+v", cfg)
	}

	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	Flags(fs, "addr", "database-url", "workers")
	cfg, err = Load(fs, []string{"--addr", "127.0.0.1:9000", "--workers=false"}, env(map[string]string{
		"DATABASE_URL": "postgres://db", "EXITINTERVIEW_ADDR": ":7000", "EXITINTERVIEW_BASE_URL": "https://kt.example.com/",
		"EXITINTERVIEW_TRUSTED_PROXIES": "10.0.0.0/8, 192.168.1.0/24", "EXITINTERVIEW_SESSION_IDLE_TIMEOUT": "30m",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != "127.0.0.1:9000" {
		t.Errorf("flag does not win over env: %s", cfg.Addr)
	}
	if cfg.Workers || cfg.BaseURL != "https://kt.example.com" || !cfg.SecureCookies() || len(cfg.TrustedProxies) != 2 || cfg.SessionIdleTimeout != 30*time.Minute {
		t.Errorf("parsed: %+v", cfg)
	}
}

func TestInvalidValuesNameTheSetting(t *testing.T) {
	t.Parallel()
	for name, e := range map[string]map[string]string{
		"DATABASE_URL":                     {},
		"EXITINTERVIEW_BASE_URL":           {"EXITINTERVIEW_BASE_URL": "kt.example.com"},
		"EXITINTERVIEW_REQUEST_TIMEOUT":    {"EXITINTERVIEW_REQUEST_TIMEOUT": "soon"},
		"EXITINTERVIEW_LOGIN_MAX_FAILURES": {"EXITINTERVIEW_LOGIN_MAX_FAILURES": "0"},
		"EXITINTERVIEW_TRUSTED_PROXIES":    {"EXITINTERVIEW_TRUSTED_PROXIES": "10.0.0.1"},
		"EXITINTERVIEW_LOG_FORMAT":         {"EXITINTERVIEW_LOG_FORMAT": "xml"},
		"EXITINTERVIEW_WORKERS":            {"EXITINTERVIEW_WORKERS": "maybe"},
		"EXITINTERVIEW_MAX_BODY_BYTES":     {"EXITINTERVIEW_MAX_BODY_BYTES": "12"},
	} {
		if name != "DATABASE_URL" {
			e["DATABASE_URL"] = "postgres://db"
		}
		_, err := Load(nil, nil, env(e))
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: error %v does not name it", name, err)
		}
	}
}

// TestOIDCSettings: single sign-on's settings are read, and each wrong one refused at start with an
// error naming it.
func TestOIDCSettings(t *testing.T) {
	t.Parallel()
	base := map[string]string{"DATABASE_URL": "postgres://db"}
	cfg, err := Load(nil, nil, env(base))
	if err != nil || cfg.OIDC.Enabled() || !cfg.OIDC.PasswordLogin || cfg.OIDC.GroupsClaim != "groups" || cfg.OIDC.CreateUsers || cfg.OIDC.CreateRole != "successor" {
		t.Fatalf("defaults: %+v %v", cfg.OIDC, err)
	}
	on := func(more map[string]string) map[string]string {
		m := map[string]string{"DATABASE_URL": "postgres://db", "EXITINTERVIEW_OIDC_ISSUER": "https://login.example.com/realms/acme",
			"EXITINTERVIEW_OIDC_CLIENT_ID": "exitinterview"}
		for k, v := range more {
			m[k] = v
		}
		return m
	}
	cfg, err = Load(nil, nil, env(on(map[string]string{
		"EXITINTERVIEW_OIDC_ALLOWED_DOMAINS": "Example.com, @corp.example.com", "EXITINTERVIEW_OIDC_MANAGER_GROUPS": "cs-leads, cs-managers",
		"EXITINTERVIEW_OIDC_PASSWORD_LOGIN": "false", "EXITINTERVIEW_OIDC_EXTRA_SCOPES": "groups",
	})))
	if err != nil {
		t.Fatal(err)
	}
	o := cfg.OIDC
	if !o.Enabled() || !o.MapsGroups() || o.PasswordLogin || strings.Join(o.AllowedDomains, " ") != "example.com corp.example.com" ||
		strings.Join(o.ManagerGroups, " ") != "cs-leads cs-managers" || o.ProviderName != "SSO" || strings.Join(o.ExtraScopes, " ") != "groups" {
		t.Fatalf("parsed: %+v", o)
	}
	for _, loop := range []string{"http://localhost:9000", "http://127.0.0.1:9000/realms/x", "http://[::1]:9000"} {
		if _, err := Load(nil, nil, env(on(map[string]string{"EXITINTERVIEW_OIDC_ISSUER": loop}))); err != nil {
			t.Errorf("a provider on this machine, %s: %v", loop, err)
		}
	}
	for name, e := range map[string]map[string]string{
		"EXITINTERVIEW_OIDC_ISSUER":          on(map[string]string{"EXITINTERVIEW_OIDC_ISSUER": "http://login.example.com"}),
		"EXITINTERVIEW_OIDC_ISSUER ":         on(map[string]string{"EXITINTERVIEW_OIDC_ISSUER": "login.example.com"}),
		"EXITINTERVIEW_OIDC_CLIENT_ID":       on(map[string]string{"EXITINTERVIEW_OIDC_CLIENT_ID": ""}),
		"EXITINTERVIEW_OIDC_ALLOWED_DOMAINS": on(map[string]string{"EXITINTERVIEW_OIDC_ALLOWED_DOMAINS": "example.com, not a domain"}),
		"EXITINTERVIEW_OIDC_CREATE_ROLE":     on(map[string]string{"EXITINTERVIEW_OIDC_CREATE_ROLE": "owner"}),
		"EXITINTERVIEW_OIDC_PASSWORD_LOGIN":  {"DATABASE_URL": "postgres://db", "EXITINTERVIEW_OIDC_PASSWORD_LOGIN": "false"},
		"EXITINTERVIEW_OIDC_ADMIN_GROUPS":    {"DATABASE_URL": "postgres://db", "EXITINTERVIEW_OIDC_ADMIN_GROUPS": "admins"},
		"EXITINTERVIEW_OIDC_CLIENT_ID  ":     {"DATABASE_URL": "postgres://db", "EXITINTERVIEW_OIDC_CLIENT_ID": "exitinterview"},
	} {
		_, err := Load(nil, nil, env(e))
		if err == nil || !strings.Contains(err.Error(), strings.TrimSpace(name)) {
			t.Errorf("%s: error %v does not name it", name, err)
		}
	}
}

// TestReadmeDocumentsEverySetting keeps the operator's configuration table (docs/operations.md) in step
// with options.
func TestReadmeDocumentsEverySetting(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../docs/operations.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range options {
		row := "| `" + o.env + "` |"
		if !strings.Contains(string(readme), row) {
			t.Errorf("docs/operations.md has no row for %s", o.env)
		}
		if o.def != "" && !strings.Contains(string(readme), row+" `"+o.def+"` |") {
			t.Errorf("docs/operations.md does not give %s's default %q", o.env, o.def)
		}
	}
}
