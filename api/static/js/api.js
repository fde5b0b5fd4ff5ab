// Talking to the service: JSON calls with the API key, readable errors, and the streaming chat.

const KEY_STORE = "reportqa.key";

export function apiKey() {
  try { return localStorage.getItem(KEY_STORE) || ""; } catch { return ""; }
}

export function setApiKey(key) {
  try { key ? localStorage.setItem(KEY_STORE, key) : localStorage.removeItem(KEY_STORE); } catch { /* private mode */ }
}

function headers(json) {
  const h = {};
  if (json) h["Content-Type"] = "application/json";
  const key = apiKey();
  if (key) h["Authorization"] = `Bearer ${key}`;
  return h;
}

/** An error whose message is the API's `detail` (or what went wrong on the way). */
export class ApiError extends Error {
  constructor(message, status) { super(message); this.status = status; }
}

async function failure(response) {
  let detail = "";
  try { detail = (await response.json()).detail; } catch { /* not JSON */ }
  if (typeof detail !== "string") detail = detail ? JSON.stringify(detail) : "";
  const hint = response.status === 401 || response.status === 403 ? " (check the API key above)" : "";
  return new ApiError(`${response.status}: ${detail || response.statusText || "request failed"}${hint}`, response.status);
}

async function send(path, init) {
  let response;
  try {
    response = await fetch(path, init);
  } catch (err) {
    throw new ApiError(`Could not reach the service (${err.message}). Is it running?`, 0);
  }
  if (!response.ok) throw await failure(response);
  return response;
}

export async function getJSON(path) {
  return (await send(path, { headers: headers(false) })).json();
}

export async function postJSON(path, body) {
  return (await send(path, { method: "POST", headers: headers(true), body: JSON.stringify(body) })).json();
}

/**
 * POST the whole conversation to /v1/chat/completions with stream: true.
 * Calls onDelta(text) for every content delta; resolves with the final chunk's `reportqa` answer.
 */
export async function streamChat(messages, onDelta) {
  const response = await send("/v1/chat/completions", {
    method: "POST", headers: headers(true), body: JSON.stringify({ model: "reportqa", messages, stream: true }),
  });
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "", answer = null, done = false;
  while (!done) {
    const { value, done: end } = await reader.read();
    if (end) break;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const event = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const data = event.split("\n").filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trimStart()).join("\n");
      if (!data) continue;
      if (data === "[DONE]") { done = true; break; }
      const chunk = JSON.parse(data);
      if (chunk.error) throw new ApiError(chunk.error.message || JSON.stringify(chunk.error), 500);
      const delta = chunk.choices?.[0]?.delta?.content;
      if (delta) onDelta(delta);
      if (chunk.reportqa) answer = chunk.reportqa;
    }
  }
  if (!answer) throw new ApiError("the stream ended without the answer's citations (no `reportqa` field)", 0);
  return answer;
}
