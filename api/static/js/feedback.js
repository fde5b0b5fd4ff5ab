// 👍/👎 under an answer, with an optional comment and corrected answer → POST /v1/feedback.

import { postJSON } from "./api.js";
import { el } from "./render.js";

let counter = 0;

export function feedbackBox(answer) {
  const n = ++counter;
  let rating = null;
  const status = el("p", { class: "fb-status", role: "status" });
  const comment = el("textarea", { id: `fb-comment-${n}`, rows: "2", maxlength: "5000" });
  const corrected = el("textarea", { id: `fb-corrected-${n}`, rows: "2", maxlength: "5000" });
  const form = el("form", { class: "fb-form", hidden: true, "aria-label": "Feedback details" },
    el("label", { for: `fb-comment-${n}` }, "Comment (optional) 意见"), comment,
    el("label", { for: `fb-corrected-${n}` }, "Corrected answer (optional) 正确答案"), corrected,
    el("button", { type: "submit", class: "fb-send" }, "Send feedback 提交"));
  const choose = (value) => () => {
    rating = value;
    up.setAttribute("aria-pressed", String(value === "up"));
    down.setAttribute("aria-pressed", String(value === "down"));
    form.hidden = false;
    comment.focus();
  };
  const up = el("button", { type: "button", class: "fb-up", "aria-pressed": "false", "aria-label": "Helpful 有用", onclick: choose("up") }, "👍");
  const down = el("button", { type: "button", class: "fb-down", "aria-pressed": "false", "aria-label": "Not helpful 没用", onclick: choose("down") }, "👎");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { question: answer.question, answer: answer.answer, citations: answer.citations, rating };
    if (comment.value.trim()) body.comment = comment.value.trim();
    if (corrected.value.trim()) body.corrected_answer = corrected.value.trim();
    status.textContent = "Sending…";
    try {
      const saved = await postJSON("/v1/feedback", body);
      status.textContent = `Thank you — feedback saved (${saved.id}). 已保存`;
      form.hidden = true;
    } catch (err) {
      status.textContent = `Feedback not saved: ${err.message}`;
      status.classList.add("bad");
    }
  });
  return el("div", { class: "feedback", role: "group", "aria-label": "Rate this answer" },
    el("span", { class: "hint" }, "Was this right? "), up, down, form, status);
}
