/* ReportQA embeddable chat. One tag on any page:
 *   <script src="https://reportqa.example/widget.js" data-key="KEY" data-lang="zh"></script>
 * adds a chat button and panel inside a Shadow DOM (no CSS leaks in or out). It talks to the
 * service that served this file (POST /v1/chat/completions, streaming, the whole conversation).
 * The page's origin must be in the service's REPORTQA_API__CORS_ORIGINS.
 */
(() => {
  "use strict";
  const script = document.currentScript;
  if (!script || !script.src) return;
  const base = new URL(".", script.src).href.replace(/\/$/, "");
  const key = script.dataset.key || "";
  const lang = script.dataset.lang === "zh" ? "zh" : "en";
  const T = {
    zh: {
      open: "问报告", title: "问报告 · ReportQA", close: "关闭", placeholder: "输入关于报告的问题，例如：表1中2022年的总计",
      label: "问题", send: "发送", answering: "正在回答…", sources: "出处", nearest: "最接近的段落",
      nosay: "报告未提及", figures: "已核查的数字", you: "你：", bot: "ReportQA：",
      verdict: { verified: "已核实", derived: "可推算", unsupported: "无出处", contradicted: "与报告不符" },
      expected: "报告为", unreachable: (o) => `无法连接 ReportQA（${base}）。此页面的来源 ${o} 可能未获准嵌入：请服务管理员把它加入 REPORTQA_API__CORS_ORIGINS。`,
    },
    en: {
      open: "Ask the report", title: "Ask the report · ReportQA", close: "Close", placeholder: "Ask about the report, e.g. What was the total in Table 1 for 2022?",
      label: "Question", send: "Send", answering: "Answering…", sources: "Sources", nearest: "Nearest passages",
      nosay: "The report does not say", figures: "Checked figures", you: "You: ", bot: "ReportQA: ",
      verdict: { verified: "verified", derived: "derived", unsupported: "unsupported", contradicted: "contradicted" },
      expected: "report says", unreachable: (o) => `Could not reach ReportQA at ${base}. This page's origin ${o} may not be allowed to embed it: ask the service's operator to add it to REPORTQA_API__CORS_ORIGINS.`,
    },
  }[lang];

  const CSS = `
:host { all: initial !important; position: fixed !important; right: 16px !important; bottom: 16px !important;
  z-index: 2147483000 !important; display: block !important; width: auto !important; height: auto !important;
  margin: 0 !important; padding: 0 !important; border: 0 !important; background: transparent !important; }
* { box-sizing: border-box; }
.root { font: 14px/1.5 system-ui, -apple-system, "Segoe UI", "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif;
  color: #1d2330; text-align: left; letter-spacing: normal; }
button { font: inherit; cursor: pointer; border-radius: 8px; border: 1px solid #1f5fbf; background: #1f5fbf; color: #fff;
  padding: 8px 14px; min-height: 40px; margin: 0; }
button:focus-visible, textarea:focus-visible, summary:focus-visible { outline: 3px solid #f0a500; outline-offset: 2px; }
.launcher { border-radius: 999px; box-shadow: 0 4px 14px rgba(0,0,0,.25); padding: 10px 18px; font-weight: 600; }
.panel { width: min(380px, calc(100vw - 32px)); height: min(560px, calc(100vh - 96px)); background: #fff; border: 1px solid #d7dce5;
  border-radius: 12px; box-shadow: 0 8px 30px rgba(0,0,0,.25); display: flex; flex-direction: column; overflow: hidden; margin-bottom: 10px; }
.panel[hidden] { display: none; }
header { display: flex; align-items: center; justify-content: space-between; padding: 8px 12px; background: #1f5fbf; color: #fff; }
h2 { font-size: 15px; margin: 0; font-weight: 600; }
header button { background: transparent; border-color: rgba(255,255,255,.6); min-height: 32px; padding: 2px 10px; }
.log { list-style: none; margin: 0; padding: 10px 12px; overflow-y: auto; flex: 1; display: flex; flex-direction: column; gap: 8px; }
.user { align-self: flex-end; background: #1f5fbf; color: #fff; border-radius: 10px 10px 2px 10px; padding: 6px 10px; max-width: 85%; white-space: pre-wrap; }
.bot { border: 1px solid #d7dce5; border-left: 4px solid #17703a; border-radius: 8px; padding: 6px 10px; }
.bot.unanswerable { background: #f3eefa; border: 2px dashed #6b4e9b; border-left-width: 5px; }
.nosay { color: #6b4e9b; font-weight: 700; margin: 0 0 4px; }
.text { margin: 0 0 4px; white-space: pre-wrap; }
.badges { list-style: none; padding: 0; margin: 4px 0; display: flex; flex-wrap: wrap; gap: 4px; }
.badge { border: 1px solid currentColor; border-radius: 999px; padding: 0 8px; font-size: 12px; }
.st-verified { color: #17703a; background: #e3f4e8; } .st-derived { color: #1f5fbf; background: #e4edfb; }
.st-unsupported { color: #7a5a00; background: #fdf3d6; } .st-contradicted { color: #a3221b; background: #fbe4e2; }
.cites { list-style: none; margin: 4px 0 0; padding-left: 0; font-size: 12px; color: #5b6475; }
.cites summary { cursor: pointer; } .cites q { color: #1d2330; }
h3 { font-size: 12px; margin: 6px 0 2px; color: #5b6475; font-weight: 600; }
form { display: flex; gap: 6px; padding: 8px; border-top: 1px solid #d7dce5; background: #f6f7f9; margin: 0; }
textarea { flex: 1; font: inherit; resize: none; border: 1px solid #d7dce5; border-radius: 8px; padding: 6px; min-height: 40px; color: #1d2330; background: #fff; }
.status { font-size: 12px; color: #5b6475; padding: 0 12px; min-height: 0; margin: 0; }
.error { color: #a3221b; background: #fbe4e2; border: 1px solid #a3221b; border-radius: 6px; padding: 6px 8px; margin: 6px 12px; font-size: 13px; }
.error[hidden], .status[hidden] { display: none; }
.vh { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.bottom { display: flex; justify-content: flex-end; }
`;

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v; else node.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) node.append(c);
    return node;
  }

  const host = document.createElement("reportqa-widget");
  const root = host.attachShadow({ mode: "open" });
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);  // constructable sheet: not blocked by the host page's style-src
    root.adoptedStyleSheets = [sheet];
  } catch {
    root.append(el("style", {}, CSS));
  }
  const log = el("ol", { class: "log", role: "log", "aria-live": "polite", "aria-label": T.title });
  const status = el("p", { class: "status", role: "status", hidden: true });
  const error = el("p", { class: "error", role: "alert", hidden: true });
  const input = el("textarea", { id: "q", rows: "1", maxlength: "1000", placeholder: T.placeholder });
  const send = el("button", { type: "submit", class: "send" }, T.send);
  const form = el("form", { "aria-label": T.title }, el("label", { class: "vh", for: "q" }, T.label), input, send);
  const close = el("button", { type: "button", class: "close", "aria-label": T.close }, "×");
  const panel = el("section", { class: "panel", role: "dialog", "aria-label": T.title, hidden: true },
    el("header", {}, el("h2", {}, T.title), close), log, status, error, form);
  const launcher = el("button", { type: "button", class: "launcher", "aria-expanded": "false", "aria-haspopup": "dialog" }, T.open);
  root.append(el("div", { class: "root", lang }, panel, el("div", { class: "bottom" }, launcher)));

  function toggle(open) {
    panel.hidden = !open;
    launcher.setAttribute("aria-expanded", String(open));
    (open ? input : launcher).focus();
  }
  launcher.addEventListener("click", () => toggle(panel.hidden));
  close.addEventListener("click", () => toggle(false));
  panel.addEventListener("keydown", (e) => { if (e.key === "Escape") toggle(false); });
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); form.requestSubmit(); }
  });

  let messages = [];
  let busy = false;

  async function failure(response) {
    let detail = "";
    try { detail = (await response.json()).detail; } catch { /* not JSON */ }
    return new Error(`${response.status}: ${typeof detail === "string" && detail ? detail : response.statusText || "request failed"}`);
  }

  async function streamChat(conversation, onDelta) {
    const headers = { "Content-Type": "application/json" };
    if (key) headers.Authorization = `Bearer ${key}`;
    let response;
    try {
      response = await fetch(`${base}/v1/chat/completions`, {
        method: "POST", headers, body: JSON.stringify({ model: "reportqa", messages: conversation, stream: true }),
      });
    } catch {
      throw new Error(T.unreachable(location.origin));
    }
    if (!response.ok) throw await failure(response);
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "", answer = null;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let cut;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const data = buffer.slice(0, cut).split("\n").filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trim()).join("\n");
        buffer = buffer.slice(cut + 2);
        if (!data || data === "[DONE]") continue;
        const chunk = JSON.parse(data);
        const delta = chunk.choices && chunk.choices[0] && chunk.choices[0].delta && chunk.choices[0].delta.content;
        if (delta) onDelta(delta);
        if (chunk.reportqa) answer = chunk.reportqa;
      }
    }
    if (!answer) throw new Error("the answer arrived without its citations");
    return answer;
  }

  function badge(f) {
    const extra = f.status === "derived" && f.formula ? ` = ${f.formula}`
      : f.status === "contradicted" && f.expected ? ` · ${T.expected} ${f.expected}` : "";
    return el("li", { class: `badge st-${f.status}`, "data-status": f.status }, `${f.text} ${T.verdict[f.status] || f.status}${extra}`);
  }

  function citation(c, n) {
    const where = [c.section, c.page ? `p.${c.page}` : null, c.table ? [c.table, c.row, c.column].filter(Boolean).join(" / ") : null]
      .filter(Boolean).join(" · ");
    return el("li", { class: "cite" }, el("details", {}, el("summary", {}, `[${n}] ${where}`), el("q", {}, c.quote)));
  }

  function render(bubble, a) {
    bubble.classList.toggle("unanswerable", !a.answerable);
    const parts = [];
    if (!a.answerable) parts.push(el("p", { class: "nosay" }, `∅ ${T.nosay}`));
    parts.push(el("p", { class: "text" }, a.answer));
    if (a.facts && a.facts.length) parts.push(el("ul", { class: "badges", "aria-label": T.figures }, a.facts.map(badge)));
    if (a.citations && a.citations.length) {
      const title = a.answerable ? T.sources : T.nearest;
      parts.push(el("h3", {}, title), el("ol", { class: "cites", "aria-label": title }, a.citations.map((c, i) => citation(c, i + 1))));
    }
    bubble.replaceChildren(...parts);
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const question = input.value.trim();
    if (!question || busy) return;
    busy = true;
    input.value = "";
    error.hidden = true;
    log.append(el("li", { class: "user" }, el("span", { class: "vh" }, T.you), question));
    const text = el("p", { class: "text" });
    const bubble = el("li", { class: "bot", "aria-busy": "true" }, text);
    log.append(bubble);
    status.hidden = false;
    status.textContent = T.answering;
    const conversation = [...messages, { role: "user", content: question }];
    try {
      const answer = await streamChat(conversation, (d) => { text.append(d); log.scrollTop = log.scrollHeight; });
      render(bubble, answer);
      messages = [...conversation, { role: "assistant", content: answer.answer }];
    } catch (err) {
      bubble.remove();
      error.textContent = err.message;
      error.hidden = false;
    } finally {
      bubble.setAttribute("aria-busy", "false");
      status.hidden = true;
      status.textContent = "";
      busy = false;
      log.scrollTop = log.scrollHeight;
    }
  });

  if (document.body) document.body.append(host);
  else document.addEventListener("DOMContentLoaded", () => document.body.append(host));
})();
