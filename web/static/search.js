// Instant results on the search page: as the successor types or changes a filter, the results are
// fetched as server-rendered HTML (escaped by the server's templates) and replace the list. Without
// this script the form works as an ordinary GET.
"use strict";
(() => {
  const form = document.querySelector("form[data-instant]");
  const results = document.getElementById("results");
  if (!form || !results) return;
  let timer = 0;
  let latest = 0;

  async function refresh() {
    const params = new URLSearchParams(new FormData(form));
    if ((params.get("q") || "").trim().length < 2) return;
    const url = form.action + "?" + params.toString();
    const seq = ++latest;
    results.setAttribute("aria-busy", "true");
    try {
      const resp = await fetch(url + "&fragment=results", { credentials: "same-origin", headers: { Accept: "text/html" } });
      if (seq !== latest) return; // a newer query is on its way
      if (resp.redirected || resp.status === 401 || resp.status === 403) {
        window.location.href = url; // signed out meanwhile: let the page handle it
        return;
      }
      results.innerHTML = await resp.text();
      history.replaceState(null, "", url);
    } catch {
      // Offline or the server restarted: the Search button still works.
    } finally {
      if (seq === latest) results.setAttribute("aria-busy", "false");
    }
  }

  form.addEventListener("input", (ev) => {
    clearTimeout(timer);
    timer = setTimeout(refresh, ev.target.matches("select") ? 0 : 250);
  });
})();
