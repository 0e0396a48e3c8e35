/*
 * 惠企政策助手 · 接线员控制台（/console/）: phone-call assist, takeover of chat conversations, call records.
 *
 * For staff accounts (signed in at /staff/signin; the session is an HttpOnly cookie, every change carries its CSRF
 * token: shared/staff.js); what each role may do is the server's (bot/staff/roles.py). One conversation per tab:
 * a phone call (call-…, the operator types what the caller says; each line
 * goes through the same NLU and dialogue as the chat) or a chat conversation taken from the queue (the assistant is
 * paused; the operator's replies appear in the owner's chat, the owner's messages here). Beside it, the panel of
 * GET /console/api/state: facts (editable inline: an edit is a correction, told before → after), the class with its
 * rule row, the next question and why it is asked, the departments, the measures (the shared result card).
 * A call record (工单) shows its rows as the server words them and its measures with the result card's own renderer
 * (`renderSections`), in the sections the result gave them.
 * A supervisor also manages the accounts and reads the audit trail (supervision.js).
 * Every label and sentence about the policy comes from the payloads or GET /chat/policy (docs/contract.md E7).
 */

import { renderResult, renderSections, reportForm } from "/chat/shared/cards.js";
import { announce as announceIn, clear, node } from "/chat/shared/dom.js";
import { formatTime, handoffReason, setPolicyInfo, word } from "/chat/shared/format.js";
import { signOut, signedIn, staffFetch } from "/chat/shared/staff.js";
import { loadClauses, loadPolicyInfo, newSenderId } from "/chat/shared/transport.js";
import { showOutreach } from "/console/outreach.js";
import { showAccounts, showAudit } from "/console/supervision.js";

const CALL_KEY = "huiqi-console-call";
const CHAT_KEY = "huiqi-console-chat";
const CALL_PATTERN = /^call-[A-Za-z0-9_-]{1,59}$/;
const SENDER_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const POLL_MS = 2000;

let els = {};
let account = null;       // who is signed in: {login, display, role, role_label, csrf}
let operator = "";
let mode = "call";        // "call": a phone call typed here; "chat": a chat conversation taken over
let sender = null;
let queue = Promise.resolve();
let pending = 0;
let state = null;         // the last GET /console/api/state
let script = "";
let lastSeen = 0;         // the latest history time shown (chat mode)
let queueTimer = null;
let chatTimer = null;
let record = null;        // the record open in the records view
let lastQueue = [];

const ctx = {
  send: (text) => (mode === "call" ? enqueue(text) : undefined),
  announce: (text) => announce(text),
  openClause: (label) => openClause(label, els.clause),
  track: () => {}
};

// a call record's measures: their clauses open beside the record
const recordCtx = Object.assign({}, ctx, {
  send: () => undefined,
  openClause: (label) => openClause(label, els.recordClause)
});

function announce(text) {
  announceIn(els.status, text);
}

function stored(key) {
  try { return window.sessionStorage.getItem(key); } catch (e) { return null; }
}

function keep(key, value) {
  try {
    if (value === null) window.sessionStorage.removeItem(key); else window.sessionStorage.setItem(key, value);
  } catch (e) { /* storage blocked: the sign-in lasts as long as the page */ }
}

function api(path, options = {}) {
  const headers = Object.assign({ Accept: "application/json" }, options.headers || {});
  return staffFetch("/console/api/" + path, Object.assign({}, options, { headers })).then((r) => {
    return r.json().catch(() => ({})).then((body) => {
      if (!r.ok) throw new Error((body && body.error) || "HTTP " + r.status);
      return body;
    });
  });
}

function postJson(path, body) {
  return api(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
}

/** A read about one conversation: its id goes in a header, never in the address. */
function about(path, conversation) {
  return api(path, { headers: { "X-Huiqi-Sender": conversation } });
}

// ---------------------------------------------------------------- signed in

function enter(me) {
  account = me;
  operator = me.display;
  [els.nav, els.signOut, els.operatorLabel].forEach((e) => { e.hidden = false; });
  els.operatorLabel.textContent = me.role_label + "：" + operator;
  const supervisor = me.role === "supervisor";
  [els.navAccounts, els.navAudit].forEach((e) => { e.hidden = !supervisor; });
  const chat = stored(CHAT_KEY);
  if (chat && SENDER_PATTERN.test(chat)) openChat(chat); else startCall();
  pollQueue();
  queueTimer = window.setInterval(pollQueue, POLL_MS);
}

function stopTimers() {
  if (queueTimer) window.clearInterval(queueTimer);
  if (chatTimer) window.clearInterval(chatTimer);
  queueTimer = chatTimer = null;
}

const VIEWS = ["conversation", "queue", "records", "outreach", "accounts", "audit"];

function show(view) {
  VIEWS.forEach((v) => { els[v].hidden = v !== view; });
  els.nav.querySelectorAll("button").forEach((b) => {
    if (b.dataset.view === view) b.setAttribute("aria-current", "page"); else b.removeAttribute("aria-current");
  });
  document.documentElement.dataset.view = view === "conversation" ? mode : view;
  if (view === "records") searchRecords();
  if (view === "queue") renderQueue(lastQueue);
  if (view === "accounts") showAccounts(els.accounts, api, announce);
  if (view === "audit") showAudit(els.audit, api, announce);
  if (view === "outreach") showOutreach(api, announce);
}

// ---------------------------------------------------------------- the conversation (a call or a chat taken over)

function setMode(next) {
  mode = next;
  const call = mode === "call";
  els.transcriptTitle.textContent = call ? "通话记录" : "在线对话";
  els.callerLabel.textContent = call ? "来电人说（回车录入）" : "回复企业（回车发送）";
  els.callerSend.textContent = call ? "录入" : "发送";
  els.newCall.hidden = !call;
  els.endCall.hidden = !call;
  els.release.hidden = call;
}

function resetConversation() {
  state = null;
  script = "";
  lastSeen = 0;
  if (chatTimer) window.clearInterval(chatTimer);
  chatTimer = null;
  clear(els.transcript);
  renderPanel();
}

function startCall() {
  sender = stored(CALL_KEY);
  if (!sender || !CALL_PATTERN.test(sender)) {
    sender = newSenderId("call-");
    keep(CALL_KEY, sender);
  }
  setMode("call");
  resetConversation();
  els.callLabel.textContent = "通话编号 " + sender;
  show("conversation");
  about("history", sender).then((items) => {
    items.forEach(addItem);
    replayScript(items);
    return refresh();
  }).catch(() => {}).finally(() => { els.input.focus(); });
}

function newCall() {
  keep(CALL_KEY, null);
  startCall();
}

function openChat(chat) {
  sender = chat;
  keep(CHAT_KEY, chat);
  setMode("chat");
  resetConversation();
  els.callLabel.textContent = "对话编号 " + chat;
  show("conversation");
  pollChat().finally(() => { els.input.focus(); });
  chatTimer = window.setInterval(pollChat, POLL_MS);
}

/** New lines of the chat taken over (the owner's, the assistant's, the operator's own), then the panel. */
function pollChat() {
  const chat = sender;
  return about("history" + (lastSeen ? "?after=" + lastSeen : ""), chat).then((items) => {
    if (chat !== sender || mode !== "chat") return undefined;
    items.forEach((item) => {
      if (typeof item.time === "number" && item.time > lastSeen) lastSeen = item.time;
      addItem(item);
    });
    replayScript(items);
    return items.length || !state ? refresh() : undefined;
  }).catch(() => {});
}

function whoOf(item) {
  if (item.from === "user") return mode === "call" ? "来电人" : "企业";
  if (item.from === "operator") return item.operator === operator ? "我" : word("operator_label") + (item.operator || "");
  return "助手";
}

function addItem(item) {
  if (item.from === "notice") addNoticeLine(item.text);
  else if (item.text) addLine(item.from === "user" ? "caller" : item.from === "operator" ? "operator" : "bot",
    item.text, whoOf(item));
}

function addNoticeLine(text) {
  els.transcript.appendChild(node("p", "line-notice", String(text || "")));
  els.transcript.scrollTop = els.transcript.scrollHeight;
}

function replayScript(items) {
  let lastText = "";
  items.forEach((item) => {
    if (item.from !== "bot") { lastText = ""; return; }
    if (item.text) lastText = item.text;
    else if (item.custom && ["ask", "confirm", "consent"].includes(item.custom.type)) script = lastText;
  });
}

function addLine(from, text, who) {
  const line = node("div", "line line-" + from);
  line.appendChild(node("span", "line-who", who));
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

function busy(delta) {
  pending += delta;
  els.root.dataset.busy = pending ? "true" : "false";
}

/** A caller's line (call mode): through the dialogue in the call's own conversation. */
function enqueue(text) {
  busy(1);
  addLine("caller", text, "来电人");
  queue = queue.then(() => postJson("message", { sender, message: text }).then((replies) => {
    const list = Array.isArray(replies) ? replies : [];
    let lastText = "";
    let asked = false;
    list.forEach((r) => {
      if (r.text) { addLine("bot", r.text, "助手"); lastText = r.text; }
      if (r.custom && ["ask", "confirm", "consent"].includes(r.custom.type)) { asked = true; script = lastText; }
    });
    if (!asked) script = "";
    return refresh();
  }).catch((e) => {
    if (String(e.message) !== "401") addLine("bot", "（发送失败，请重试）", "助手");
  }).finally(() => busy(-1)));
  return queue;
}

/** The operator's reply (chat mode): said in the owner's chat. */
function reply(text) {
  busy(1);
  queue = queue.then(() => postJson("takeover/reply", { sender, text }).then(() => pollChat())
    .catch((e) => { if (String(e.message) !== "401") addNoticeLine("（发送失败：" + e.message + "）"); })
    .finally(() => busy(-1)));
  return queue;
}

function submitLine(event) {
  event.preventDefault();
  const text = els.input.value.trim();
  if (!text) return;
  els.input.value = "";
  if (mode === "call") enqueue(text); else reply(text);
}

function endCall() {
  busy(1);
  queue = queue.then(() => postJson("records", { sender }).then((r) => {
    keep(CALL_KEY, null);
    showRecord(r);
    show("records");
    announce("通话已结束，工单已生成");
  }).catch((e) => announce("生成工单失败：" + e.message)).finally(() => busy(-1)));
}

function release() {
  busy(1);
  queue = queue.then(() => postJson("takeover/release", { sender }).then((r) => {
    keep(CHAT_KEY, null);
    if (chatTimer) window.clearInterval(chatTimer);
    chatTimer = null;
    showRecord(r.record);
    show("records");
    announce("已交还助手，工单已生成");
    keep(CALL_KEY, null);
    sender = null;
  }).catch((e) => announce("结束接入失败：" + e.message)).finally(() => busy(-1)));
}

// ---------------------------------------------------------------- the panel

function refresh() {
  const asked = sender;
  return about("state", asked).then((s) => {
    if (asked !== sender) return;
    state = s;
    renderPanel();
  }).catch(() => {});
}

function renderPanel() {
  const heading = word("class_heading");
  if (heading) els.classHeading.textContent = heading;
  els.script.textContent = script || "";
  const next = state && state.next;
  const ask = state && state.ask;
  els.script.dataset.ask = ask ? (ask.multi ? "checklist" : String(ask.fact || "")) : "";
  els.why.textContent = next && next.why ? "为什么问：" + next.why : "";
  const cls = state ? state.sme_class : null;
  const hasFacts = Boolean(state && state.facts.length);
  els.smeClass.dataset.smeClass = (cls && cls.value) || "";
  els.smeClass.textContent = hasFacts && cls ? cls.label : "";
  els.classRule.textContent = hasFacts && cls ? cls.rule : "";
  renderFacts();
  clear(els.departments);
  (hasFacts ? state.departments : []).forEach((d) => els.departments.appendChild(node("li", "", d)));
  clear(els.measures);
  clear(els.reportSlot);
  if (hasFacts) {
    renderResult(els.measures, state.result, null, ctx);
    els.reportSlot.appendChild(reportForm(state.result));
  }
  els.root.dataset.updated = String(Date.now());
}

function renderFacts() {
  clear(els.facts);
  clear(els.addFactName);
  if (!state) return;
  state.facts.forEach((f) => {
    const row = node("div", "fact");
    row.dataset.fact = f.name;
    row.appendChild(node("dt", "", f.label));
    const dd = node("dd", "");
    dd.appendChild(node("span", "fact-value", f.value));
    if (f.source) dd.appendChild(node("span", "fact-source", f.source));
    const edit = node("button", "fact-edit", "修改");
    edit.type = "button";
    edit.setAttribute("aria-label", "修改" + f.label);
    edit.addEventListener("click", () => openEditor(row, f));
    dd.appendChild(edit);
    row.appendChild(dd);
    els.facts.appendChild(row);
  });
  state.editable.forEach((f) => {
    const o = node("option", "", f.label);
    o.value = f.name;
    els.addFactName.appendChild(o);
  });
  els.addFact.hidden = !state.editable.length || (mode === "chat" && !takenByMe());
}

function takenByMe() {
  const s = state && state.standing;
  return Boolean(s && s.status === "taken" && account && s.account === account.login);
}

/** An inline editor for one fact: a choice for yes/no, industries and legal forms; text for numbers ("180万"). */
function openEditor(row, f) {
  if (row.querySelector(".fact-editor")) return;
  const form = node("form", "fact-editor");
  form.setAttribute("autocomplete", "off");
  const id = "edit-" + f.name;
  const label = node("label", "visually-hidden", f.label + "的新值");
  label.htmlFor = id;
  let input;
  if (f.type === "bool" || Array.isArray(f.choices)) {
    input = node("select", "");
    const options = f.type === "bool" ? [["true", "是"], ["false", "否"]] : f.choices.map((c) => [c, c]);
    options.forEach(([value, text]) => {
      const o = node("option", "", text);
      o.value = value;
      if (String(f.raw) === value) o.selected = true;
      input.appendChild(o);
    });
  } else {
    input = node("input", "");
    input.type = "text";
    input.maxLength = 50;
    input.value = f.raw === null || f.raw === undefined ? "" : String(f.raw);
  }
  input.id = id;
  const save = node("button", "console-button console-primary", "确定");
  save.type = "submit";
  const cancel = node("button", "console-button", "取消");
  cancel.type = "button";
  cancel.addEventListener("click", () => form.remove());
  const error = node("p", "fact-error");
  error.setAttribute("role", "alert");
  [label, input, save, cancel, error].forEach((e) => form.appendChild(e));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const value = f.type === "bool" ? input.value === "true" : input.value;
    correct(f.name, value).catch((err) => { error.textContent = err.message; });
  });
  row.appendChild(form);
  input.focus();
}

function correct(fact, value) {
  return postJson("takeover/fact", { sender, fact, value }).then((s) => {
    state = s;
    if (mode === "call" && s.said) addLine("bot", s.said, "更正");
    renderPanel();
    announce(s.said ? s.said.split("。")[0] : "已更正");
    if (mode === "chat") return pollChat();
    return undefined;
  });
}

function addFact(event) {
  event.preventDefault();
  const name = els.addFactName.value;
  const f = state && state.editable.find((x) => x.name === name);
  if (!f) return;
  const row = node("div", "fact fact-new");
  row.dataset.fact = f.name;
  row.appendChild(node("dt", "", f.label));
  row.appendChild(node("dd", "", ""));
  els.facts.appendChild(row);
  openEditor(row, f);
}

/** A clause's full text in a box of the page (`box`: {root, title, heading, text}). */
function openClause(label, box) {
  loadClauses().then((all) => {
    const c = all[label];
    if (!c) return;
    box.title.textContent = label;
    box.heading.textContent = c.heading || "";
    box.text.textContent = c.text || "";
    box.root.hidden = false;
    box.root.scrollIntoView({ block: "nearest" });
  }).catch(() => announce("条款原文暂时无法读取"));
}

// ---------------------------------------------------------------- the queue

function pollQueue() {
  if (!account) return;
  api("queue").then((entries) => {
    lastQueue = Array.isArray(entries) ? entries : [];
    const waiting = lastQueue.filter((e) => e.status === "waiting").length;
    els.queueCount.textContent = String(waiting);
    els.queueCount.dataset.waiting = String(waiting);
    els.navQueue.setAttribute("aria-label", "在线接入，" + waiting + "个对话等待人工");
    if (!els.queue.hidden) renderQueue(lastQueue);
  }).catch(() => {});
}

function renderQueue(entries) {
  clear(els.queueList);
  els.queueEmpty.hidden = entries.length > 0;
  entries.forEach((e) => {
    const li = node("li", "queue-item");
    li.dataset.sender = e.sender;
    li.dataset.status = e.status;
    const head = node("p", "queue-head");
    head.appendChild(node("span", "queue-reason", handoffReason(e.reason) || e.reason));
    head.appendChild(node("span", "queue-time", formatTime(e.since * 1000)));
    li.appendChild(head);
    if (e.last_owner_text) li.appendChild(node("p", "queue-text", "企业最近说：" + e.last_owner_text));
    const act = node("button", "console-button console-primary");
    act.type = "button";
    if (e.status === "waiting") {
      act.textContent = "接入";
      act.addEventListener("click", () => take(e.sender, act));
    } else if (account && e.account === account.login) {
      act.textContent = "继续";
      act.addEventListener("click", () => openChat(e.sender));
    } else {
      act.textContent = "已由" + (e.operator || "其他操作员") + "接入";
      act.disabled = true;
    }
    act.setAttribute("aria-label", act.textContent + "：对话 " + e.sender);
    li.appendChild(act);
    els.queueList.appendChild(li);
  });
}

function take(chat, buttonEl) {
  buttonEl.disabled = true;
  postJson("takeover/take", { sender: chat }).then(() => {
    openChat(chat);
    pollQueue();
  }).catch((e) => {
    announce("接入失败：" + e.message);
    pollQueue();
  });
}

// ---------------------------------------------------------------- records

function searchRecords(event) {
  if (event) event.preventDefault();
  const q = els.recordsQuery.value.trim();
  api("records?q=" + encodeURIComponent(q)).then((list) => {
    clear(els.recordsList);
    if (!list.length) els.recordsList.appendChild(node("li", "empty", "没有找到工单。"));
    list.forEach((r) => {
      const li = node("li", "records-item");
      const b = node("button", "record-open");
      b.type = "button";
      b.dataset.id = r.id;
      b.appendChild(node("span", "record-when", r.ended.replace("T", " ")));
      b.appendChild(node("span", "record-who", [r.kind_label, r.operator, r.caller].filter(Boolean).join(" · ")));
      const applying = (r.applying || []).map((g) => g.title + "：" + g.measures.join("、"));
      b.appendChild(node("span", "record-what", [r.sme_class].concat(applying).filter(Boolean).join(" · ")));
      if (r.follow_up) b.appendChild(node("span", "record-flag", "需回访"));
      b.addEventListener("click", () => api("records/" + r.id).then(showRecord));
      li.appendChild(b);
      els.recordsList.appendChild(li);
    });
  }).catch(() => {});
}

/** A record's measures as the result payload gave them (an old record kept no groups: one untitled section). */
function recordResult(r) {
  const has = (list) => Array.isArray(list) && list.length > 0;
  return {
    measures: r.answered || [], groups: has(r.groups) ? r.groups : undefined,
    policies: has(r.policies) ? r.policies : undefined, total: r.total || undefined
  };
}

function lines(text) {
  return text.split("\n").map((s) => s.trim()).filter(Boolean);
}

function showRecord(r) {
  record = r;
  els.recordDetail.hidden = false;
  els.recordTitle.textContent = "工单 " + r.id;
  clear(els.recordSummary);
  (r.rows || []).forEach(([k, v]) => {
    els.recordSummary.appendChild(node("dt", "", k));
    els.recordSummary.appendChild(node("dd", "", v));
  });
  clear(els.recordResult);
  els.recordClause.root.hidden = true;
  renderSections(els.recordResult, recordResult(r), recordCtx);
  els.recordCaller.value = r.caller || "";
  els.recordPhone.value = r.phone || "";
  els.recordDepartments.value = (r.departments || []).join("\n");
  els.recordOpen.value = (r.open_points || []).join("\n");
  els.recordNotes.value = r.notes || "";
  els.recordFollow.checked = Boolean(r.follow_up);
  els.recordConsent.checked = Boolean(r.contact_consent);
  els.recordPrint.href = r.print_url;
  els.recordStatus.textContent = "";
}

function saveRecord(event) {
  event.preventDefault();
  if (!record) return;
  api("records/" + record.id, {
    method: "PUT",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      caller: els.recordCaller.value, phone: els.recordPhone.value, notes: els.recordNotes.value,
      departments: lines(els.recordDepartments.value), open_points: lines(els.recordOpen.value),
      follow_up: els.recordFollow.checked, contact_consent: els.recordConsent.checked
    })
  }).then((r) => {
    showRecord(r);
    els.recordStatus.textContent = "已保存";
    searchRecords();
  }).catch((e) => { els.recordStatus.textContent = "保存失败：" + e.message; });
}

/** A record's export, fetched in this session and handed to the browser as a download. */
function download(ext) {
  if (!record) return;
  staffFetch("/console/api/records/" + record.id + "." + ext)
    .then((r) => (r.ok ? r.blob() : Promise.reject(new Error("HTTP " + r.status))))
    .then((blob) => {
      const a = node("a");
      a.href = URL.createObjectURL(blob);
      a.download = "工单-" + record.id + "." + ext;
      document.body.appendChild(a);
      a.click();
      window.setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
    }).catch((e) => { els.recordStatus.textContent = "导出失败：" + e.message; });
}

// ---------------------------------------------------------------- start

function init() {
  const $ = (id) => document.getElementById(id);
  els = {
    root: document.documentElement, status: $("status"), nav: $("nav"), navAccounts: $("nav-accounts"),
    navAudit: $("nav-audit"), accounts: $("accounts"), audit: $("audit"),
    navQueue: $("nav-queue"), queueCount: $("queue-count"), operatorLabel: $("operator-label"),
    signOut: $("sign-out"), conversation: $("conversation"), queue: $("queue"), records: $("records"),
    outreach: $("outreach"),
    callLabel: $("call-label"), transcriptTitle: $("transcript-title"), transcript: $("transcript"),
    form: $("caller-form"), callerLabel: $("caller-label"), callerSend: $("caller-send"), input: $("caller-input"),
    newCall: $("new-call"), endCall: $("end-call"), release: $("release"),
    script: $("script"), why: $("why"), smeClass: $("sme-class"), classRule: $("class-rule"),
    classHeading: $("class-heading"), facts: $("facts"), addFact: $("add-fact"), addFactName: $("add-fact-name"),
    departments: $("departments"), measures: $("measures"), reportSlot: $("report-slot"),
    clause: { root: $("clause-box"), title: $("clause-title"), heading: $("clause-heading"), text: $("clause-text") },
    recordClause: { root: $("record-clause"), title: $("record-clause-title"), heading: $("record-clause-heading"),
      text: $("record-clause-text") },
    recordResult: $("record-result"), queueList: $("queue-list"), queueEmpty: $("queue-empty"),
    recordsSearch: $("records-search"), recordsQuery: $("records-query"), recordsList: $("records-list"),
    recordDetail: $("record-detail"), recordTitle: $("record-title"), recordSummary: $("record-summary"),
    recordCaller: $("record-caller"), recordPhone: $("record-phone"), recordDepartments: $("record-departments"),
    recordOpen: $("record-open"), recordNotes: $("record-notes"), recordFollow: $("record-follow"),
    recordConsent: $("record-consent"),
    recordPrint: $("record-print"), recordStatus: $("record-status")
  };
  els.form.addEventListener("submit", submitLine);
  els.input.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) submitLine(e);
  });
  els.newCall.addEventListener("click", newCall);
  els.endCall.addEventListener("click", endCall);
  els.release.addEventListener("click", release);
  els.addFact.addEventListener("submit", addFact);
  els.signOut.addEventListener("click", () => { stopTimers(); signOut(); });
  els.nav.querySelectorAll("button").forEach((b) => b.addEventListener("click", () => {
    if (b.dataset.view === "conversation" && !sender) startCall(); else show(b.dataset.view);
  }));
  els.recordsSearch.addEventListener("submit", searchRecords);
  els.recordDetail.addEventListener("submit", saveRecord);
  $("record-json").addEventListener("click", () => download("json"));
  $("record-text").addEventListener("click", () => download("txt"));
  window.HuiqiConsole = {
    idle: () => queue.then(() => undefined),
    state: () => state,
    script: () => script,
    call: () => sender,
    mode: () => mode,
    record: () => record,
    account: () => account,
    send: (text) => enqueue(text),
    refresh: () => refresh()
  };
  Promise.all([loadPolicyInfo(), signedIn()]).then(([info, me]) => {
    setPolicyInfo(info);
    enter(me);
  }).catch(() => {}).finally(() => { els.root.dataset.ready = "true"; });
}

init();
