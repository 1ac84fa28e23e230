// The review page's cards: what was understood of each account, confirmed or corrected in place as in
// the chat's read-back, saved without leaving the page.
"use strict";
(() => {
  const data = document.getElementById("review-cards");
  const Card = window.exitinterviewCard;
  if (!data || !Card) return;
  const cards = JSON.parse(data.textContent) || {};
  for (const q of Object.values(cards)) {
    const form = document.getElementById(q.id);
    const status = document.getElementById(`${q.id}-status`);
    if (!form) continue;
    const show = (facts) => {
      form.dataset.question = "";
      Card.render(form, { ...q, facts }, `What was understood of ${q.account}`);
    };
    show(q.facts);
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const button = form.querySelector("button[type=submit]");
      button.disabled = true;
      status.className = "small";
      status.textContent = "Saving…";
      try {
        const resp = await fetch("/api/v1/interview/review/facts", {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "application/json" },
          credentials: "same-origin",
          body: JSON.stringify({ account: q.account, ...Card.reply(form) }),
        });
        const body = await resp.json();
        if (!resp.ok) throw new Error(body.error ? Object.values(body.error.fields || {})[0] || body.error.message : "Something went wrong.");
        show(body.facts);
        status.className = "small notice-inline";
        status.textContent = "Saved: your successor and the report now use this.";
      } catch (e) {
        status.className = "small field-error";
        status.textContent = e.message || "Something went wrong.";
        button.disabled = false;
      }
    });
  }
})();
