// Small enhancements for the manager's pages. Everything works without them.
"use strict";
document.addEventListener("click", async (ev) => {
  const button = ev.target.closest("[data-copy]");
  if (!button) return;
  const input = document.querySelector(button.dataset.copy);
  if (!input) return;
  input.select();
  try {
    await navigator.clipboard.writeText(input.value);
  } catch {
    document.execCommand("copy"); // older browsers and plain-http origins
  }
  const note = button.closest(".card, form, section")?.querySelector("[data-copied]");
  if (note) note.hidden = false;
  button.textContent = "Copied";
});
