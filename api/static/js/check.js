// "Check a text": every figure of a pasted article marked in place with its verdict, and a summary of counts.

import { postJSON } from "./api.js";
import { el, markedText, VERDICT, explain } from "./render.js";

/** Render a /v1/check response: counts, the text with every figure marked, and the list of figures. */
export function renderCheck(target, result) {
  const counts = el("ul", { class: "counts", "aria-label": "Figures by verdict" },
    Object.entries(result.counts).map(([status, n]) => {
      const v = VERDICT[status] || { label: status, zh: "" };
      return el("li", { class: `badge st-${status}`, "data-status": status }, el("strong", {}, String(n)), ` ${v.label} ${v.zh}`);
    }));
  const total = result.facts.length;
  const summary = el("p", { class: "check-summary" },
    total ? `${total} figure${total === 1 ? "" : "s"} checked against the report. 共核查 ${total} 个数字。`
      : "No figures found in this text. 文中没有数字。");
  const text = el("div", { class: "checked-text", "aria-label": "Text with figures marked" },
    markedText(result.text, result.facts, "chk"));
  const list = el("details", { class: "fact-list" }, el("summary", {}, "Every figure, one per line"),
    el("ol", {}, result.facts.map((f) => el("li", { class: `st-${f.status}` }, explain(f)))));
  target.replaceChildren(summary, counts, text, list);
}

export async function runCheck(text, target) {
  const result = await postJSON("/v1/check", { text });
  renderCheck(target, result);
  return result;
}
