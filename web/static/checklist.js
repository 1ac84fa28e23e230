// The report page's handover checklist: each tick, owner and due date is saved as soon as it changes,
// each row says whether it is saved, and the last change can be undone. Without this script the whole
// form is saved with one button.
"use strict";
(() => {
  const form = document.getElementById("checklist-form");
  if (!form) return;
  const interview = form.dataset.interview;
  const undoBar = form.querySelector("[data-undo-bar]");
  const undoText = form.querySelector("[data-undo-text]");
  const undoButton = form.querySelector("[data-undo]");
  form.querySelector("[data-save-all]").hidden = true;
  form.querySelector("[data-save-hint]").textContent = "Each change is saved as you make it.";

  // What the server holds for each row, as the page's fields show it.
  const valuesOf = (row) => ({
    done: row.querySelector('input[type="checkbox"]').checked,
    // An empty owner field shows the owner as its placeholder ("successor" until someone is named).
    owner_email: row.querySelector('input[type="email"]').value.trim() || row.querySelector('input[type="email"]').placeholder,
    due_date: row.querySelector('input[type="date"]').value,
  });
  const saved = new Map();
  const rows = form.querySelectorAll("li[data-item]");
  for (const row of rows) saved.set(row.dataset.item, valuesOf(row));
  const undo = []; // the changes saved, the last one last: {row, field, before, after, label}

  const title = (row) => row.querySelector(".check span").textContent.trim();
  const fieldOf = (input) => (input.type === "checkbox" ? "done" : input.type === "email" ? "owner_email" : "due_date");
  const show = (row, field, value) => {
    const input = row.querySelector(field === "done" ? 'input[type="checkbox"]' : field === "owner_email" ? 'input[type="email"]' : 'input[type="date"]');
    if (field === "done") input.checked = value;
    else if (field === "owner_email") {
      input.placeholder = value;
      input.value = value === "successor" || value === "manager" ? "" : value;
    } else input.value = value;
  };
  const say = (row, text, failed) => {
    const state = row.querySelector("[data-state]");
    state.replaceChildren(text);
    state.classList.toggle("field-error", !!failed);
    state.classList.toggle("saved", !failed && text === "Saved");
    return state;
  };

  // send saves one field of a row; it resolves true when the server has it.
  const send = async (row, field, value) => {
    const id = row.dataset.item;
    say(row, "Saving…");
    try {
      const resp = await fetch(`/api/v1/interviews/${encodeURIComponent(interview)}/checklist/${encodeURIComponent(id)}`, {
        method: "PATCH",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        credentials: "same-origin",
        body: JSON.stringify({ [field]: value }),
      });
      const body = await resp.json().catch(() => ({}));
      if (!resp.ok) {
        const err = body.error || {};
        throw new Error(Object.values(err.fields || {})[0] ? `${field.replace("_", " ")} ${Object.values(err.fields)[0]}` : err.message || "the server refused it");
      }
      saved.get(id)[field] = value;
      if (field === "owner_email") show(row, field, value);
      row.classList.toggle("done", saved.get(id).done);
      say(row, "Saved");
      return true;
    } catch (e) {
      const state = say(row, `Not saved — ${e.message === "Failed to fetch" ? "no connection" : e.message}. `, true);
      const retry = document.createElement("button");
      retry.type = "button";
      retry.className = "link";
      retry.textContent = "Retry";
      retry.addEventListener("click", () => change(row, field, value));
      state.append(retry);
      return false;
    }
  };

  const change = async (row, field, value) => {
    const before = saved.get(row.dataset.item)[field];
    if (value === before) return say(row, "Saved");
    if (await send(row, field, value)) {
      const what = field === "done" ? (value ? "Ticked" : "Unticked") : field === "owner_email" ? "Owner changed for" : "Due date changed for";
      undo.push({ row, field, before, after: value, label: `${what} “${title(row)}”.` });
      showUndo();
    }
  };

  const showUndo = () => {
    const last = undo[undo.length - 1];
    undoBar.hidden = !last;
    if (last) undoText.textContent = last.label;
  };

  form.addEventListener("change", (ev) => {
    const row = ev.target.closest("li[data-item]");
    if (!row || !ev.target.matches("input")) return;
    const field = fieldOf(ev.target);
    change(row, field, valuesOf(row)[field]);
  });
  // Enter in a field saves that field rather than the whole form.
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const row = document.activeElement && document.activeElement.closest("li[data-item]");
    if (row && document.activeElement.matches("input")) {
      const field = fieldOf(document.activeElement);
      change(row, field, valuesOf(row)[field]);
    }
  });
  undoButton.addEventListener("click", async () => {
    const last = undo.pop();
    if (!last) return;
    show(last.row, last.field, last.before);
    if (await send(last.row, last.field, last.before)) {
      say(last.row, "Saved");
      undoText.textContent = "";
      showUndo();
    } else {
      show(last.row, last.field, last.after);
      undo.push(last);
    }
    last.row.querySelector("input").focus();
  });
})();
