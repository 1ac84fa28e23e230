// The CSM's attached files: a button (and dropping files onto the conversation) uploads them for the
// chosen account, with progress; the list says for each whether it is being read, ready or unreadable
// and why, and offers to remove it. A refused file shows the server's message. Everything from the
// server is inserted as text, never as HTML.
"use strict";
(() => {
  const box = document.getElementById("attachments");
  if (!box) return;
  const $ = (id) => document.getElementById(id);
  const input = $("attach-file"), chooser = $("attach-account"), list = $("attachment-list"), error = $("attach-error");
  const chat = $("chat");
  const API = "/api/v1/interview/attachments";
  const UNITS = { pdf: ["page", "pages"], xlsx: ["sheet", "sheets"], pptx: ["slide", "slides"] };
  let files = [];
  let chosenByHand = false;
  let polling = null;

  function showError(text) {
    error.textContent = text || "";
    error.hidden = !text;
  }

  function stateText(a) {
    if (a.state === "ready") {
      const u = UNITS[a.kind];
      return u && a.units ? `ready: ${a.units} ${a.units === 1 ? u[0] : u[1]}` : "ready";
    }
    if (a.state === "unreadable") return `could not be read: ${a.reason}`;
    return "being read…";
  }

  function render() {
    list.replaceChildren();
    for (const a of files) {
      const li = document.createElement("li");
      li.className = `attachment attachment-${a.state}`;
      li.dataset.id = a.id;
      const link = document.createElement("a");
      link.href = a.download_url;
      link.textContent = a.name;
      const meta = document.createElement("span");
      meta.className = "small muted attachment-meta";
      meta.textContent = ` · ${a.account || "All accounts"} · `;
      const st = document.createElement("span");
      st.className = "attachment-state";
      st.textContent = stateText(a);
      meta.append(st);
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "link attachment-remove";
      remove.textContent = "Remove";
      remove.setAttribute("aria-label", `Remove ${a.name}`);
      remove.addEventListener("click", () => removeFile(a));
      li.append(link, meta, " ", remove);
      list.append(li);
    }
    for (const u of uploading) list.append(u.li);
    const reading = files.some((a) => a.state === "reading");
    if (reading && !polling) polling = setInterval(load, 2000);
    if (!reading && polling) { clearInterval(polling); polling = null; }
  }

  async function load() {
    try {
      const resp = await fetch(API, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (!resp.ok) return;
      files = (await resp.json()).attachments || [];
      render();
    } catch { /* offline: the list is refreshed on the next upload */ }
  }

  const uploading = new Set();

  function upload(file) {
    const li = document.createElement("li");
    li.className = "attachment attachment-uploading";
    const name = document.createElement("span");
    name.textContent = file.name;
    const bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-label", `Uploading ${file.name}`);
    li.append(name, " ", bar);
    const u = { li };
    uploading.add(u);
    render();
    const form = new FormData();
    form.append("account_id", chooser.value);
    form.append("file", file, file.name);
    return new Promise((resolve) => {
      const xhr = new XMLHttpRequest();
      xhr.open("POST", API);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.addEventListener("progress", (ev) => {
        if (ev.lengthComputable) bar.value = Math.round((ev.loaded / ev.total) * 100);
      });
      const done = (message) => {
        uploading.delete(u);
        if (message) showError(message);
        load().then(resolve);
      };
      xhr.addEventListener("load", () => {
        if (xhr.status >= 200 && xhr.status < 300) return done("");
        let message = `“${file.name}” could not be attached.`;
        try { message = JSON.parse(xhr.responseText).error.message; } catch { /* not JSON */ }
        done(message);
      });
      xhr.addEventListener("error", () => done(`“${file.name}” could not be sent: the connection was lost. Try again.`));
      xhr.send(form);
    });
  }

  async function uploadAll(list) {
    showError("");
    for (const f of list) await upload(f);
  }

  async function removeFile(a) {
    showError("");
    try {
      const resp = await fetch(`${API}/${encodeURIComponent(a.id)}`, { method: "DELETE", credentials: "same-origin", headers: { Accept: "application/json" } });
      if (!resp.ok && resp.status !== 404) {
        let message = `“${a.name}” could not be removed.`;
        try { message = (await resp.json()).error.message; } catch { /* not JSON */ }
        showError(message);
      }
    } catch {
      showError(`“${a.name}” could not be removed: the connection was lost.`);
    }
    await load();
    chooser.focus();
  }

  const pick = () => input.click();
  $("attach")?.addEventListener("click", pick);
  $("attach-more").addEventListener("click", pick);
  input.addEventListener("change", () => {
    const chosen = [...input.files];
    input.value = "";
    uploadAll(chosen);
  });
  chooser.addEventListener("change", () => { chosenByHand = true; });
  // The chooser follows the open question's account until the CSM picks one.
  document.addEventListener("chat:question", (ev) => {
    if (chosenByHand || !ev.detail) return;
    const name = ev.detail.account;
    const match = [...chooser.options].find((o) => name && o.textContent === name);
    chooser.value = match ? match.value : "portfolio";
  });

  // Files dropped onto the conversation are attached.
  let depth = 0;
  chat.addEventListener("dragenter", (ev) => {
    if (![...(ev.dataTransfer?.types || [])].includes("Files")) return;
    ev.preventDefault();
    depth++;
    chat.classList.add("dropping");
  });
  chat.addEventListener("dragover", (ev) => {
    if ([...(ev.dataTransfer?.types || [])].includes("Files")) ev.preventDefault();
  });
  chat.addEventListener("dragleave", () => {
    depth = Math.max(0, depth - 1);
    if (!depth) chat.classList.remove("dropping");
  });
  chat.addEventListener("drop", (ev) => {
    if (!ev.dataTransfer?.files?.length) return;
    ev.preventDefault();
    depth = 0;
    chat.classList.remove("dropping");
    uploadAll([...ev.dataTransfer.files]);
  });

  load();
})();
