package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"path"

	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/exitinterview/exitinterview/interview"
	"github.com/exitinterview/exitinterview/money"
	"github.com/exitinterview/exitinterview/plural"
	"github.com/exitinterview/exitinterview/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// pages holds the parsed templates, one set per page (each page plus the layout), and the static assets
// by name with their content hash.
type pages struct {
	templates map[string]*template.Template
	assets    map[string]asset
}

type asset struct {
	hash  string
	body  []byte
	ctype string
}

// pageData is what every page template gets.
type pageData struct {
	Title string
	Bare  bool // a page for the CSM: no login, no navigation
	User  *store.User
	Nav   []navItem
	Error *apiError
	Data  any
}

type navItem struct {
	Label, Href string
	Current     bool
}

func loadPages() (*pages, error) {
	p := &pages{templates: map[string]*template.Template{}, assets: map[string]asset{}}
	err := fs.WalkDir(staticFS, "static", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		rel := strings.TrimPrefix(name, "static/")
		p.assets[rel] = asset{hash: hex.EncodeToString(sum[:])[:12], body: b, ctype: mime.TypeByExtension(path.Ext(name))}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load static assets: %w", err)
	}
	funcs := template.FuncMap{"asset": p.assetURL, "date": formatDate, "money": money.Ptr, "count": plural.Count, "topicLabel": topicLabel, "json": toJSONString, "list": func(v ...string) []string { return v },
		"human": func(s string) string { return strings.ReplaceAll(s, "_", " ") }, "stateMark": stateMark, "attachmentState": attachmentState,
		"fields": fieldsOf, "isoDate": isoDate,
		"list2":         func(a, b any) []any { return []any{a, b} },
		"attachmentURL": attachmentDownloadPath,
		// mailto encodes a mailto: field: spaces as %20, which mail apps show as spaces (+ they show as is).
		"mailto": func(s string) template.URL { return template.URL(strings.ReplaceAll(url.QueryEscape(s), "+", "%20")) }}
	layout, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html")
	if err != nil {
		return nil, fmt.Errorf("parse layout: %w", err)
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		base := path.Base(name)
		if base == "layout.html" {
			continue
		}
		t, err := template.Must(layout.Clone()).ParseFS(templateFS, name)
		if err != nil {
			return nil, fmt.Errorf("parse template %s: %w", base, err)
		}
		p.templates[base] = t
	}
	return p, nil
}

// assetURL names an asset by its content, so it can be cached for ever and changes with every edit.
func (p *pages) assetURL(name string) (string, error) {
	a, ok := p.assets[name]
	if !ok {
		return "", fmt.Errorf("no static asset %q", name)
	}
	return "/static/" + a.hash + "/" + name, nil
}

func (s *Server) serveAsset(c echo.Context) error {
	a, ok := s.pages.assets[c.Param("name")]
	if !ok || a.hash != c.Param("hash") {
		return errNotFound
	}
	c.Response().Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	return c.Blob(http.StatusOK, a.ctype, a.body)
}

// render executes a page into a buffer first, so a template error becomes a clean 500 instead of half a
// page.
func (s *Server) render(c echo.Context, status int, name string, d pageData) error {
	t, ok := s.pages.templates[name]
	if !ok {
		return fmt.Errorf("no template %s", name)
	}
	if u, ok := currentUser(c); ok && d.User == nil && !d.Bare {
		d.User = &u
	}
	if d.User != nil && d.Nav == nil {
		d.Nav = navFor(d.User.Role, c.Request().URL.Path)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", d); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.HTMLBlob(status, buf.Bytes())
}

// navFor lists the pages a role may open.
// renderBlock executes one named block of a page, for a script that updates part of the page.
func (s *Server) renderBlock(c echo.Context, status int, page, block string, data any) error {
	t, ok := s.pages.templates[page]
	if !ok {
		return fmt.Errorf("no template %s", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, block, data); err != nil {
		return fmt.Errorf("render %s of %s: %w", block, page, err)
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.HTMLBlob(status, buf.Bytes())
}

func navFor(role store.Role, current string) []navItem {
	items := []navItem{{Label: "Home", Href: "/"}, {Label: "Search", Href: "/search"}}
	if role == store.RoleAdmin || role == store.RoleManager {
		items = append(items, navItem{Label: "Sessions", Href: "/interviews"}, navItem{Label: "Commitments", Href: "/commitments"},
			navItem{Label: "Webhooks", Href: "/webhooks"})
	}
	if role == store.RoleAdmin {
		items = append(items, navItem{Label: "Users", Href: "/users"})
	}
	items = append(items, navItem{Label: "API tokens", Href: "/tokens"})
	for i := range items {
		items[i].Current = items[i].Href == current
	}
	return items
}

// loginURL is the login page that returns to next afterwards.
func loginURL(next string) string {
	if next == "" || next == "/" {
		return "/login"
	}
	return "/login?next=" + url.QueryEscape(next)
}

// safeNext keeps a post-login redirect on this site: a local absolute path, never "//host" or a URL.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Host != "" || u.Scheme != "" {
		return "/"
	}
	return next
}

func formatDate(v any) string {
	switch t := v.(type) {
	case time.Time:
		return t.Format("2 Jan 2006")
	case *time.Time:
		if t != nil {
			return t.Format("2 Jan 2006")
		}
	}
	return ""
}

// isoDate shows a YYYY-MM-DD string like the rest of the site; anything else as it is.
func isoDate(s string) string {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return formatDate(t)
	}
	return s
}

func topicLabel(key string) string {
	if t, ok := interview.TopicByKey(key); ok {
		return t.Label
	}
	return key
}

// toJSONString embeds data for the page's script in a <script type="application/json"> element;
// html/template escapes it for that context.
func toJSONString(v any) (template.JS, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	return template.JS(b), nil
}

// stateMark is a coverage state at a glance; the state's name is beside it for screen readers.
func stateMark(state string) string {
	switch state {
	case "covered":
		return "✓"
	case "partial":
		return "◐"
	case "skipped":
		return "–"
	default:
		return "·"
	}
}
