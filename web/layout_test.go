package web

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// layoutWidths are the widths every main page is looked at: a laptop and a phone.
var layoutWidths = []int64{1280, 390}

// checkLayout looks at the page ctx shows as a user would, at each of layoutWidths: the page must not
// scroll sideways (nor, at the laptop width, any box inside it), no word may be broken across two
// lines, and axe-core must find no accessibility violation. Each problem is an error naming what is
// wrong and where; screenshots are saved as name when EXITINTERVIEW_SCREENSHOTS names a folder.
func checkLayout(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	for _, w := range layoutWidths {
		must(t, chromedp.Do(ctx, chromedp.EmulateViewport(w, 900)))
		if wide := run(t, ctx, chromedp.Evaluate[[]string](overflowJS)); len(wide) > 0 {
			t.Errorf("%s at %d px scrolls sideways: %s", name, w, strings.Join(wide, "; "))
		}
		if w >= 1000 {
			if inner := run(t, ctx, chromedp.Evaluate[[]string](innerScrollJS)); len(inner) > 0 {
				t.Errorf("%s at %d px has boxes that scroll sideways: %s", name, w, strings.Join(inner, "; "))
			}
		}
		if broken := run(t, ctx, chromedp.Evaluate[[]string](brokenWordsJS)); len(broken) > 0 {
			t.Errorf("%s at %d px breaks words across lines: %s", name, w, strings.Join(broken, "; "))
		}
		if violations := axeViolations(t, ctx); len(violations) > 0 {
			t.Errorf("%s at %d px: axe finds %d accessibility violations:\n  %s", name, w, len(violations), strings.Join(violations, "\n  "))
		}
	}
	screenshots(t, ctx, name, "")
	must(t, chromedp.Do(ctx, chromedp.EmulateViewport(1200, 900)))
}

// axeSource finds axe-core, which scripts/testdeps.sh fetches into .local. Without it the check is
// skipped, unless the run requires the browser tools (as `make test` does).
func axeSource(t *testing.T) string {
	t.Helper()
	path := os.Getenv("EXITINTERVIEW_AXE")
	if path == "" {
		found, _ := filepath.Glob("../.local/axe-core-*/axe.min.js")
		slices.Sort(found)
		if len(found) > 0 {
			path = found[len(found)-1]
		}
	}
	if path == "" {
		if os.Getenv("EXITINTERVIEW_REQUIRE_BROWSER") != "" {
			t.Fatal("axe-core is not there (scripts/testdeps.sh fetches it)")
		}
		t.Skip("axe-core is not there; `make test` fetches it")
	}
	src, err := os.ReadFile(path)
	must(t, err)
	return string(src)
}

// axeViolations runs axe-core in the page and returns each violation as "rule: what it asks — where".
func axeViolations(t *testing.T, ctx context.Context) []string {
	t.Helper()
	if !run(t, ctx, chromedp.Evaluate[bool](`typeof window.axe === "object"`)) {
		run(t, ctx, chromedp.Evaluate[bool](axeSource(t)+";true"))
	}
	return run(t, ctx, chromedp.Evaluate[[]string](`axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations.map(v =>
  v.id + ": " + v.help + " — " + v.nodes.slice(0, 4).map(n => n.target.join(" ") + (n.failureSummary ? " (" + n.failureSummary.replace(/\s+/g, " ").slice(0, 160) + ")" : "")).join(", ")))`,
		chromedp.EvalAwaitPromise))
}

// overflowJS names the elements that reach past the right edge of the viewport when the page is wider
// than it: the innermost ones, which are what pushes it out.
const overflowJS = `(() => {
  const vw = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= vw + 1) return [];
  const wide = [...document.querySelectorAll("body *")].filter(el => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.right > vw + 1;
  });
  const leaves = wide.filter(el => !wide.some(o => o !== el && el.contains(o)));
  const describe = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.classList.length ? "." + [...el.classList].join(".") : "");
  const out = leaves.slice(0, 8).map(el => describe(el) + " (" + JSON.stringify((el.textContent || "").trim().slice(0, 30)) + ") reaches " +
    Math.round(el.getBoundingClientRect().right) + " px");
  return out.length ? out : ["the page is " + document.documentElement.scrollWidth + " px wide"];
})()`

// innerScrollJS names the visible boxes whose content is wider than they are, so that they scroll
// sideways (a table in a scrolling wrapper hides its last columns).
const innerScrollJS = `(() => {
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    const cs = getComputedStyle(el);
    if (!["auto", "scroll"].includes(cs.overflowX) || el.clientWidth === 0) continue;
    if (el.scrollWidth > el.clientWidth + 1) {
      out.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.classList.length ? "." + [...el.classList].join(".") : "") +
        " is " + el.scrollWidth + " px wide in " + el.clientWidth);
    }
  }
  return out;
})()`

// brokenWordsJS names the words of the visible text that are split across two lines (a narrow column
// breaking "Status" into "Statu" and "s"). Words with a hyphen or a slash may break there, and very
// long ones (a URL, an e-mail address, a token) must be allowed to.
const brokenWordsJS = `(() => {
  const out = [];
  const range = document.createRange();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n && out.length < 12; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest("script, style, noscript, textarea, select, [hidden]")) continue;
    const re = /\S+/g;
    for (let m = re.exec(n.textContent); m; m = re.exec(n.textContent)) {
      const word = m[0];
      if (word.length < 2 || word.length > 30 || /[-\/@–—]/.test(word)) continue;
      range.setStart(n, m.index);
      range.setEnd(n, m.index + word.length);
      const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.bottom)));
      if (lines.size > 1) {
        out.push(JSON.stringify(word) + " in " + el.tagName.toLowerCase() + (el.classList.length ? "." + [...el.classList].join(".") : ""));
      }
    }
  }
  return out;
})()`
