// The read-back card, shared by the chat and the review page: what the interviewer understood of an
// account, each fact a row of fields the CSM can change in place. Sending it confirms every fact left as
// it was and corrects the rest; a risk level the rules were unsure of is asked as a choice. Everything
// from the server is inserted as text or form values, never as HTML.
"use strict";
window.exitinterviewCard = (() => {
  const LEVELS = ["low", "medium", "high", "critical"];
  const RELATIONSHIPS = ["champion", "sponsor", "decision_maker", "admin", "procurement", "user", "other"];
  const STATUSES = [["left", "has left"], ["on_leave", "on leave"], ["new", "new"]]; // blank: active
  const CARD = {
    risk: { title: "Churn risk", fields: [["level", "Level", LEVELS.map((l) => [l, l])], ["driver", "Why"]] },
    renewal: { title: "Renewal", fields: [["date", "Date", "date"], ["probability", "Likelihood (0 to 1)", "number"], ["decider", "Who decides"]] },
    person: { title: "People", add: "Add a person", fields: [["name", "Name"], ["role", "Role"],
      ["relationship", "Relationship", RELATIONSHIPS.map((r) => [r, r.replace("_", " ")])], ["status", "Status", STATUSES],
      ["do_not_contact", "Do not contact", "check"]] },
    commitment: { title: "Commitments", add: "Add a commitment", fields: [["what", "What"], ["to_whom", "To whom"], ["due_date", "Due", "date"]] },
    open_issue: { title: "Open issues", add: "Add an open issue", fields: [["what", "What"], ["status", "Status"]] },
  };
  let cardSeq = 0;

  function field(row, [name, label, kind], value) {
    const id = `rb-${++cardSeq}`;
    const wrap = document.createElement("div");
    wrap.className = "rb-field";
    const lab = document.createElement("label");
    lab.htmlFor = id;
    lab.textContent = label;
    let input;
    if (Array.isArray(kind)) {
      input = document.createElement("select");
      const blank = new Option(name === "status" ? "active" : name === "level" ? "not sure" : "—", "");
      input.add(blank);
      for (const [v, l] of kind) input.add(new Option(l, v));
      input.value = value || "";
    } else if (kind === "check") {
      input = document.createElement("input");
      input.type = "checkbox";
      input.checked = value === "yes";
      wrap.classList.add("rb-check");
    } else {
      input = document.createElement("input");
      input.type = kind === "date" ? "date" : kind === "number" ? "number" : "text";
      if (kind === "number") Object.assign(input, { min: 0, max: 1, step: 0.05 });
      input.value = value || "";
    }
    input.id = id;
    input.dataset.field = name;
    input.dataset.original = kind === "check" ? (value === "yes" ? "yes" : "no") : (value || "");
    if (kind === "check") wrap.append(input, lab); else wrap.append(lab, input);
    row.append(wrap);
  }

  function factRow(type, fact) {
    const row = document.createElement("div");
    row.className = "rb-row";
    row.dataset.type = type;
    if (fact) {
      row.dataset.fact = fact.id;
      if (fact.state === "confirmed" || fact.state === "corrected") row.classList.add("rb-decided");
    }
    for (const f of CARD[type].fields) field(row, f, fact ? fact.fields[f[0]] : "");
    if (fact && type !== "risk" && type !== "renewal") {
      const wrap = document.createElement("div");
      wrap.className = "rb-field rb-check rb-withdraw";
      const box = document.createElement("input");
      box.type = "checkbox";
      box.id = `rb-${++cardSeq}`;
      box.dataset.withdraw = "1";
      const lab = document.createElement("label");
      lab.htmlFor = box.id;
      lab.textContent = "Not right";
      wrap.append(box, lab);
      row.append(wrap);
    }
    return row;
  }

  // render fills the form card with the facts of q ({id, account, facts, choices}); title overrides the
  // heading. Nothing is rendered again for the same q.id while the card is shown.
  function render(card, q, title) {
    if (card.dataset.question === q.id && !card.hidden) return;
    card.dataset.question = q.id;
    card.replaceChildren();
    const h = document.createElement("h2");
    h.id = `${card.id}-title`;
    h.textContent = title || `What I understood of ${q.account || "the portfolio"}`;
    const help = document.createElement("p");
    help.className = "muted small";
    help.textContent = "Change anything that is wrong, tick “Not right” for what does not belong, then confirm. Leave blank what you are not sure of.";
    card.append(h, help);
    const facts = q.facts || [];
    if (q.choices && q.choices.length) {
      const fs = document.createElement("fieldset");
      fs.className = "rb-choices";
      const lg = document.createElement("legend");
      lg.textContent = "How high is the churn risk?";
      fs.append(lg);
      for (const c of q.choices) {
        const id = `rb-${++cardSeq}`;
        const lab = document.createElement("label");
        lab.htmlFor = id;
        const radio = document.createElement("input");
        Object.assign(radio, { type: "radio", name: "rb-choice", value: c.value, id, required: true });
        lab.append(radio, " " + c.label);
        fs.append(lab);
      }
      card.append(fs);
    }
    for (const [type, spec] of Object.entries(CARD)) {
      const mine = facts.filter((f) => f.type === type);
      if (type === "risk" && q.choices && q.choices.length) continue; // asked as a choice above
      const sec = document.createElement("section");
      sec.className = "rb-section";
      const h3 = document.createElement("h3");
      h3.textContent = spec.title;
      sec.append(h3);
      const rows = document.createElement("div");
      rows.className = "rb-rows";
      for (const f of mine) rows.append(factRow(type, f));
      if (!mine.length && (type === "risk" || type === "renewal")) rows.append(factRow(type, null));
      if (!mine.length && spec.add) {
        const none = document.createElement("p");
        none.className = "muted small";
        none.textContent = "Nothing understood yet.";
        rows.append(none);
      }
      sec.append(rows);
      if (spec.add) {
        const add = document.createElement("button");
        add.type = "button";
        add.className = "link";
        add.textContent = spec.add;
        add.addEventListener("click", () => {
          const row = factRow(type, null);
          rows.append(row);
          row.querySelector("input, select").focus();
        });
        sec.append(add);
      }
      card.append(sec);
    }
    const actions = document.createElement("div");
    actions.className = "composer-actions";
    const ok = document.createElement("button");
    ok.type = "submit";
    ok.className = "primary";
    ok.id = `${card.id}-confirm`;
    ok.textContent = "Confirm";
    actions.append(ok);
    card.append(actions);
    const relabel = () => { ok.textContent = corrections(card).length ? "Confirm with my corrections" : "Confirm"; };
    card.oninput = relabel;
    card.onchange = relabel;
    card.hidden = false;
  }

  // corrections reads the card's changes: fields changed in place, facts marked not right, rows added.
  function corrections(card) {
    const out = [];
    for (const row of card.querySelectorAll(".rb-row")) {
      const withdraw = row.querySelector("[data-withdraw]");
      if (withdraw && withdraw.checked) {
        out.push({ fact_id: row.dataset.fact, withdraw: true });
        continue;
      }
      const fields = {};
      let changed = false, filled = false;
      for (const input of row.querySelectorAll("[data-field]")) {
        const v = input.type === "checkbox" ? (input.checked ? "yes" : "no") : input.value.trim();
        if (v !== input.dataset.original) { fields[input.dataset.field] = v; changed = true; }
        if (v && v !== "no") filled = true;
      }
      if (!changed) continue;
      if (row.dataset.fact) out.push({ fact_id: row.dataset.fact, fields });
      else if (filled) out.push({ new: { type: row.dataset.type, fields } });
    }
    return out;
  }


  // reply is what a card sends: confirm, the corrections, and the risk level chosen if it asked for one.
  function reply(card) {
    const body = { confirm: true, corrections: corrections(card) };
    const choice = card.querySelector("input[name=rb-choice]:checked");
    if (choice) body.choice = choice.value;
    return body;
  }

  return { render, reply };
})();
