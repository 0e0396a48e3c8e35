/*
 * 惠企政策助手 · shared page module: talking to the assistant (same origin).
 *
 * The REST channel of docs/contract.md §1 (POST /webhooks/rest/webhook with a sender id), and the page helpers of
 * §E1: the conversation's history, the store's words (GET /chat/policy), the clauses, facts described by the
 * assistant (POST /chat/describe). The conversation is the server's (§E14): started by POST /chat/conversation,
 * bound to this browser by an HttpOnly cookie that every same-origin request carries; its id is never put in an
 * address.
 */

export const REST_URL = "/webhooks/rest/webhook";
export const SENDER_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const REPLY_TIMEOUT_MS = 90 * 1000;
const JSON_HEADERS = { Accept: "application/json" };

function hex(b) {
  return (b < 16 ? "0" : "") + b.toString(16);
}

/** A fresh conversation id: a prefix and 20 random hex digits. */
export function newSenderId(prefix = "web-") {
  return randomId(prefix);
}

/** A fresh id for one message (§E11): sent again with it, a message whose reply was lost is answered only once. */
export function newMessageId() {
  return randomId("m-");
}

function randomId(prefix) {
  const bytes = new Uint8Array(10);
  window.crypto.getRandomValues(bytes);
  return prefix + Array.prototype.map.call(bytes, hex).join("");
}

/** This browser's conversation id: the one its cookie holds (GET /chat/conversation), else a new one the server
    starts and binds to this browser (POST). Rejects when neither can be had. */
export function openConversation() {
  const start = () => fetch("/chat/conversation", { method: "POST", headers: JSON_HEADERS, credentials: "same-origin" })
    .then((made) => {
      if (!made.ok) throw new Error("HTTP " + made.status);
      return made.json();
    });
  return fetch("/chat/conversation", { headers: JSON_HEADERS, credentials: "same-origin" })
    .then((r) => (r.ok ? r.json() : null))
    .then((held) => (held && held.sender ? held : start()))
    .then((body) => {
      if (!body || !SENDER_PATTERN.test(body.sender || "")) throw new Error("no conversation");
      return body.sender;
    });
}

function getJson(url) {
  return fetch(url, { headers: JSON_HEADERS }).then((r) => {
    if (!r.ok) throw new Error("HTTP " + r.status);
    return r.json();
  });
}

/** 政策找企业: what newly applies since the owner's last visit, said once (history items), or []. */
export function loadNews() {
  return fetch("/chat/news", { method: "POST", headers: JSON_HEADERS, credentials: "same-origin" })
    .then((r) => (r.ok ? r.json() : []))
    .then((items) => (Array.isArray(items) ? items : []))
    .catch(() => []);
}

/** One message to the assistant; resolves to the REST channel's list of bot messages. A retry passes the first
    attempt's `messageId`. */
export function post(sender, text, messageId) {
  const abort = new AbortController();
  const timer = window.setTimeout(() => abort.abort(), REPLY_TIMEOUT_MS);
  return fetch(REST_URL, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(messageId ? { sender, message: text, message_id: messageId } : { sender, message: text }),
    signal: abort.signal
  }).then((r) => {
    if (!r.ok) throw new Error("HTTP " + r.status);
    return r.json();
  }).then((replies) => (Array.isArray(replies) ? replies : [])).finally(() => {
    window.clearTimeout(timer);
  });
}

/** This browser's conversation's messages since its last restart, or only those after `after` (seconds, as the
    items' `time`); [] when they cannot be read. */
export function loadHistory(after) {
  const since = typeof after === "number" && after > 0 ? "?after=" + encodeURIComponent(String(after)) : "";
  return getJson("/chat/history" + since)
    .then((items) => (Array.isArray(items) ? items : []))
    .catch(() => []);
}

/** The store's words for the pages, or null. */
export function loadPolicyInfo() {
  return getJson("/chat/policy").catch(() => null);
}

let clauses = null;

/** Every clause of the notice by its label, loaded once. */
export function loadClauses() {
  if (!clauses) {
    clauses = getJson("/chat/clauses").catch((e) => { clauses = null; throw e; });
  }
  return clauses;
}

const described = new Map();

/** Facts and class as the assistant words them: {sme_class: "<class label>", facts: [{name, label, value}]}. */
export function describe(facts, smeClass) {
  const body = JSON.stringify({ facts: facts || {}, sme_class: smeClass === undefined ? null : smeClass });
  if (!described.has(body)) {
    const request = fetch("/chat/describe", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body
    }).then((r) => {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    }).catch((e) => { described.delete(body); throw e; });
    described.set(body, request);
  }
  return described.get(body);
}
