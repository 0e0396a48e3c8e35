/*
 * 惠企政策助手 · 接线员控制台（/console/）: phone-call assist.
 *
 * Sign-in with the operator token (kept in this tab's sessionStorage, sent only in the Authorization header), then
 * one call per tab with its own conversation id (call-…). The operator types what the caller says; each line goes to
 * POST /console/api/message, which runs it through the same REST channel handler, NLU and dialogue as the chat.
 * Beside the transcript, from the payloads only: the next question (the last `ask`'s text) as the script line, the
 * SME class, the facts understood (worded by POST /chat/describe), the measures (the shared result card), the
 * departments. Every label and sentence about the policy comes from the payloads or GET /chat/policy.
 */

import { renderResult } from "/chat/shared/cards.js";
import { clear, node } from "/chat/shared/dom.js";
import { classLabel, setPolicyInfo, word } from "/chat/shared/format.js";
import { describe, loadClauses, loadPolicyInfo, newSenderId } from "/chat/shared/transport.js";

const TOKEN_KEY = "huiqi-console-token";
const CALL_KEY = "huiqi-console-call";
const CALL_PATTERN = /^call-[A-Za-z0-9_-]{1,59}$/;

let els = {};
let token = null;
let call = null;
let queue = Promise.resolve();
let pending = 0;
let lastResult = null;
let lastAsk = null;
let script = "";
let handoff = null;

const ctx = {
  send: (text) => enqueue(text),
  announce: (text) => announce(text),
  openClause: (label) => openClause(label),
  track: () => {}
};

function announce(text) {
  els.status.textContent = "";
  window.setTimeout(() => { els.status.textContent = text; }, 30);
}

function stored(key) {
  try { return window.sessionStorage.getItem(key); } catch (e) { return null; }
}

function store(key, value) {
  try {
    if (value === null) window.sessionStorage.removeItem(key); else window.sessionStorage.setItem(key, value);
  } catch (e) { /* storage blocked: the sign-in lasts as long as the page */ }
}

function api(path, options = {}) {
  const headers = Object.assign({ Accept: "application/json", Authorization: "Bearer " + token }, options.headers || {});
  return fetch("/console/api/" + path, Object.assign({}, options, { headers })).then((r) => {
    if (r.status === 401) {
      signOut("令牌无效或已更换，请重新登录");
      throw new Error("401");
    }
    if (!r.ok) throw new Error("HTTP " + r.status);
    return r.json();
  });
}

// ---------------------------------------------------------------- sign-in

function showSignIn(message) {
  els.call.hidden = true;
  els.signin.hidden = false;
  [els.newCall, els.signOut, els.callLabel].forEach((e) => { e.hidden = true; });
  els.signinError.textContent = message || "";
  els.token.value = "";
  els.token.focus();
  document.documentElement.dataset.view = "signin";
}

function signOut(message) {
  token = null;
  store(TOKEN_KEY, null);
  showSignIn(message);
}

function check(candidate) {
  return fetch("/console/api/session", {
    headers: { Accept: "application/json", Authorization: "Bearer " + candidate }
  }).then((r) => r.ok);
}

function signIn(event) {
  event.preventDefault();
  const candidate = els.token.value.trim();
  if (!candidate) return;
  check(candidate).then((ok) => {
    if (!ok) {
      showSignIn("令牌不正确");
      return;
    }
    token = candidate;
    store(TOKEN_KEY, token);
    startCall();
  }, () => showSignIn("无法连接助手，请稍后再试"));
}

// ---------------------------------------------------------------- the call

function startCall() {
  call = stored(CALL_KEY);
  if (!call || !CALL_PATTERN.test(call)) {
    call = newSenderId("call-");
    store(CALL_KEY, call);
  }
  els.signin.hidden = true;
  els.call.hidden = false;
  [els.newCall, els.signOut, els.callLabel].forEach((e) => { e.hidden = false; });
  els.callLabel.textContent = "通话编号 " + call;
  document.documentElement.dataset.view = "call";
  resetPanel();
  api("history?sender=" + encodeURIComponent(call)).then((items) => {
    items.forEach((item) => {
      if (item.from === "user") addLine("caller", item.text);
      else if (item.text) addLine("bot", item.text);
      else if (item.custom) take([{ custom: item.custom }]);
    });
    // the script line is the text before the last ask: replay it from the history's order
    replayScript(items);
    renderPanel();
  }).catch(() => {}).finally(() => { els.input.focus(); });
}

function replayScript(items) {
  let lastText = "";
  items.forEach((item) => {
    if (item.from !== "bot") { lastText = ""; return; }
    if (item.text) lastText = item.text;
    else if (item.custom && item.custom.type === "ask") script = lastText;
  });
}

function newCall() {
  store(CALL_KEY, null);
  clear(els.transcript);
  startCall();
}

function resetPanel() {
  lastResult = null;
  lastAsk = null;
  script = "";
  handoff = null;
  clear(els.transcript);
  renderPanel();
}

function addLine(from, text) {
  const line = node("div", "line line-" + from);
  line.appendChild(node("span", "line-who", from === "caller" ? "来电人" : "助手"));
  if (from === "bot" && text.length > 160) {
    // a long answer (a result in words) is folded after its first line; the panel shows it in full
    const more = node("details", "line-more");
    more.appendChild(node("summary", "", text.split("\n")[0].slice(0, 80) + "…"));
    more.appendChild(node("p", "line-text", text));
    line.appendChild(more);
  } else {
    line.appendChild(node("p", "line-text", text));
  }
  els.transcript.appendChild(line);
  els.transcript.scrollTop = els.transcript.scrollHeight;
}

/** What a reply batch changes in the picture: the last result, the last ask and its text, a hand-off. */
function take(replies) {
  let lastText = "";
  replies.forEach((r) => {
    if (r.text) lastText = r.text;
    const c = r.custom;
    if (!c || typeof c !== "object") return;
    if (c.type === "result") lastResult = c;
    else if (c.type === "ask") { lastAsk = c; script = lastText; }
    else if (c.type === "handoff") handoff = c;
  });
}

function enqueue(text) {
  pending += 1;
  els.root.dataset.busy = "true";
  addLine("caller", text);
  queue = queue.then(() => api("message", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ sender: call, message: text })
  }).then((replies) => {
    const list = Array.isArray(replies) ? replies : [];
    const asked = list.some((r) => r.custom && r.custom.type === "ask");
    if (!asked) { lastAsk = null; script = ""; }
    list.forEach((r) => { if (r.text) addLine("bot", r.text); });
    take(list);
    return renderPanel();
  }).catch((e) => {
    if (String(e.message) !== "401") addLine("bot", "（发送失败，请重试）");
  }).finally(() => {
    pending -= 1;
    if (!pending) els.root.dataset.busy = "false";
  }));
  return queue;
}

function submitLine(event) {
  event.preventDefault();
  const text = els.input.value.trim();
  if (!text) return;
  els.input.value = "";
  enqueue(text);
}

// ---------------------------------------------------------------- the panel

function departments(p) {
  const seen = [];
  (p.measures || []).forEach((m) => {
    if (m.status === "ineligible") return;
    (m.departments || []).forEach((d) => { if (!seen.includes(d)) seen.push(d); });
  });
  return seen;
}

function renderPanel() {
  const heading = word("class_heading");
  if (heading) els.classHeading.textContent = heading;
  els.script.textContent = script || "";
  els.script.dataset.ask = lastAsk ? (lastAsk.multi ? "checklist" : lastAsk.fact || "") : "";
  const enterprise = (lastResult && lastResult.enterprise) || (handoff ? { facts: handoff.facts, sme_class: handoff.sme_class } : null);
  const facts = (enterprise && enterprise.facts) || {};
  const cls = enterprise ? (enterprise.sme_class === undefined ? null : enterprise.sme_class) : null;
  els.smeClass.dataset.smeClass = cls || "";
  els.smeClass.textContent = classLabel(cls);
  clear(els.departments);
  const deps = lastResult ? departments(lastResult) : ((handoff && handoff.departments) || []);
  deps.forEach((d) => els.departments.appendChild(node("li", "", d)));
  clear(els.measures);
  if (lastResult) renderResult(els.measures, lastResult, null, ctx);
  const done = Object.keys(facts).length ? describe(facts, cls).then((d) => {
    els.smeClass.textContent = d.sme_class;
    clear(els.facts);
    d.facts.forEach((f) => {
      const row = node("div", "fact");
      row.dataset.fact = f.name;
      row.appendChild(node("dt", "", f.label));
      row.appendChild(node("dd", "", f.value));
      els.facts.appendChild(row);
    });
  }).catch(() => {}) : Promise.resolve(clear(els.facts));
  els.root.dataset.updated = String(Date.now());
  return done;
}

function openClause(label) {
  loadClauses().then((all) => {
    const c = all[label];
    if (!c) return;
    els.clauseTitle.textContent = label;
    els.clauseHeading.textContent = c.heading || "";
    els.clauseText.textContent = c.text || "";
    els.clauseBox.hidden = false;
    els.clauseBox.scrollIntoView({ block: "nearest" });
  }).catch(() => announce("条款原文暂时无法读取"));
}

// ---------------------------------------------------------------- start

function init() {
  const $ = (id) => document.getElementById(id);
  els = {
    root: document.documentElement, status: $("status"), signin: $("signin"), signinForm: $("signin-form"),
    signinError: $("signin-error"), token: $("token"), call: $("call"), newCall: $("new-call"),
    signOut: $("sign-out"), callLabel: $("call-label"), transcript: $("transcript"), form: $("caller-form"),
    input: $("caller-input"), script: $("script"), smeClass: $("sme-class"), classHeading: $("class-heading"),
    facts: $("facts"), departments: $("departments"), measures: $("measures"), clauseBox: $("clause-box"),
    clauseTitle: $("clause-title"), clauseHeading: $("clause-heading"), clauseText: $("clause-text")
  };
  els.signinForm.addEventListener("submit", signIn);
  els.form.addEventListener("submit", submitLine);
  els.input.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) submitLine(e);
  });
  els.newCall.addEventListener("click", newCall);
  els.signOut.addEventListener("click", () => signOut(""));
  window.HuiqiConsole = {
    idle: () => queue.then(() => undefined),
    lastResult: () => lastResult,
    lastAsk: () => lastAsk,
    call: () => call,
    send: (text) => enqueue(text)
  };
  loadPolicyInfo().then((info) => {
    setPolicyInfo(info);
    token = stored(TOKEN_KEY);
    return token ? check(token).then((ok) => (ok ? startCall() : signOut("")), () => showSignIn("")) : showSignIn("");
  }).finally(() => { els.root.dataset.ready = "true"; });
}

init();
