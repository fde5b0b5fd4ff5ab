// Rendering answers: figures marked with their verdicts, citations with quotes in context, cited table rows.

import { getJSON } from "./api.js";

/** Create an element: el("p", {class: "x", "aria-label": "y"}, "text", child). Text is never parsed as HTML. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) node.append(c);
  return node;
}

export const VERDICT = {
  verified: { label: "verified", zh: "已核实", icon: "✓" },
  derived: { label: "derived", zh: "可推算", icon: "∑" },
  unsupported: { label: "unsupported", zh: "无出处", icon: "?" },
  contradicted: { label: "contradicted", zh: "与报告不符", icon: "✗" },
};

/** One line explaining a fact's verdict: the formula, the expected figure, or the source quote. */
export function explain(fact) {
  const v = VERDICT[fact.status] || { label: fact.status, zh: "" };
  const parts = [`${fact.text}: ${v.label} ${v.zh}`];
  if (fact.status === "derived" && fact.formula) parts.push(`= ${fact.formula}`);
  if (fact.status === "contradicted" && fact.expected) parts.push(`the report says ${fact.expected}`);
  const src = fact.source || {};
  if (src.quote) parts.push(`source${src.page ? ` p.${src.page}` : ""}: “${src.quote}”`);
  return parts.join(" — ");
}

/** A badge for one checked figure. */
export function badge(fact) {
  const v = VERDICT[fact.status] || { label: fact.status, zh: "", icon: "•" };
  const extra = fact.status === "derived" && fact.formula ? el("span", { class: "formula" }, ` = ${fact.formula}`)
    : fact.status === "contradicted" && fact.expected ? el("span", { class: "expected" }, ` · report: ${fact.expected}`) : null;
  return el("li", { class: `badge st-${fact.status}`, title: explain(fact) },
    el("span", { "aria-hidden": "true" }, `${v.icon} `), el("strong", {}, fact.text), ` ${v.label} ${v.zh}`, extra);
}

/**
 * `text` with every fact's span wrapped in a focusable <mark> carrying its verdict and a tooltip
 * (source quote, formula or expected figure) shown on hover and on keyboard focus.
 */
export function markedText(text, facts, idPrefix) {
  const frag = document.createDocumentFragment();
  const spans = facts.filter((f) => Array.isArray(f.span)).sort((a, b) => a.span[0] - b.span[0]);
  let pos = 0;
  spans.forEach((fact, i) => {
    const [start, end] = fact.span;
    if (start < pos || end > text.length) return;
    frag.append(text.slice(pos, start));
    const tipId = `${idPrefix}-tip-${i}`;
    const v = VERDICT[fact.status] || { label: fact.status, zh: "" };
    frag.append(el("mark", {
      class: `fact st-${fact.status}`, tabindex: "0", "data-status": fact.status,
      "aria-label": `${text.slice(start, end)}, ${v.label}`, "aria-describedby": tipId,
    }, text.slice(start, end), el("span", { class: "tip", role: "tooltip", id: tipId }, explain(fact))));
    pos = end;
  });
  frag.append(text.slice(pos));
  return frag;
}

const tableCache = new Map();

/** GET /v1/tables/{id}, once per table. */
export function fetchTable(id) {
  if (!tableCache.has(id)) {
    const p = getJSON(`/v1/tables/${encodeURIComponent(id)}`);
    p.catch(() => tableCache.delete(id));
    tableCache.set(id, p);
  }
  return tableCache.get(id);
}

/** A small <table> of `rows` (all rows when omitted) with the cited columns highlighted. */
export function tableElement(table, rows = null, columns = []) {
  const cited = (c) => (columns.includes(c.id) ? "cited" : null);
  const head = el("tr", {}, el("th", { scope: "col" }, ""),
    table.columns.map((c) => el("th", { scope: "col", class: cited(c) }, c.header.join(" / "))));
  const body = (rows || table.rows).map((r) => el("tr", {},
    el("th", { scope: "row" }, r.label),
    table.columns.map((c) => {
      const cell = r.cells.find((x) => x.column === c.id);
      return el("td", { class: cited(c) }, cell ? cell.text : "");
    })));
  return el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": `${table.id} ${table.caption}` },
    el("table", {}, el("caption", {}, `${table.id} ${table.caption}${table.page ? ` (p.${table.page})` : ""}`),
      el("thead", {}, head), el("tbody", {}, body)));
}

async function showRow(citation, columns, slot) {
  try {
    const table = await fetchTable(citation.table);
    const row = table.rows.find((r) => r.label === citation.row);
    if (row) slot.append(tableElement(table, [row], columns));
  } catch (err) {
    slot.append(el("p", { class: "hint" }, `table ${citation.table} could not be loaded: ${err.message}`));
  }
}

async function showContext(citation, slot) {
  if (slot.dataset.loaded) return;
  slot.dataset.loaded = "1";
  try {
    const [start, end] = citation.span;
    const ctx = await getJSON(`/v1/context?doc=${encodeURIComponent(citation.doc)}&start=${start}&end=${end}`);
    slot.replaceChildren(el("p", { class: "context" }, ctx.before, el("mark", { class: "quote-hl" }, ctx.quote), ctx.after));
  } catch (err) {
    slot.replaceChildren(el("p", { class: "hint" }, `context unavailable: ${err.message}`));
  }
}

/**
 * One citation: where (section, page, table/row/column), the verbatim quote, expandable in context, and
 * (when `rowColumns` is given) the cited table row with those columns highlighted.
 */
export function citationItem(c, n, rowColumns = null) {
  const where = [c.section, c.page ? `p.${c.page}` : null,
    c.table ? [c.table, c.row, c.column].filter(Boolean).join(" / ") : null].filter(Boolean).join(" · ");
  const ctxSlot = el("div", { class: "ctx" }, el("p", { class: "hint" }, "Loading context…"));
  const details = el("details", { class: "quote" },
    el("summary", { "aria-label": `Quote ${n}: show in context` }, el("q", {}, c.quote)), ctxSlot);
  details.addEventListener("toggle", () => { if (details.open) showContext(c, ctxSlot); });
  const rowSlot = el("div", { class: "row-slot" });
  if (rowColumns) showRow(c, rowColumns, rowSlot);
  return el("li", { class: "citation" }, el("span", { class: "where" }, `[${n}] ${where}`), details, rowSlot);
}

/** Citation items; each cited table row is drawn once, under its first citation, with every cited column marked. */
function citationItems(citations) {
  const rows = new Map();
  for (const c of citations) {
    if (!c.table || !c.row) continue;
    const key = `${c.table}\u0000${c.row}`;
    if (!rows.has(key)) rows.set(key, []);
    if (c.column) rows.get(key).push(c.column);
  }
  return citations.map((c, i) => {
    const key = `${c.table}\u0000${c.row}`;
    const columns = rows.get(key);
    rows.delete(key);
    return citationItem(c, i + 1, columns || null);
  });
}

/** Fill `bubble` with a complete answer (after streaming ends): marked figures, badges, citations. */
export function renderAnswer(bubble, answer, idPrefix) {
  bubble.classList.toggle("unanswerable", !answer.answerable);
  bubble.dataset.kind = answer.kind;
  const parts = [];
  if (!answer.answerable) {
    parts.push(el("p", { class: "nosay", lang: "en" }, el("span", { "aria-hidden": "true" }, "∅ "),
      answer.language === "zh" ? "报告未提及 · The report does not say" : "The report does not say · 报告未提及"));
  }
  parts.push(el("p", { class: "answer-text", lang: answer.language === "zh" ? "zh" : "en" },
    markedText(answer.answer, answer.facts || [], idPrefix)));
  if (answer.facts?.length) {
    parts.push(el("ul", { class: "badges", "aria-label": "Checked figures" }, answer.facts.map(badge)));
  }
  if (answer.citations?.length) {
    const title = answer.answerable ? "Sources 出处" : "Nearest passages 最接近的段落";
    parts.push(el("h3", { class: "cites-title" }, title),
      el("ol", { class: "citations", "aria-label": title }, citationItems(answer.citations)));
  }
  bubble.replaceChildren(...parts);
}
