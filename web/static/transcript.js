// The live transcript on a session's transcript page: every few seconds, while the page is in view, the
// entries said since the last one shown are fetched as server-rendered HTML (escaped by the server's
// templates) and appended. Without this script a reload shows them.
"use strict";
(() => {
  const list = document.getElementById("transcript-entries");
  if (!list) return;
  const empty = document.getElementById("transcript-empty");
  const every = 4000;
  let busy = false;

  async function refresh() {
    if (busy || document.hidden) return;
    busy = true;
    try {
      const url = list.dataset.src + "?fragment=entries&after=" + encodeURIComponent(list.dataset.last);
      const resp = await fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } });
      if (!resp.ok || resp.redirected) return; // signed out or gone: a reload says why
      const last = resp.headers.get("X-Transcript-Last");
      const html = (await resp.text()).trim();
      if (html !== "") {
        list.insertAdjacentHTML("beforeend", html);
        if (empty) empty.hidden = true;
      }
      if (last) list.dataset.last = last;
    } catch {
      // Offline or the server restarted: try again on the next tick.
    } finally {
      busy = false;
    }
  }
  setInterval(refresh, every);
  document.addEventListener("visibilitychange", refresh);
})();
