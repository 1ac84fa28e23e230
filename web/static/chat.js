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
    account_overview: "Overview", success_plan: "Success plan", implementation: "Implementation",
    stakeholders: "Stakeholders", communication: "Communication",
    churn_risk: "Churn risk", renewal: "Renewal", upsell: "Upsell", open_issues: "Open issues",
    commitments: "Commitments", workarounds: "Workarounds", history: "History", documents: "Documents",
    advocacy: "Advocacy", escalation_paths: "Escalation paths",
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

  const motion = window.matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth";

  // The part of the window the sticky composer leaves free: what lies below its top edge is covered.
  function room() {
    const bottom = form.hidden ? window.innerHeight : Math.min(window.innerHeight, form.getBoundingClientRect().top);
    return { top: 8, bottom: bottom - 8 };
  }

  // reveal scrolls just enough for el to end above the composer, never so far that its start leaves the
  // top of the window: a long message shows from its beginning.
  function reveal(el, behavior = motion) {
    if (!el) return;
    const r = el.getBoundingClientRect(), free = room();
    let dy = 0;
    if (r.bottom > free.bottom) dy = r.bottom - free.bottom;
    if (r.top - dy < free.top) dy = r.top - free.top;
    if (dy) window.scrollBy({ top: dy, behavior });
  }

  function messageItem(role, text, extraClass) {
    const li = document.createElement("li");
    li.className = `msg msg-${role}` + (extraClass ? ` ${extraClass}` : "");
    const who = document.createElement("span");
    who.className = "who";
    who.textContent = role === "csm" ? "You" : "Interviewer";
    const body = document.createElement("div");
    body.className = "text";
    body.textContent = text;
    li.append(who, body);
    return li;
  }

  function addMessage(role, text, extraClass) {
    const li = messageItem(role, text, extraClass);
    transcript.append(li);
    reveal(li);
    return li;
  }

  // addNotice puts the interviewer's word about an answer (credentials kept out of the notes) after it.
  function addNotice(after, text) {
    if (!text || !after) return;
    const li = messageItem("interviewer", text, "");
    li.className = "msg msg-note";
    after.after(li);
  }

  // The open question carries the anchor #current, which the "Jump to the current question" link
  // follows; the link shows only while that question is out of sight.
  const jump = $("jump");
  function markCurrent(li) {
    const old = $("current");
    if (old && old !== li) {
      old.removeAttribute("id");
      old.removeAttribute("tabindex");
    }
    if (li) {
      li.id = "current";
      li.tabIndex = -1;
    }
    updateJump();
  }
  function updateJump() {
    const cur = $("current");
    let hide = !cur || form.hidden;
    if (!hide) {
      const r = cur.getBoundingClientRect(), free = room();
      hide = r.top < free.bottom && r.bottom > free.top;
    }
    if (jump.parentElement.hidden !== hide) jump.parentElement.hidden = hide;
  }
  let jumpQueued = false;
  const queueJump = () => {
    if (jumpQueued) return;
    jumpQueued = true;
    requestAnimationFrame(() => { jumpQueued = false; updateJump(); });
  };
  window.addEventListener("scroll", queueJump, { passive: true });
  window.addEventListener("resize", queueJump);

  // showCurrent brings the open question into view with where the CSM left off above it, clear of the
  // composer; a finished interview shows its end.
  function showCurrent(behavior = motion) {
    const cur = $("current");
    if (!cur) {
      if (state.done) window.scrollTo({ top: document.documentElement.scrollHeight, behavior });
      return;
    }
    const resume = $("resume");
    const start = resume && resume.nextElementSibling === cur ? resume : cur;
    const free = room(), r = cur.getBoundingClientRect();
    let dy = start.getBoundingClientRect().top - free.top;
    // Where both do not fit above the composer, the question goes first.
    if (r.bottom - dy > free.bottom) dy = Math.min(r.bottom - free.bottom, r.top - free.top);
    window.scrollBy({ top: dy, behavior });
    updateJump();
  }
  jump.addEventListener("click", (ev) => {
    ev.preventDefault();
    showCurrent("auto");
    $("current")?.focus({ preventScroll: true });
  });

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
      const h = document.createElement("h2");
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
    updateJump();
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
          reveal(bubble, "auto");
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

  const Card = window.exitinterviewCard;
  function renderReadback(q) {
    const card = $("readback");
    if (!q || q.kind !== "readback") {
      card.hidden = true;
      card.replaceChildren();
      return;
    }
    Card.render(card, q);
  }

  $("readback").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (busy || !state.next_question) return;
    const body = { question_id: state.next_question.id, client_id: newID(), ...Card.reply($("readback")) };
    setBusy(true);
    $("readback-confirm").disabled = true;
    try {
      const turn = await post("/api/v1/interview/readback", body);
      if (turn.message) addNotice(addMessage("csm", turn.message.content), turn.message.notice);
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
    const last = transcript.lastElementChild;
    if (turn.next_question && turn.next_question.text !== last?.querySelector(".text")?.textContent) {
      const li = addMessage("interviewer", turn.next_question.text);
      li.dataset.id = turn.next_question.id;
      markCurrent(li);
    } else if (turn.next_question) {
      markCurrent(last);
    } else {
      markCurrent(null);
      // The farewell is not a question; load it with the transcript.
      if (turn.done) refresh();
    }
    state.next_question = turn.next_question;
    // The file chooser (attachments.js) follows the question's account.
    document.dispatchEvent(new CustomEvent("chat:question", { detail: turn.next_question }));
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
      let current = null;
      for (const m of data.messages) {
        const li = messageItem(m.role, m.kind === "skip" ? "Skipped" : m.content, m.kind === "skip" ? "msg-skip" : "");
        li.dataset.id = m.id;
        transcript.append(li);
        addNotice(li, m.notice);
        if (m.id === data.next_question?.id) current = li;
      }
      state = data;
      renderReadback(data.next_question);
      renderCoverage(data.coverage);
      setDone(data.done);
      markCurrent(current);
      reveal(current || (data.done ? $("done") : transcript.lastElementChild));
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
        const sent = document.querySelector(".msg-pending");
        sent?.classList.remove("msg-pending");
        reconnecting(false);
        say("");
        if (pending.resent) await refresh(); // the page may already show this answer
        else {
          if (sent && turn.message) {
            // Shown as stored: with any credential replaced by its marker, and the word about it.
            sent.querySelector(".text").textContent = turn.message.content;
            sent.dataset.id = turn.message.id;
            addNotice(sent, turn.message.notice);
          }
          applyTurn(turn);
        }
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
  // Coming back to a long chat opens at the open question (or at the end of a finished one), not at the
  // welcome text far above it. The page places the scroll itself, also on a reload.
  if ("scrollRestoration" in history) history.scrollRestoration = "manual";
  if (location.hash === "#resume" || location.hash === "#current") history.replaceState(null, "", location.pathname + location.search);
  if ($("resume") || state.done) showCurrent("auto");
  updateJump();
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
  if (!state.done) answer.focus({ preventScroll: true });
  chat.dataset.ready = "true"; // the chat answers keys and clicks from here on
})();
