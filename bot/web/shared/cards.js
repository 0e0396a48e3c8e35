/*
 * 惠企政策助手 · shared page module: the cards of the contract's payloads (docs/contract.md §2, §E2, §E5, §E6).
 *
 *   renderOptions / renderChecklist  `ask` quick replies and multi-select checklists
 *   renderResult / resultSummary     `result`: one block per document (`policies`), one section per group with the
 *                                    payload's titles and notes, the total, the expiry notice
 *   renderSections                   those blocks and sections alone (the card's, and the console's call record)
 *   renderHandoff / handoffSummary   `handoff`: the hotline, the departments, the facts as the assistant words them
 *   reportForm                       the 政策匹配报告 of a result: POST /chat/report in a new tab (the server writes it)
 *
 * Titles, notes, labels and sentences come from the payload or the store's words (format.js); facts are written by
 * the assistant (POST /chat/describe). What a card does is the page's: `ctx` gives it
 *   send(text)              send a reply as if typed
 *   announce(text)          say something to screen readers
 *   openClause(label, el)   show a clause's full text
 *   track(group)            a group of chips that the next message retires
 */

import { clear, copyButton, node, button } from "./dom.js";
import { classLabel, expiryText, factLabel, formatYuan, handoffReason, policyInfo, word } from "./format.js";
import { describe } from "./transport.js";

export const NONE_OF_THEM = "都没有";  // the checklist's "none" reply (contract §2)

// ---------------------------------------------------------------- quick replies and checklists

export function renderOptions(body, options, ctx) {
  const group = node("div", "chips");
  group.setAttribute("role", "group");
  group.setAttribute("aria-label", "快捷回复（也可以直接输入）");
  options.forEach((option) => {
    const chip = button("chip", option, "回复：" + option);
    chip.addEventListener("click", () => ctx.send(option));
    group.appendChild(chip);
  });
  body.appendChild(group);
  ctx.track(group);
  return group;
}

export function renderChecklist(body, payload, ctx) {
  const box = node("div", "checklist");
  box.setAttribute("role", "group");
  box.setAttribute("aria-label", "请选择符合的情况，可多选，选好后点“发送所选”");
  const list = node("div", "chips chips-multi");
  const chosen = [];
  const sendButton = button("checklist-send", "发送所选");
  sendButton.disabled = true;

  function update() {
    sendButton.disabled = chosen.length === 0;
    sendButton.textContent = chosen.length ? "发送所选（" + chosen.length + "项）" : "发送所选";
    sendButton.setAttribute("aria-label", chosen.length ? "发送所选的" + chosen.length + "项情况" : "发送所选（尚未选择）");
  }

  payload.options.forEach((option, i) => {
    const number = i + 1;
    const chip = button("chip chip-toggle");
    chip.setAttribute("aria-pressed", "false");
    chip.dataset.number = String(number);
    chip.appendChild(node("span", "chip-number", number));
    chip.appendChild(node("span", "chip-text", option));
    chip.addEventListener("click", () => {
      const at = chosen.indexOf(number);
      if (at >= 0) chosen.splice(at, 1); else chosen.push(number);
      chip.setAttribute("aria-pressed", at >= 0 ? "false" : "true");
      update();
    });
    list.appendChild(chip);
  });

  const none = button("chip chip-none", NONE_OF_THEM, "以上情况都没有");
  none.addEventListener("click", () => ctx.send(NONE_OF_THEM));
  sendButton.addEventListener("click", () => {
    if (!chosen.length) return;
    ctx.send(chosen.slice().sort((a, b) => a - b).join("、"));
  });

  const actions = node("div", "checklist-actions");
  actions.appendChild(none);
  actions.appendChild(sendButton);
  box.appendChild(list);
  box.appendChild(actions);
  update();
  body.appendChild(box);
  ctx.track(box);
  return box;
}

/** Retires chips once answered: they stay visible, disabled. */
export function retireChips(groups) {
  groups.forEach((group) => {
    group.classList.add("chips-done");
    group.querySelectorAll("button").forEach((b) => { b.disabled = true; });
  });
}

// ---------------------------------------------------------------- clauses

export function clauseButton(label, ctx) {
  const b = button("clause-link", label, "查看" + label + "原文");
  b.dataset.clause = label;
  b.setAttribute("aria-haspopup", "dialog");
  b.addEventListener("click", () => ctx.openClause(label, b));
  return b;
}

// ---------------------------------------------------------------- result card

function hasAmount(m) {
  return m.amount_yuan !== null && m.amount_yuan !== undefined;
}

/** What the document calls the departments of its measures (the payload's `department_role`). */
/* A period in its clause's words ("缓缴期限原则上不超过6个月"), from the payload; a record filed before it had them
 * shows the bare count. */
function monthsText(m) {
  return m.months_text || m.months + "个月";
}

function departmentsLabel(m, p) {
  const docs = Array.isArray(p.policies) ? p.policies : [];
  const doc = docs.find((d) => d && d.id === (m.policy || p.policy));
  return (doc && doc.department_role) || "办理部门";
}

function measureParts(m) {
  const ul = node("ul", "measure-parts");
  m.parts.forEach((part) => {
    const li = node("li", "measure-part part-" + part.status, part.title);
    if (part.status !== "eligible" && part.why) li.appendChild(node("span", "part-why", "：" + part.why));
    ul.appendChild(li);
  });
  return ul;
}

function measureItem(m, p, ctx) {
  const li = node("li", "measure measure-" + m.status + (m.kind ? " kind-" + m.kind : ""));
  li.dataset.measure = m.id;
  if (m.kind) li.dataset.kind = m.kind;
  const head = node("div", "measure-head");
  head.appendChild(node("span", "measure-id", m.id));
  head.appendChild(node("span", "measure-title", m.title));
  if (m.clause) head.appendChild(clauseButton(m.clause, ctx));
  li.appendChild(head);

  if (m.status === "eligible") {
    if (m.kind && m.kind !== "benefit" && m.summary) li.appendChild(node("p", "measure-summary", m.summary));
    if (Array.isArray(m.parts) && m.parts.length) li.appendChild(measureParts(m));
    if (hasAmount(m)) {
      const amount = node("p", "measure-amount");
      amount.dataset.amount = String(m.amount_yuan);
      amount.appendChild(node("span", "amount-prefix", "约 "));
      amount.appendChild(node("strong", "amount-value", formatYuan(m.amount_yuan)));
      amount.appendChild(node("span", "amount-unit", " 元"));
      li.appendChild(amount);
    }
    if (m.formula) li.appendChild(node("p", "measure-formula", "计算：" + m.formula));
    if (m.missing && m.missing.length) {
      li.appendChild(node("p", "measure-missing", "金额还需：" + m.missing.map(factLabel).join("、")));
    }
    if (m.months) li.appendChild(node("p", "measure-months", "期限：" + monthsText(m)));
    if (m.why && !(m.parts && m.parts.length)) li.appendChild(node("p", "measure-why", m.why));
  } else {
    if (m.why) li.appendChild(node("p", "measure-why", m.why));
    if (m.status === "unknown" && m.months) li.appendChild(node("p", "measure-months", "期限：" + monthsText(m)));
  }
  if (m.reading && m.status !== "ineligible") li.appendChild(node("p", "measure-reading", m.reading));
  if (m.departments && m.departments.length && m.status !== "ineligible") {
    li.appendChild(node("p", "measure-departments", departmentsLabel(m, p) + "：" + m.departments.join("、")));
  }
  return li;
}

/* The payload's sections (`groups`, docs/contract.md §E2) with their measures; a payload from before groups were
   sent (an old conversation's history) is one untitled section. */
export function resultGroups(p) {
  const byId = {};
  (p.measures || []).forEach((m) => { byId[m.id] = m; });
  const groups = Array.isArray(p.groups) ? p.groups : [{ title: "", status: "", measures: Object.keys(byId) }];
  return groups.map((g) => ({
    title: g.title, status: g.status, kind: g.kind, note: g.note,
    measures: (g.measures || []).map((id) => byId[id]).filter(Boolean)
  })).filter((g) => g.measures.length);
}

/* The documents assessed (`policies`, docs/contract.md §E6), each with its own sections; a payload of one document
   is one unnamed block. */
export function resultDocuments(p) {
  if (!Array.isArray(p.policies) || p.policies.length < 2) return [{ doc: null, groups: resultGroups(p) }];
  return p.policies.map((d) => ({ doc: d, groups: resultGroups({ measures: p.measures, groups: d.groups || [] }) }))
    .filter((block) => block.groups.length);
}

export function documentName(d) {
  return "【" + d.level + "】《" + d.short_title + "》" + (d.number ? "（" + d.number + "）" : "");
}

function hasTotal(p) {
  return p.total && Array.isArray(p.total.parts) && p.total.parts.length > 0;
}

function totalBlock(t) {
  const box = node("div", "total");
  box.dataset.amount = String(t.amount_yuan);
  const line = node("p", "total-line");
  line.appendChild(node("span", "total-label", t.label + "："));
  line.appendChild(node("strong", "total-value", formatYuan(t.amount_yuan)));
  line.appendChild(node("span", "amount-unit", " 元"));
  box.appendChild(line);
  if (t.formula) box.appendChild(node("p", "total-formula", t.formula + "（" + t.parts.join(" + ") + "）"));
  if (t.note) box.appendChild(node("p", "total-note", t.note));
  return box;
}

/* One section of a result: its title, note and measures; what does not apply is folded. With one document the
   total sits under its benefits, with several it closes the card. */
function resultSection(g, p, several, ctx) {
  const title = g.title ? g.title + "（" + g.measures.length + "项）" : "";
  const className = "group group-" + (g.status || "all") + (g.kind ? " group-kind-" + g.kind : "");
  let section;
  if (g.status === "ineligible") {
    section = node("details", className);
    section.appendChild(node("summary", "group-title", title));
  } else {
    section = node("section", className);
    if (title) section.appendChild(node("h3", "group-title", title));
  }
  if (g.kind) section.dataset.kind = g.kind;
  if (g.note) section.appendChild(node("p", "group-note", g.note));
  const list = node("ul", "measures");
  g.measures.forEach((m) => list.appendChild(measureItem(m, p, ctx)));
  section.appendChild(list);
  if (!several && g.kind === "benefit" && hasTotal(p)) section.appendChild(totalBlock(p.total));
  return section;
}

/**
 * What a result says, section by section: each document's head (`policies`), one section per entry of its `groups`
 * with the payload's titles and notes, and the total. The one renderer of a result's groups: the result card and the
 * console's call record (工单, which keeps the result's `measures`, `groups`, `policies` and `total`) both use it.
 */
export function renderSections(body, p, ctx) {
  const blocks = resultDocuments(p);
  const several = blocks.length > 1;
  blocks.forEach((block) => {
    if (block.doc) {
      const docHead = node("div", "doc-head");
      docHead.dataset.policy = block.doc.id;
      docHead.appendChild(node("h3", "doc-title", documentName(block.doc)));
      docHead.appendChild(node("p", "doc-sub", block.doc.issuer + (block.doc.period ? " · " + block.doc.period : "")));
      body.appendChild(docHead);
    }
    block.groups.forEach((g) => body.appendChild(resultSection(g, p, several, ctx)));
  });
  if (several && hasTotal(p)) body.appendChild(totalBlock(p.total));
  return body;
}

/** The result card; `text` (the result in words) is folded into it. */
export function renderResult(body, p, text, ctx) {
  const card = node("article", "card result-card");
  card.setAttribute("aria-label", "评估结果");
  const head = node("header", "card-head");
  head.appendChild(node("h2", "card-title", "评估结果"));
  const facts = (p.enterprise && p.enterprise.facts) || {};
  const cls = classLabel(p.enterprise && p.enterprise.sme_class);
  head.appendChild(node("p", "card-sub", [facts.industry, cls].filter(Boolean).join(" · ")));
  card.appendChild(head);

  if (p.expired) {
    const banner = node("p", "banner", expiryText(p));
    banner.setAttribute("role", "note");
    card.appendChild(banner);
  }

  renderSections(card, p, ctx);

  if (text) {
    const more = node("details", "card-text");
    more.appendChild(node("summary", "", "文字说明"));
    more.appendChild(node("p", "card-text-body", text));
    card.appendChild(more);
  }

  const actions = node("div", "card-actions");
  actions.appendChild(copyButton("复制结果摘要", () => resultSummary(p), ctx.announce));
  actions.appendChild(reportForm(p));
  card.appendChild(actions);
  body.appendChild(card);
  return card;
}

/**
 * A button opening the result's 政策匹配报告 in a new tab: a form posting the result's facts and as-of day to
 * POST /chat/report (docs/contract.md E5), which validates them and renders the page on the server (policy_db).
 * The facts travel in the form field `request` as JSON, never in the address.
 */
export function reportForm(p) {
  const form = node("form", "report-form");
  form.method = "post";
  form.action = "/chat/report";
  form.target = "_blank";
  form.rel = "noopener";
  const field = node("input");
  field.type = "hidden";
  field.name = "request";
  field.value = JSON.stringify({ facts: (p.enterprise && p.enterprise.facts) || {}, as_of: p.as_of || null });
  form.appendChild(field);
  const submit = node("button", "card-button report-button", "政策匹配报告");
  submit.type = "submit";
  submit.setAttribute("aria-label", "政策匹配报告（在新标签页打开，可打印或保存为PDF）");
  form.appendChild(submit);
  return form;
}

function totalLine(t) {
  return t.label + "：" + formatYuan(t.amount_yuan) + "元" + (t.formula ? "（" + t.formula + "）" : "") +
    (t.note ? "；" + t.note : "");
}

function summaryGroup(lines, g, p, several) {
  lines.push("");
  if (g.title) lines.push(g.title + "（" + g.measures.length + "项）：" + (g.note || ""));
  g.measures.forEach((m) => {
    const parts = [m.id + " " + m.title];
    if (m.status === "eligible" && hasAmount(m)) {
      parts.push("约" + formatYuan(m.amount_yuan) + "元" + (m.formula ? "（" + m.formula + "）" : ""));
    } else if (m.why) {
      parts.push(m.why);
    }
    if (m.clause) parts.push("依据" + m.clause);
    if (m.status !== "ineligible" && m.departments && m.departments.length) {
      parts.push(departmentsLabel(m, p) + "：" + m.departments.join("、"));
    }
    lines.push("- " + parts.join("；"));
  });
  if (!several && g.kind === "benefit" && hasTotal(p)) lines.push(totalLine(p.total));
}

/** Facts and class in the assistant's words; on failure the labels with the raw values. */
function described(facts, smeClass) {
  return describe(facts, smeClass).catch(() => ({
    sme_class: classLabel(smeClass),
    facts: Object.keys(facts || {}).map((k) => ({ name: k, label: factLabel(k), value: String(facts[k]) }))
  }));
}

/** The result as plain text, for the clipboard (a promise: the facts are written by the assistant). */
export function resultSummary(p) {
  const enterprise = p.enterprise || {};
  return described(enterprise.facts, enterprise.sme_class).then((d) => {
    const info = policyInfo();
    const lines = ["惠企政策助手 · 评估结果"];
    const shortTitle = info ? "《" + info.short_title + "》" : p.policy;
    lines.push("政策：" + shortTitle + (p.as_of ? "（评估日期 " + p.as_of + "）" : ""));
    lines.push((word("class_heading") || "规模") + "：" + d.sme_class);
    const known = d.facts.map((f) => f.label + "：" + f.value);
    if (known.length) lines.push("企业情况：" + known.join("；"));
    if (p.expired) lines.push("注意：" + expiryText(p));
    const blocks = resultDocuments(p);
    const several = blocks.length > 1;
    blocks.forEach((block) => {
      if (block.doc) lines.push("", documentName(block.doc) + "，" + block.doc.issuer);
      block.groups.forEach((g) => summaryGroup(lines, g, p, several));
    });
    if (several && hasTotal(p)) lines.push("", totalLine(p.total));
    return lines.join("\n");
  });
}

// ---------------------------------------------------------------- handoff card

function hotlineOf(p) {
  const info = policyInfo();
  return p.hotline || (info && info.hotline) || "";
}

/** The hand-off as plain text, for the clipboard (a promise, as resultSummary). */
export function handoffSummary(p) {
  return described(p.facts, p.sme_class).then((d) => {
    const lines = ["惠企政策助手 · 转人工"];
    const hotline = hotlineOf(p);
    if (hotline) lines.push("热线：" + hotline + (word("hotline_label") ? "（" + word("hotline_label") + "）" : ""));
    if (p.departments && p.departments.length) lines.push("可咨询部门：" + p.departments.join("、"));
    if (p.sme_class !== undefined) lines.push((word("class_heading") || "规模") + "：" + d.sme_class);
    d.facts.forEach((f) => lines.push(f.label + "：" + f.value));
    return lines.join("\n");
  });
}

function factsList(d, withClass) {
  const dl = node("dl", "facts");
  if (withClass) {
    dl.appendChild(node("dt", "", word("class_heading")));
    dl.appendChild(node("dd", "", d.sme_class));
  }
  d.facts.forEach((f) => {
    const dt = node("dt", "", f.label);
    dt.dataset.fact = f.name;
    dl.appendChild(dt);
    dl.appendChild(node("dd", "", f.value));
  });
  return dl;
}

export function renderHandoff(body, p, ctx) {
  const hotline = hotlineOf(p);
  const card = node("article", "card handoff-card");
  card.setAttribute("aria-label", "转人工服务");
  const head = node("header", "card-head");
  head.appendChild(node("h2", "card-title", "转人工服务"));
  const reason = handoffReason(p.reason);
  if (reason) head.appendChild(node("p", "card-sub", reason));
  card.appendChild(head);

  if (hotline) {
    const label = word("hotline_label");
    const call = node("a", "hotline");
    call.href = "tel:" + String(hotline).replace(/[^0-9+]/g, "");
    call.setAttribute("aria-label", "拨打" + hotline + label);
    call.appendChild(node("span", "hotline-icon", "☎"));
    call.appendChild(node("span", "hotline-number", hotline));
    if (label) call.appendChild(node("span", "hotline-label", label));
    card.appendChild(call);
  }

  if (p.departments && p.departments.length) {
    const deps = node("section", "group");
    deps.appendChild(node("h3", "group-title", "可咨询的部门"));
    const ul = node("ul", "departments");
    p.departments.forEach((d) => ul.appendChild(node("li", "", d)));
    deps.appendChild(ul);
    card.appendChild(deps);
  }

  const facts = p.facts || {};
  if (Object.keys(facts).length || p.sme_class) {
    const known = node("section", "group");
    known.appendChild(node("h3", "group-title", "已整理的企业情况"));
    card.appendChild(known);
    described(facts, p.sme_class).then((d) => {
      clear(known);
      known.appendChild(node("h3", "group-title", "已整理的企业情况"));
      known.appendChild(factsList(d, p.sme_class !== undefined));
    });
  }

  const actions = node("div", "card-actions");
  actions.appendChild(copyButton("复制情况摘要", () => handoffSummary(p), ctx.announce));
  card.appendChild(actions);
  body.appendChild(card);
  return card;
}
