/*
 * 惠企政策助手 · 聊天页面（/chat/）: the page itself — rows, bubbles, times, the typing indicator, the composer,
 * the clause dialog, sending in order, re-rendering the history after a reload.
 *
 * What it shows comes from the shared modules (bot/web/shared/, served at /chat/shared/): the payloads' cards
 * (cards.js), numbers and the store's words (format.js), the REST channel and the page helpers (transport.js),
 * nodes built as text only (dom.js). The greeting and every label come from GET /chat/policy: this page holds no
 * policy wording. It runs under a Content-Security-Policy without inline script or style.
 */

import {
  handoffSummary, renderChecklist, renderHandoff, renderOptions, renderResult, resultSummary, retireChips
} from "/chat/shared/cards.js";
import { announce as announceIn, hidden, node, clear } from "/chat/shared/dom.js";
import { formatTime, policyInfo, setPolicyInfo, word } from "/chat/shared/format.js";
import { loadClauses, loadHistory, loadNews, loadPolicyInfo, newMessageId, openConversation, post } from "/chat/shared/transport.js";

const TIME_GAP_MS = 5 * 60 * 1000;
const POLL_MS = 2000;  // how often the page looks for a person's words while one is asked for or has joined

let els = {};
let sender = null;
let title = "";
let lastTimeShown = 0;
let queue = Promise.resolve();
let activeChips = [];
let lastResult = null;
let dialogOpener = null;
let person = null;      // {status: "waiting" | "taken", operator} while a person is asked for or has joined
let lastSeen = 0;       // the `time` of the latest history item seen (seconds)
let poller = null;

const ctx = {
  send: (text) => send(text),
  announce: (text) => announce(text),
  openClause: (label, opener) => openClause(label, opener),
  track: (group) => activeChips.push(group)
};

// ---------------------------------------------------------------- status and scrolling

function announce(text) {
  announceIn(els.status, text);
}

function scrollToEnd() {
  els.messages.scrollTop = els.messages.scrollHeight;
}

/* A message taller than the view (a card, a checklist) is shown from its top, so it is read from the beginning. */
function showTopOf(row) {
  if (!row) return;
  const top = row.getBoundingClientRect().top - els.messages.getBoundingClientRect().top;
  if (top < 0) els.messages.scrollTop += top - 8;
}

// ---------------------------------------------------------------- rows, bubbles, times

function addTime(ms) {
  if (ms - lastTimeShown < TIME_GAP_MS) return;
  lastTimeShown = ms;
  const t = node("time", "time", formatTime(ms));
  t.setAttribute("datetime", new Date(ms).toISOString());
  els.messages.appendChild(t);
}

function avatar(from) {
  const img = node("img", "avatar");
  img.src = "/chat/avatar-" + (from === "user" || from === "operator" ? from : "bot") + ".svg";
  img.alt = "";
  img.setAttribute("aria-hidden", "true");
  return img;
}

function addRow(from, ms) {
  addTime(ms);
  const row = node("div", "row row-" + from);
  const body = node("div", "row-body");
  row.appendChild(avatar(from));
  row.appendChild(body);
  els.messages.appendChild(row);
  return body;
}

function addBubble(from, text, ms, speaker) {
  const body = addRow(from, ms);
  if (speaker) body.appendChild(node("span", "speaker", speaker));
  const bubble = node("div", "bubble");
  bubble.appendChild(hidden(from === "user" ? "我说：" : speaker ? speaker + "说：" : "助手说："));
  bubble.appendChild(document.createTextNode(text));
  body.appendChild(bubble);
  scrollToEnd();
  return body;
}

function addNotice(text, retry) {
  const p = node("div", "notice", text);
  p.setAttribute("role", "alert");
  if (retry) {
    const b = node("button", "notice-retry", "重试");
    b.type = "button";
    b.setAttribute("aria-label", "重新发送这条消息");
    b.addEventListener("click", () => {
      p.remove();
      retry();
    });
    p.appendChild(b);
  }
  els.messages.appendChild(p);
  scrollToEnd();
}

function showTyping() {
  hideTyping();
  const row = node("div", "row row-bot typing");
  row.id = "typing";
  row.setAttribute("aria-hidden", "true");
  const bubble = node("div", "bubble typing-bubble");
  for (let i = 0; i < 3; i++) bubble.appendChild(node("span", "typing-dot"));
  const body = node("div", "row-body");
  body.appendChild(bubble);
  row.appendChild(avatar("bot"));
  row.appendChild(body);
  els.messages.appendChild(row);
  els.title.textContent = "对方正在输入…";
  announce("助手正在输入…");
  scrollToEnd();
}

function hideTyping() {
  const t = document.getElementById("typing");
  if (t) t.remove();
  els.title.textContent = title;
}

function deactivateChips() {
  retireChips(activeChips);
  activeChips = [];
}

// ---------------------------------------------------------------- clause viewer

function openClause(label, opener) {
  const info = policyInfo();
  dialogOpener = opener || null;
  els.clauseTitle.textContent = label;
  els.clauseHeading.textContent = "正在加载条款原文…";
  els.clauseText.textContent = "";
  els.clauseSource.textContent = info ? "出自《" + info.title + "》（" + info.issuer + "）" : "";
  if (!els.dialog.open) els.dialog.showModal();
  els.clauseClose.focus();
  loadClauses().then((all) => {
    const clause = all[label];
    els.clauseHeading.textContent = clause ? clause.heading : "";
    els.clauseText.textContent = clause ? clause.text : "暂未找到该条款的原文。";
  }, () => {
    els.clauseHeading.textContent = "";
    els.clauseText.textContent = "条款原文加载失败，请稍后再试。";
  });
}

// ---------------------------------------------------------------- bot messages

function isCustom(m, type) {
  return m && m.custom && typeof m.custom === "object" && (!type || m.custom.type === type);
}

/* The assessment in words (policy_db.report.render) opens with the expiry notice ("提示：") or the SME class under
   the store's heading; any other text before a result (a correction's "已更正……") stays a bubble of its own. */
function isReport(text) {
  const first = text.replace(/^\s+/, "").split("\n")[0];
  const heading = word("class_heading");
  return first.startsWith("提示：") || (heading !== "" && first.startsWith(heading + "："));
}

function showResult(body, p, text) {
  lastResult = p;
  renderResult(body, p, text, ctx);
}

/* Renders one reply of the bot (the REST channel's list): a text and the payload after it belong together. */
function renderBotMessages(messages, ms) {
  ms = ms || Date.now();
  let body = null;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i] || {};
    const next = messages[i + 1];
    if (typeof m.text === "string" && m.text) {
      if (isCustom(next, "result") && isReport(m.text)) {
        // The text is the result in words: it goes into the card, folded.
        showResult(addRow("bot", ms), next.custom, m.text);
        i++;
        continue;
      }
      let text = m.text;
      if (isCustom(next, "ask") && next.custom.multi && Array.isArray(next.custom.options)) {
        text = text.split("\n")[0];  // the numbered list becomes the chips
      }
      body = addBubble("bot", text, ms);
      if (Array.isArray(m.buttons) && m.buttons.length) {
        renderOptions(body, m.buttons.map((b) => String(b.title || b.payload)), ctx);
      }
      continue;
    }
    if (isCustom(m)) renderCustom(m.custom, body, ms);
  }
  scrollToEnd();
  showTopOf(els.messages.lastElementChild);
}

function renderCustom(p, body, ms) {
  if (p.type === "ask" || p.type === "confirm" || p.type === "consent") {  // a question, a guess to confirm (E12), the last question (E16)
    if (body) body.dataset.ask = p.multi ? "checklist" : p.type === "ask" ? String(p.fact || "") : p.type;
    if (!Array.isArray(p.options) || !p.options.length) return;
    const target = body || addRow("bot", ms);
    if (p.multi) renderChecklist(target, p, ctx); else renderOptions(target, p.options, ctx);
  } else if (p.type === "result") {
    showResult(addRow("bot", ms), p, null);
  } else if (p.type === "handoff") {
    renderHandoff(addRow("bot", ms), p, ctx);
    if (!person) {
      addSystemLine(word("handoff_waiting"));
      person = { status: "waiting", operator: null };
      startPolling();
    }
  }
  scrollToEnd();
}

// ---------------------------------------------------------------- a person joins (docs/contract.md E7)

function addSystemLine(text) {
  if (!text) return;
  els.messages.appendChild(node("p", "system-line", text));
  scrollToEnd();
}

function operatorName(operator) {
  return word("operator_label") + (operator || "");
}

/* What a person said or did, from the history: their words, a result card they sent, a joined / left notice. */
function renderPersonItem(item, ms) {
  if (item.from === "notice") {
    addSystemLine(String(item.text || ""));
    if (item.event === "joined") person = { status: "taken", operator: item.operator || "" };
    if (item.event === "left") person = null;
    showWho();
  } else if (item.custom) {
    renderCustom(item.custom, null, ms);
  } else {
    addBubble("operator", String(item.text || ""), ms, operatorName(item.operator));
  }
}

function showWho() {
  title = person && person.status === "taken" ? operatorName(person.operator) : els.title.dataset.title;
  if (!document.getElementById("typing")) els.title.textContent = title;
}

function startPolling() {
  if (poller) return;
  poller = window.setInterval(poll, POLL_MS);
}

function stopPolling() {
  if (poller) window.clearInterval(poller);
  poller = null;
}

/* Only a person's words and notices are taken from polling: the assistant's replies come with each message sent. */
function poll() {
  if (!person) { stopPolling(); return; }
  loadHistory(lastSeen).then((items) => {
    items.forEach((item) => {
      if (typeof item.time === "number" && item.time > lastSeen) lastSeen = item.time;
      if (item.from === "operator" || item.from === "notice") renderPersonItem(item, (item.time || 0) * 1000);
    });
    if (!person) stopPolling();
  });
}

// ---------------------------------------------------------------- sending

function send(text) {
  if (!text || !text.trim()) return;
  deactivateChips();
  addBubble("user", text, Date.now());
  deliver(text, newMessageId());
}

/* A retry sends the same message id: had the first attempt reached the assistant, it is answered, not run again. */
function deliver(text, messageId) {
  queue = queue.then(() => {
    showTyping();
    return post(sender, text, messageId).then((replies) => {
      hideTyping();
      renderBotMessages(replies, Date.now());
      els.status.textContent = "";  // the log itself announces the new messages
    }, () => {
      hideTyping();
      addNotice("网络异常，消息没有发出去。", () => deliver(text, messageId));
    });
  });
  return queue;
}

function restart() {
  deactivateChips();
  person = null;
  stopPolling();
  showWho();
  els.input.value = "";
  queue = queue.then(() => post(sender, "/restart").then((replies) => {
    clearView();
    renderBotMessages(replies, Date.now());
    announce("对话已重新开始");
  }, () => {
    addNotice("网络异常，没能重新开始，请稍后再试。", restart);
  }));
  return queue;
}

/* The greeting is the assistant's own (GET /chat/policy), shown before anything is said. */
function greet(ms) {
  const info = policyInfo();
  if (info && info.greeting) addBubble("bot", info.greeting, ms);
}

function clearView() {
  activeChips = [];
  lastResult = null;
  lastTimeShown = 0;
  clear(els.messages);
  greet(Date.now());
}

// ---------------------------------------------------------------- history after a reload

function renderHistory(items) {
  const first = items.length && items[0].time ? items[0].time * 1000 : Date.now();
  greet(first);
  let batch = [];
  let batchTime = first;
  function flush() {
    if (batch.length) renderBotMessages(batch, batchTime);
    batch = [];
  }
  items.forEach((item) => {
    const ms = item.time ? item.time * 1000 : Date.now();
    if (typeof item.time === "number" && item.time > lastSeen) lastSeen = item.time;
    if (item.from === "operator" || item.from === "notice") {
      flush();
      renderPersonItem(item, ms);
      return;
    }
    if (item.from === "user") {
      flush();
      deactivateChips();
      addBubble("user", String(item.text || ""), ms);
    } else {
      if (!batch.length) batchTime = ms;
      batch.push(item.custom ? { custom: item.custom } : { text: String(item.text || "") });
    }
  });
  flush();
  if (person) startPolling();
}

// ---------------------------------------------------------------- start

function bind() {
  els.composer.addEventListener("submit", (e) => {
    e.preventDefault();
    const text = els.input.value;
    if (!text.trim()) {
      els.input.focus();
      return;
    }
    els.input.value = "";
    send(text);
    els.input.focus();
  });
  els.input.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      els.composer.requestSubmit();
    }
  });
  els.restart.addEventListener("click", () => { restart(); });
  els.clauseClose.addEventListener("click", () => els.dialog.close());
  els.dialog.addEventListener("click", (e) => {
    if (e.target === els.dialog) els.dialog.close();  // a click on the backdrop
  });
  els.dialog.addEventListener("close", () => {
    if (dialogOpener && document.contains(dialogOpener)) dialogOpener.focus();
    dialogOpener = null;
  });
}

function start() {
  const byId = (id) => document.getElementById(id);
  els = {
    title: byId("chat-title"), messages: byId("messages"), status: byId("status"), composer: byId("composer"),
    input: byId("input"), restart: byId("restart"), dialog: byId("clause-dialog"), clauseTitle: byId("clause-title"),
    clauseHeading: byId("clause-heading"), clauseText: byId("clause-text"), clauseSource: byId("clause-source"),
    clauseClose: byId("clause-close")
  };
  title = els.title.textContent;
  els.title.dataset.title = title;
  bind();
  els.messages.setAttribute("aria-busy", "true");
  queue = Promise.all([loadPolicyInfo(), openConversation().then((id) => {
    sender = id;
    return loadHistory();
  }, () => [])]).then(([info, items]) => {
    setPolicyInfo(info);
    renderHistory(items);
    return items.length ? loadNews() : [];  // a returning owner reads first what newly applies
  }).then((news) => {
    if (news.length) renderBotMessages(news.map((item) => ({ text: String(item.text || "") })));
    els.messages.setAttribute("aria-busy", "false");
    document.documentElement.dataset.ready = "true";
  });
}

// For tests and integrators: render a payload as if the bot had sent it, read the summaries (promises of text).
window.HuiqiChat = {
  renderBotMessages,
  resultSummary,
  handoffSummary,
  lastResult: () => lastResult,
  person: () => person,
  sender: () => sender,
  send,
  restart,
  idle: () => queue
};

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
