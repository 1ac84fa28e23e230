// The CSM's chat. Answers are sent with an idempotency key (client_id) and kept in this browser until the
// server confirms them, so a lost connection or a reload never loses an answer: it is sent again, and the
// server recognises the resend. Everything from the server is inserted as text, never as HTML.
"use strict";
(() => {
  const chat = document.getElementById("chat");
  if (!chat) return;
  const key = (name) => `exitinterview:${chat.dataset.interview}:${name}`;
  const $ = (id) => document.getElementById(id);
  const transcript = $("transcript"), form = $("composer"), answer = $("answer"), statusLine = $("status");
  const sendBtn = $("send"), skipBtn = $("skip"), finishBtn = $("finish");
  let state = JSON.parse($("initial-state").textContent);
  let busy = false;

  const TOPICS = {
    account_overview: "Overview", stakeholders: "Stakeholders", communication: "Communication",
    churn_risk: "Churn risk", renewal: "Renewal", upsell: "Upsell", open_issues: "Open issues",
    commitments: "Commitments", workarounds: "Workarounds", escalation_paths: "Escalation paths",
    onboarding_changes: "Onboarding changes", shadow_systems: "Shadow systems",
    product_feedback: "Product feedback", internal_workflows: "Internal workflows",
    decision_rationale: "Decision rationale",
  };

  const newID = () => {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = new Uint8Array(16);
    crypto.getRandomValues(b);
    return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  };

  function say(text) { statusLine.textContent = text || ""; }
  // While the server cannot be reached (no network, or a 503 while it reconnects to its database) the
  // chat says so and keeps trying; the notice goes once an answer gets through.
  function reconnecting(on) { $("reconnecting").hidden = !on; }

  function addMessage(role, text, extraClass) {
    const li = document.createElement("li");
    li.className = `msg msg-${role}` + (extraClass ? ` ${extraClass}` : "");
    const who = document.createElement("span");
    who.className = "who";
    who.textContent = role === "csm" ? "You" : "Interviewer";
    const body = document.createElement("div");
    body.className = "text";
    body.textContent = text;
    li.append(who, body);
    transcript.append(li);
    li.scrollIntoView({ block: "end", behavior: "smooth" });
    return li;
  }

  function renderCoverage(cov) {
    $("progress").value = cov.percent;
    $("progress-label").textContent = `${cov.percent}%`;
    const box = $("coverage");
    box.replaceChildren();
    const groups = new Map();
    for (const item of cov.items) {
      const name = item.account === null ? "Across all accounts" : item.account;
      if (!groups.has(name)) groups.set(name, []);
      groups.get(name).push(item);
    }
    for (const [name, items] of groups) {
      const h = document.createElement("h3");
      h.textContent = name;
      const ul = document.createElement("ul");
      ul.className = "chips";
      for (const it of items) {
        const li = document.createElement("li");
        li.className = `cell-${it.state}`;
        li.textContent = TOPICS[it.topic] || it.topic;
        li.title = `${TOPICS[it.topic] || it.topic}: ${it.state}`;
        ul.append(li);
      }
      box.append(h, ul);
    }
  }

  function setDone(done) {
    form.hidden = done;
    $("done").hidden = !done;
  }

  function setBusy(b) {
    busy = b;
    sendBtn.disabled = b;
    skipBtn.disabled = b;
    finishBtn.disabled = b;
  }

  // Reads a server-sent event stream from a fetch response, calling onEvent(name, data) per event.
  async function readEvents(resp, onEvent) {
    const reader = resp.body.getReader();
    const decoder = new TextDecoder();
    let buf = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += decoder.decode(value, { stream: true });
      let cut;
      while ((cut = buf.indexOf("\n\n")) >= 0) {
        const raw = buf.slice(0, cut);
        buf = buf.slice(cut + 2);
        let name = "message", data = "";
        for (const line of raw.split("\n")) {
          if (line.startsWith("event: ")) name = line.slice(7);
          else if (line.startsWith("data: ")) data += line.slice(6);
        }
        if (data) onEvent(name, JSON.parse(data));
      }
    }
  }

  // post sends a turn and streams the interviewer's reply into a new bubble. It resolves with the final
  // turn JSON, or throws {retry: bool, reconnect: bool, message, wait}: reconnect when the server could not be
  // reached or is unavailable for a moment, wait the milliseconds its Retry-After asks for.
  async function post(path, body) {
    let resp;
    try {
      resp = await fetch(path, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
        body: JSON.stringify(body),
        credentials: "same-origin",
      });
    } catch {
      throw { retry: true, reconnect: true, message: "Connection lost. Retrying…" };
    }
    if (!resp.ok) {
      let message = "Something went wrong.";
      try { message = (await resp.json()).error.message; } catch { /* not JSON */ }
      const wait = (parseInt(resp.headers.get("Retry-After"), 10) || 0) * 1000;
      throw { retry: resp.status >= 500 || resp.status === 429, reconnect: resp.status === 503, message, status: resp.status, wait };
    }
    let bubble = null, final = null, failure = null;
    try {
      await readEvents(resp, (name, data) => {
        if (name === "token") {
          if (!bubble) bubble = addMessage("interviewer", "", "msg-streaming");
          bubble.querySelector(".text").textContent += data.text;
        } else if (name === "question") {
          final = data;
        } else if (name === "error") {
          failure = data.error;
        }
      });
    } catch {
      if (bubble) bubble.remove();
      throw { retry: true, reconnect: true, message: "Connection lost. Retrying…" };
    }
    if (bubble) bubble.remove(); // the final event is authoritative
    if (failure) throw { retry: true, reconnect: failure.code === "unavailable", message: failure.message };
    if (!final) throw { retry: true, reconnect: true, message: "Connection lost. Retrying…" };
    return final;
  }

  // The read-back card: what the interviewer understood of an account, each fact a row of fields the CSM
  // can change in place. Sending it confirms every fact left as it was and corrects the rest; a risk
  // level the rules were unsure of is asked as a choice.
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

  function renderReadback(q) {
    const card = $("readback");
    if (!q || q.kind !== "readback") {
      card.hidden = true;
      card.replaceChildren();
      return;
    }
    if (card.dataset.question === q.id && !card.hidden) return;
    card.dataset.question = q.id;
    card.replaceChildren();
    const h = document.createElement("h2");
    h.id = "readback-title";
    h.textContent = `What I understood of ${q.account || "the portfolio"}`;
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
    ok.id = "readback-confirm";
    ok.textContent = "Confirm";
    actions.append(ok);
    card.append(actions);
    const relabel = () => { ok.textContent = corrections().length ? "Confirm with my corrections" : "Confirm"; };
    card.oninput = relabel;
    card.onchange = relabel;
    card.hidden = false;
  }

  // corrections reads the card's changes: fields changed in place, facts marked not right, rows added.
  function corrections() {
    const out = [];
    for (const row of $("readback").querySelectorAll(".rb-row")) {
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

  $("readback").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (busy || !state.next_question) return;
    const body = { question_id: state.next_question.id, client_id: newID(), confirm: true, corrections: corrections() };
    const choice = $("readback").querySelector("input[name=rb-choice]:checked");
    if (choice) body.choice = choice.value;
    setBusy(true);
    $("readback-confirm").disabled = true;
    try {
      const turn = await post("/api/v1/interview/readback", body);
      if (turn.message) addMessage("csm", turn.message.content);
      applyTurn(turn);
      say("");
    } catch (e) {
      say(e.message);
      if (e.status === 409) refresh();
    }
    setBusy(false);
    if ($("readback-confirm")) $("readback-confirm").disabled = false;
  });

  function applyTurn(turn) {
    const lastText = transcript.lastElementChild?.querySelector(".text")?.textContent;
    if (turn.next_question && turn.next_question.text !== lastText) {
      addMessage("interviewer", turn.next_question.text);
    } else if (turn.done && !turn.next_question) {
      // The farewell is not a question; load it with the transcript.
      refresh();
    }
    state.next_question = turn.next_question;
    renderReadback(turn.next_question);
    renderCoverage(turn.coverage);
    setDone(turn.done);
  }

  async function refresh() {
    try {
      const resp = await fetch("/api/v1/interview", { credentials: "same-origin" });
      if (!resp.ok) return;
      const data = await resp.json();
      transcript.replaceChildren();
      for (const m of data.messages) {
        addMessage(m.role, m.kind === "skip" ? "Skipped" : m.content, m.kind === "skip" ? "msg-skip" : "");
      }
      state = data;
      renderReadback(data.next_question);
      renderCoverage(data.coverage);
      setDone(data.done);
    } catch { /* the next action retries */ }
  }

  // send delivers the pending answer kept in localStorage, retrying with backoff until the server has it.
  async function send() {
    const pending = JSON.parse(localStorage.getItem(key("pending")) || "null");
    if (!pending || busy) return;
    setBusy(true);
    let delay = 1000;
    for (;;) {
      try {
        const turn = await post("/api/v1/interview/messages",
          { content: pending.content, client_id: pending.clientId, question_id: pending.questionId || "" });
        localStorage.removeItem(key("pending"));
        document.querySelector(".msg-pending")?.classList.remove("msg-pending");
        reconnecting(false);
        say("");
        if (pending.resent) await refresh(); // the page may already show this answer
        else applyTurn(turn);
        break;
      } catch (e) {
        reconnecting(Boolean(e.reconnect));
        say(e.reconnect ? "" : e.message);
        if (!e.retry) {
          // Refused (e.g. the interview has ended): give the text back rather than lose it.
          localStorage.removeItem(key("pending"));
          document.querySelector(".msg-pending")?.remove();
          if (!answer.value) answer.value = pending.content;
          if (e.status === 409) refresh();
          break;
        }
        // The same answer, with the same client_id, until the server has it.
        await new Promise((r) => setTimeout(r, Math.max(delay, e.wait || 0)));
        delay = Math.min(delay * 2, e.reconnect ? 10000 : 30000);
      }
    }
    setBusy(false);
    answer.focus();
  }

  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const content = answer.value.trim();
    if (!content.trim() || busy) return;
    localStorage.setItem(key("pending"), JSON.stringify({ content, clientId: newID(), questionId: state.next_question?.id }));
    localStorage.removeItem(key("draft"));
    addMessage("csm", content.trim(), "msg-pending");
    answer.value = "";
    send();
  });

  answer.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) {
      ev.preventDefault();
      form.requestSubmit();
    }
  });
  answer.addEventListener("input", () => localStorage.setItem(key("draft"), answer.value));

  skipBtn.addEventListener("click", async () => {
    if (busy || !state.next_question) return;
    setBusy(true);
    try {
      addMessage("csm", "Skipped", "msg-skip");
      applyTurn(await post("/api/v1/interview/skip", { question_id: state.next_question.id }));
      say("");
    } catch (e) {
      say(e.message);
      refresh();
    }
    setBusy(false);
    answer.focus();
  });

  finishBtn.addEventListener("click", async () => {
    if (busy) return;
    if (!confirm("Finish the interview now? Everything you said is kept; topics not covered stay open for your manager.")) return;
    setBusy(true);
    try {
      const resp = await fetch("/api/v1/interview/finish", { method: "POST", credentials: "same-origin" });
      if (!resp.ok) throw new Error((await resp.json()).error.message);
      await refresh();
    } catch (e) {
      say(e.message || "Something went wrong.");
    }
    setBusy(false);
  });

  window.addEventListener("online", send);
  // On a phone the coverage starts folded, so the conversation comes first.
  if (window.matchMedia("(max-width: 52rem)").matches) document.querySelector(".coverage-panel").open = false;
  renderCoverage(state.coverage);
  renderReadback(state.next_question);
  answer.value = localStorage.getItem(key("draft")) || "";
  const pending = JSON.parse(localStorage.getItem(key("pending")) || "null");
  if (pending) {
    // The page was reloaded before the server confirmed this answer: send it again (the server
    // recognises a resend by its client_id).
    pending.resent = true;
    localStorage.setItem(key("pending"), JSON.stringify(pending));
    addMessage("csm", pending.content.trim(), "msg-pending");
    send();
  }
  if (!state.done) answer.focus();
})();
