package main

import (
	"context"
	"errors"
	"fmt"
	"net"

	"github.com/exitinterview/exitinterview/config"
	"github.com/exitinterview/exitinterview/web"
)

func runServe(ctx context.Context, env *environment, args []string) error {
	fs := newFlagSet(env, "serve", "serve [--addr HOST:PORT] [--database-url URL] [--base-url URL] [--workers=false]")
	config.Flags(fs, "addr", "database-url", "base-url", "workers")
	cfg, err := loadConfig(env, fs, args)
	if err != nil {
		return err
	}
	log := newLogger(cfg, env.stderr)
	svc, err := openServices(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer svc.Close()

	admin, password, created, err := svc.auth.EnsureFirstAdmin(ctx, cfg.AdminEmail)
	if err != nil {
		return err
	}
	switch {
	case created && !cfg.OIDC.PasswordLogin:
		// The password would not open the browser pages: the admin signs in through the provider.
		fmt.Fprintf(env.stdout, "\n  First admin created: %s. Password login is off, so sign in at %s/login with %s\n"+
			"  as that e-mail, or get an API token with: exitinterview tokens create --email %s\n\n",
			admin.Email, cfg.BaseURL, cfg.OIDC.ProviderName, admin.Email)
	case created:
		// Printed once, on the console only, never logged.
		fmt.Fprintf(env.stdout, "\n  First admin created. Sign in at %s/login with\n    email:    %s\n    password: %s\n  This password is not shown again.\n\n",
			cfg.BaseURL, admin.Email, password)
	}
	if cfg.OIDC.Enabled() {
		log.Info("single sign-on is on", "issuer", cfg.OIDC.Issuer, "client_id", cfg.OIDC.ClientID,
			"redirect_uri", cfg.BaseURL+"/login/sso/callback", "password_login", cfg.OIDC.PasswordLogin)
	}

	river, err := svc.river(ctx, cfg, log, cfg.Workers)
	if err != nil {
		return err
	}
	if cfg.Workers {
		if err := river.Start(ctx); err != nil {
			return fmt.Errorf("start workers: %w", err)
		}
	}

	srv, err := web.New(web.Deps{Config: cfg, Store: svc.store, Auth: svc.auth, Interviews: svc.interviews, Search: svc.search,
		Embedder: svc.embedder, Reports: svc.reports, ReportQueue: svc.queue, AttachmentQueue: svc.queue,
		Notifier: notifier(svc.notify), Breakers: svc.breakers(), Webhooks: svc.webhooks, Log: log})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	log.Info("listening", "addr", ln.Addr().String(), "base_url", cfg.BaseURL, "workers", cfg.Workers)
	fmt.Fprintf(env.stdout, "exitinterview is serving on http://%s (public URL %s)\n", displayAddr(ln.Addr()), cfg.BaseURL)

	serveErr := srv.ListenAndServe(ctx, ln)
	if cfg.Workers {
		stopCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
		defer cancel()
		if err := river.Stop(stopCtx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
			log.Warn("stopping workers", "error", err)
		}
	}
	log.Info("stopped")
	return serveErr
}

// displayAddr turns ":8080" style listeners into something a browser can open.
func displayAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok || tcp.IP.IsUnspecified() {
		if ok {
			return fmt.Sprintf("localhost:%d", tcp.Port)
		}
	}
	return a.String()
}
