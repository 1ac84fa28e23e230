package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// DefaultTimeout bounds one delivery attempt: connecting, sending and reading the answer's headers.
const DefaultTimeout = 10 * time.Second

// ErrBlockedAddress is the error of a request to an address webhooks may not reach.
var ErrBlockedAddress = errors.New("the address is private, loopback, link-local, shared (CGNAT), multicast or unspecified")

// blockedPrefixes are the ranges besides those netip names (loopback, private, link-local, multicast,
// unspecified) that no webhook may reach: "this network", shared address space (CGNAT), the IETF protocol
// assignments, benchmarking, reserved, broadcast, and NAT64's well-known prefix (which maps IPv4).
var blockedPrefixes = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("64:ff9b::/96"),
	netip.MustParsePrefix("64:ff9b:1::/48"),
}

// Blocked reports whether a webhook may not be sent to ip unless private addresses are allowed.
func Blocked(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() {
		return true
	}
	for _, p := range blockedPrefixes {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// NewClient returns the HTTP client deliveries go through. Unless allowPrivate, it refuses to connect to
// a blocked address: the check is on the address actually dialled, after DNS resolution, so a name that
// resolves to a private address (or changes to one between registration and delivery) is refused too.
// It follows no redirect (the 3xx is the answer) and uses no proxy from the environment.
func NewClient(allowPrivate bool, timeout time.Duration) *http.Client {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	dialer := &net.Dialer{Timeout: timeout, Control: func(network, address string, _ syscall.RawConn) error {
		if allowPrivate {
			return nil
		}
		host, _, err := net.SplitHostPort(address)
		if err != nil {
			return err
		}
		ip, err := netip.ParseAddr(host)
		if err != nil {
			return fmt.Errorf("dial %s: %w", address, err)
		}
		if Blocked(ip) {
			return fmt.Errorf("dial %s: %w", address, ErrBlockedAddress)
		}
		return nil
	}}
	transport := &http.Transport{
		Proxy:                 nil,
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   timeout,
		ResponseHeaderTimeout: timeout,
		MaxIdleConnsPerHost:   2,
		IdleConnTimeout:       90 * time.Second,
		ForceAttemptHTTP2:     true,
	}
	return &http.Client{Transport: transport, Timeout: timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// CheckURL returns what is wrong with an endpoint's URL, or "": an absolute https:// URL (http:// too when
// private addresses are allowed) with a host, no user name or password, at most 2,000 characters, and not
// an address (or a name like localhost) that deliveries would refuse.
func CheckURL(raw string, allowPrivate bool) string {
	if len(raw) > 2000 {
		return "must be at most 2000 characters"
	}
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Host == "" || u.Opaque != "" {
		return "must be an absolute URL like https://example.com/hooks"
	}
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && allowPrivate:
	case u.Scheme == "http":
		return "must use https://"
	default:
		return "must be an https:// URL"
	}
	if u.User != nil {
		return "must not carry a user name or password"
	}
	if u.Fragment != "" {
		return "must not have a #fragment"
	}
	if allowPrivate {
		return ""
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if ip, err := netip.ParseAddr(host); err == nil && Blocked(ip) {
		return "must not point to a private, loopback, link-local or otherwise internal address"
	}
	if host == "localhost" || strings.HasSuffix(host, ".localhost") || strings.HasSuffix(host, ".local") || strings.HasSuffix(host, ".internal") ||
		!strings.Contains(host, ".") && net.ParseIP(host) == nil {
		return "must name a public host"
	}
	return ""
}

// post sends body to url with headers, and reports the status and how long it took.
func post(ctx context.Context, client *http.Client, target string, headers map[string]string, body []byte) (int, time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return 0, 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "exitinterview-webhooks/1")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	began := time.Now()
	resp, err := client.Do(req)
	took := time.Since(began)
	if err != nil {
		// Without the URL, which may hold a secret (a Slack channel's, a token in a query): the error is
		// stored, shown and logged.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return 0, took, err
	}
	defer resp.Body.Close()
	buf := make([]byte, 4096)
	for n := 0; n < 64<<10; { // read a little of the answer so the connection can be reused; never more
		m, err := resp.Body.Read(buf)
		n += m
		if err != nil {
			break
		}
	}
	switch {
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		return resp.StatusCode, took, fmt.Errorf("HTTP %d: redirects are not followed", resp.StatusCode)
	case resp.StatusCode < 200 || resp.StatusCode >= 300:
		return resp.StatusCode, took, fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	return resp.StatusCode, took, nil
}
