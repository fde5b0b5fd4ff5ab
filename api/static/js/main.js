// The chat page: a conversation with the report (streamed from /v1/chat/completions) and the "check a text" mode.

import { apiKey, setApiKey, streamChat } from "./api.js";
import { runCheck } from "./check.js";
import { feedbackBox } from "./feedback.js";
import { el, renderAnswer } from "./render.js";
import { loadContents, loadTables } from "./side.js";

const $ = (id) => document.getElementById(id);
let messages = [];   // the whole conversation, sent with every question
let turn = 0;
let busy = false;

function progress(text) {
  $("progress").hidden = !text;
  $("progress-text").textContent = text || "";
  document.body.setAttribute("aria-busy", text ? "true" : "false");
}

function showError(message) {
  $("error").hidden = !message;
  $("error").textContent = message ? `Error: ${message}` : "";
}

async function ask(question) {
  if (busy || !question.trim()) return;
  busy = true;
  showError("");
  const n = ++turn;
  const log = $("log");
  log.append(el("li", { class: "msg user" }, el("span", { class: "who visually-hidden" }, "You: "), question));
  const text = el("p", { class: "answer-text streaming" });
  const bubble = el("div", { class: "bubble", id: `answer-${n}` }, text);
  const item = el("li", { class: "msg bot", "aria-busy": "true" }, el("span", { class: "who visually-hidden" }, "ReportQA: "), bubble);
  log.append(item);
  item.scrollIntoView({ block: "end" });
  progress("Answering… 正在回答…");
  const sent = [...messages, { role: "user", content: question }];
  try {
    const answer = await streamChat(sent, (delta) => { text.append(delta); });
    renderAnswer(bubble, answer, `a${n}`);
    item.append(feedbackBox(answer));
    messages = [...sent, { role: "assistant", content: answer.answer }];
  } catch (err) {
    item.remove();
    if (!$("question").value) $("question").value = question;  // nothing typed is lost
    showError(err.message);
  } finally {
    item.setAttribute("aria-busy", "false");
    progress("");
    busy = false;
  }
}

function selectTab(which) {
  for (const name of ["ask", "check"]) {
    const on = name === which;
    $(`tab-${name}`).setAttribute("aria-selected", String(on));
    $(`tab-${name}`).tabIndex = on ? 0 : -1;
    $(`${name}-panel`).hidden = !on;
  }
  showError("");
}

function wireTabs() {
  const tabs = [$("tab-ask"), $("tab-check")];
  tabs.forEach((tab, i) => {
    tab.addEventListener("click", () => selectTab(i === 0 ? "ask" : "check"));
    tab.addEventListener("keydown", (e) => {
      if (e.key !== "ArrowRight" && e.key !== "ArrowLeft") return;
      const next = tabs[(i + 1) % 2];
      next.focus();
      selectTab(next === tabs[0] ? "ask" : "check");
    });
  });
}

function wireAsk() {
  const q = $("question");
  $("ask-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const question = q.value;
    if (!question.trim()) return;
    q.value = "";
    ask(question);
  });
  q.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); $("ask-form").requestSubmit(); }
  });
  $("new-chat").addEventListener("click", () => { messages = []; $("log").replaceChildren(); q.focus(); });
}

function wireCheck() {
  $("check-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    if (busy) return;
    busy = true;
    showError("");
    progress("Checking figures… 正在核查…");
    try { await runCheck($("check-text").value, $("check-result")); }
    catch (err) { showError(err.message); }
    finally { progress(""); busy = false; }
  });
}

function wireSide() {
  const toggle = $("side-toggle"), side = $("side");
  toggle.addEventListener("click", () => {
    const open = side.classList.toggle("open");
    toggle.setAttribute("aria-expanded", String(open));
  });
  loadContents($("contents"));
  loadTables($("tables"));
}

function wireKey() {
  const input = $("api-key");
  input.value = apiKey();
  input.addEventListener("change", () => {
    setApiKey(input.value.trim());
    loadContents($("contents"));  // they may have failed for want of a key
    loadTables($("tables"));
  });
}

wireTabs();
wireAsk();
wireCheck();
wireKey();
wireSide();
document.documentElement.dataset.ready = "true";
