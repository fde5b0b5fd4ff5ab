// The side panel: the report's contents (sections with pages) and its tables, loaded on demand.

import { getJSON } from "./api.js";
import { el, fetchTable, tableElement } from "./render.js";

function sectionList(nodes) {
  return el("ul", {}, nodes.map((s) => el("li", {},
    el("span", { class: "sec" }, s.heading), s.page ? el("span", { class: "page", "aria-label": `page ${s.page}` }, ` p.${s.page}`) : null,
    s.children?.length ? sectionList(s.children) : null)));
}

export async function loadContents(target) {
  try {
    target.replaceChildren(sectionList(await getJSON("/v1/sections")));
  } catch (err) {
    target.replaceChildren(el("p", { class: "bad" }, `Contents unavailable: ${err.message}`));
  }
}

export async function loadTables(target) {
  try {
    const tables = await getJSON("/v1/tables");
    target.replaceChildren(...tables.map((t) => {
      const slot = el("div", {});
      const d = el("details", { class: "side-table" },
        el("summary", {}, `${t.id} ${t.caption}${t.page ? ` · p.${t.page}` : ""}`), slot);
      d.addEventListener("toggle", async () => {
        if (!d.open || slot.childElementCount) return;
        try { slot.append(tableElement(await fetchTable(t.doc_id ? `${t.doc_id}:${t.id}` : t.id))); }
        catch (err) { slot.append(el("p", { class: "bad" }, err.message)); }
      });
      return d;
    }));
  } catch (err) {
    target.replaceChildren(el("p", { class: "bad" }, `Tables unavailable: ${err.message}`));
  }
}
