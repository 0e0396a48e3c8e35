/*
 * 惠企政策助手 · 接线员控制台: a supervisor's views (docs/contract.md E13).
 *
 * 工作人员账号: every account (GET /console/api/accounts), a form that creates one (POST), and a button that disables
 * or enables it (PUT /console/api/accounts/<login>). 审计记录: the audit trail filtered by login, action, record or
 * conversation and days (GET /console/api/audit), and the same lines as CSV (/console/api/audit.csv). The words of
 * roles, actions and columns are the server's; names and details are shown as text, never as markup.
 */

import { clear, node } from "/chat/shared/dom.js";

let bound = false;
let api = null;
let announce = () => {};
let roles = {};
let actions = {};
const $ = (id) => document.getElementById(id);

function bind() {
  if (bound) return;
  bound = true;
  $("account-form").addEventListener("submit", createAccount);
  $("audit-filter").addEventListener("submit", (e) => {
    e.preventDefault();
    loadAudit();
  });
}

// ---------------------------------------------------------------- accounts

export function showAccounts(root, apiFn, announceFn) {
  api = apiFn;
  announce = announceFn;
  bind();
  return loadAccounts();
}

function loadAccounts() {
  return api("accounts").then((body) => {
    roles = body.roles || {};
    const select = $("account-role");
    if (!select.options.length) {
      Object.entries(roles).forEach(([key, label]) => {
        const o = node("option", "", label);
        o.value = key;
        select.appendChild(o);
      });
    }
    renderAccounts(body.accounts || []);
  }).catch((e) => { $("account-status").textContent = "无法读取账号：" + e.message; });
}

function renderAccounts(list) {
  const tbody = $("accounts-list");
  clear(tbody);
  list.forEach((a) => {
    const tr = node("tr", a.disabled ? "account-disabled" : "");
    tr.dataset.login = a.login;
    [a.login, a.display, roles[a.role] || a.role, String(a.created || "").replace("T", " ").slice(0, 16)]
      .forEach((text) => tr.appendChild(node("td", "", text)));
    tr.appendChild(node("td", "account-state", a.disabled ? "已停用" : "正常"));
    const cell = node("td", "");
    const toggle = node("button", "console-button", a.disabled ? "启用" : "停用");
    toggle.type = "button";
    toggle.setAttribute("aria-label", (a.disabled ? "启用" : "停用") + "账号 " + a.login);
    toggle.addEventListener("click", () => setDisabled(a.login, !a.disabled));
    cell.appendChild(toggle);
    tr.appendChild(cell);
    tbody.appendChild(tr);
  });
}

function createAccount(event) {
  event.preventDefault();
  const status = $("account-status");
  const body = {
    login: $("account-login").value.trim(), display: $("account-display").value.trim(),
    role: $("account-role").value, password: $("account-password").value
  };
  api("accounts", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })
    .then((made) => {
      $("account-form").reset();
      status.textContent = "已创建账号 " + made.login;
      announce(status.textContent);
      return loadAccounts();
    }).catch((e) => { status.textContent = "创建失败：" + e.message; });
}

function setDisabled(login, disabled) {
  const status = $("account-status");
  api("accounts/" + encodeURIComponent(login), {
    method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ disabled })
  }).then(() => {
    status.textContent = (disabled ? "已停用账号 " : "已启用账号 ") + login;
    announce(status.textContent);
    return loadAccounts();
  }).catch((e) => { status.textContent = "操作失败：" + e.message; });
}

// ---------------------------------------------------------------- the audit trail

export function showAudit(root, apiFn, announceFn) {
  api = apiFn;
  announce = announceFn;
  bind();
  return loadAudit();
}

function auditQuery() {
  const query = new URLSearchParams();
  [["login", "audit-login"], ["action", "audit-action"], ["record", "audit-record"], ["since", "audit-since"],
    ["until", "audit-until"]].forEach(([name, id]) => {
    const value = $(id).value.trim();
    if (value) query.set(name, value);
  });
  return query.toString();
}

function loadAudit() {
  const query = auditQuery();
  $("audit-csv").href = "/console/api/audit.csv" + (query ? "?" + query : "");
  return api("audit" + (query ? "?" + query : "")).then((body) => {
    actions = body.actions || {};
    roles = body.roles || roles;
    fillActions();
    renderAudit(body.lines || [], body.columns || {});
  }).catch((e) => announce("无法读取审计记录：" + e.message));
}

function fillActions() {
  const select = $("audit-action");
  if (select.options.length > 1) return;
  Object.entries(actions).forEach(([key, label]) => {
    const o = node("option", "", label);
    o.value = key;
    select.appendChild(o);
  });
}

const SHOWN = ["at", "display", "login", "role", "action", "record", "sender", "detail", "ip", "via"];

function renderAudit(lines, columns) {
  const head = $("audit-head");
  clear(head);
  SHOWN.forEach((c) => {
    const th = node("th", "", columns[c] || c);
    th.scope = "col";
    head.appendChild(th);
  });
  const tbody = $("audit-list");
  clear(tbody);
  $("audit-empty").hidden = lines.length > 0;
  lines.forEach((line) => {
    const tr = node("tr", "");
    tr.dataset.action = line.action;
    SHOWN.forEach((c) => {
      let text = line[c] === null || line[c] === undefined ? "" : String(line[c]);
      if (c === "action") text = actions[text] || text;
      if (c === "role") text = roles[text] || text;
      if (c === "at") text = text.replace("T", " ").slice(0, 19);
      tr.appendChild(node("td", "", text));
    });
    tbody.appendChild(tr);
  });
}
