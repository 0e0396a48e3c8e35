/*
 * 惠企政策助手 · 接线员培训（/trainer/）: interview a simulated owner, state what applies, see the grade.
 *
 * Talks to /trainer/api/ (docs/contract.md E8). The classes, documents and their measures, statuses, kinds of help
 * and departments of the statement form, and its labels, come from GET /trainer/api/options (the policy store and
 * simulator/grading.yaml); the grade sheet's sentences come from the server. This
 * module holds no policy wording: it builds the form, shows what the server says, and draws the progress charts
 * as inline SVG. Every text goes into the page as text (shared dom.js), never as HTML.
 * For staff accounts (trainees, supervisors: shared/staff.js): scores are kept under the signed-in account's login.
 */

import { announce as announceIn, clear, node } from "/chat/shared/dom.js";
import { signOut, signedIn, staffFetch } from "/chat/shared/staff.js";

const SVG = "http://www.w3.org/2000/svg";

let els = {};
let options = null;
let round = null;
let busy = false;

function announce(text) {
  announceIn(els.status, text);
}

function api(path, body) {
  const init = body === undefined ? { headers: { Accept: "application/json" } }
    : { method: "POST", headers: { Accept: "application/json", "Content-Type": "application/json" },
        body: JSON.stringify(body) };
  return staffFetch("/trainer/api/" + path, init).then((r) => r.json().catch(() => ({})).then((data) => {
    if (!r.ok) throw new Error(data.error || "服务暂时不可用，请稍后再试");
    return data;
  }));
}

// ---------------------------------------------------------------- the statement form, from the store's options

function radio(name, value, label, checked) {
  const wrap = node("label", "choice");
  const input = node("input");
  input.type = "radio";
  input.name = name;
  input.value = value;
  input.checked = !!checked;
  wrap.append(input, node("span", null, label));
  return wrap;
}

function buildForm() {
  const classes = els.classes;
  options.classes.forEach((c) => classes.appendChild(radio("sme_class", c.key, c.label, false)));
  els.measuresHint.textContent = options.form.kinds_hint + options.tolerance;
  els.measuresLegend.textContent = options.form.measures;
  const named = Object.fromEntries(options.measures.map((m) => [m.id, m]));
  options.documents.forEach((doc) => els.measures.appendChild(documentTable(doc, named)));
  options.departments.forEach((d, i) => {
    const wrap = node("label", "choice");
    const input = node("input");
    input.type = "checkbox";
    input.name = "department";
    input.value = d;
    input.id = "department-" + i;
    wrap.append(input, node("span", null, d));
    els.departments.appendChild(wrap);
  });
}

/** One document in force on the case's day: its heading, then a row per measure. */
function documentTable(doc, named) {
  const table = node("table", "measure-table");
  table.dataset.policy = doc.id;
  table.appendChild(node("caption", "document-heading", doc.heading));
  const head = node("tr");
  head.append(node("th", null, options.form.measure), ...options.statuses.map((s) => node("th", "status-col", s.label)),
    node("th", "kind-col", options.form.kind), node("th", "amount-col", options.items.amount + "（元）"));
  const thead = node("thead");
  thead.appendChild(head);
  const tbody = node("tbody");
  doc.measures.forEach((id) => tbody.appendChild(measureRow(named[id])));
  table.append(thead, tbody);
  return table;
}

function measureRow(m) {
  const row = node("tr");
  row.dataset.measure = m.id;
  const title = node("th", "measure-name");
  title.scope = "row";
  title.id = "measure-" + m.id.replace(/\W/g, "_");
  title.append(node("span", null, m.name), node("span", "clause-label", m.clause));
  row.appendChild(title);
  options.statuses.forEach((s) => {
    const cell = node("td", "status-col");
    const input = node("input");
    input.type = "radio";
    input.name = "measure-" + m.id;
    input.value = s.key;
    input.defaultChecked = s.key === "ineligible";
    input.setAttribute("aria-label", m.name + "：" + s.label);
    input.addEventListener("change", () => syncRow(row));
    cell.appendChild(input);
    row.appendChild(cell);
  });
  const kind = node("td", "kind-col");
  const select = node("select");
  select.name = "kind-" + m.id;
  select.disabled = true;
  select.setAttribute("aria-label", m.name + "：" + options.items.kind);
  const none = node("option", null, options.form.kind_none);
  none.value = "";
  select.appendChild(none);
  options.kinds.forEach((k) => {
    const choice = node("option", null, k.label);
    choice.value = k.key;
    select.appendChild(choice);
  });
  kind.appendChild(select);
  row.appendChild(kind);
  const amount = node("td", "amount-col");
  if (m.has_amount) {
    const input = node("input");
    input.type = "text";
    input.inputMode = "decimal";
    input.maxLength = 16;
    input.name = "amount-" + m.id;
    input.disabled = true;
    input.setAttribute("aria-label", m.name + "：" + options.items.amount + "（元）");
    amount.appendChild(input);
  }
  row.appendChild(amount);
  return row;
}

/** What a trainee fills in beside a measure (its kind, its amount) only once it is stated as applying. */
function syncRow(row) {
  const picked = row.querySelector(".status-col input:checked");
  const applies = !!picked && picked.value === "eligible";
  row.querySelectorAll(".amount-col input, .kind-col select").forEach((input) => { input.disabled = !applies; });
}

function resetForm() {
  els.statementForm.reset();
  els.measures.querySelectorAll("tbody tr").forEach(syncRow);
  els.gradeError.textContent = "";
}

function statement() {
  const picked = els.statementForm.querySelector("input[name=sme_class]:checked");
  const measures = {};
  const amounts = {};
  const kinds = {};
  options.measures.forEach((m) => {
    const row = els.measures.querySelector("tr[data-measure='" + CSS.escape(m.id) + "']");
    const status = row.querySelector(".status-col input:checked");
    if (status) measures[m.id] = status.value;
    const kind = row.querySelector(".kind-col select");
    if (kind && !kind.disabled && kind.value) kinds[m.id] = kind.value;
    const amount = row.querySelector(".amount-col input");
    if (amount && !amount.disabled && amount.value.trim()) amounts[m.id] = amount.value.trim();
  });
  const departments = Array.from(els.departments.querySelectorAll("input:checked")).map((i) => i.value);
  return { sme_class: picked ? picked.value : null, measures, kinds, amounts, departments };
}

// ---------------------------------------------------------------- the call

function line(who, text) {
  const row = node("div", "line line-" + who);
  row.append(node("span", "speaker", who === "owner" ? "企业主" : "我"), node("p", "words", text));
  els.transcript.appendChild(row);
  els.transcript.scrollTop = els.transcript.scrollHeight;
}

function countText(n) {
  return "已提问 " + n + " 个";
}

function startRound(event) {
  event.preventDefault();
  if (busy) return;
  els.startError.textContent = "";
  busy = true;
  api("round", { seed: els.seed.value.trim() }).then((r) => {
    round = r;
    els.traineeLabel.textContent = "学员：" + r.trainee;
    els.traineeLabel.hidden = false;
    els.newRound.hidden = false;
    els.caseNo.textContent = "案例 " + r.seed;
    clear(els.transcript);
    line("owner", r.opening);
    els.askCount.textContent = countText(0);
    resetForm();
    els.start.hidden = true;
    els.sheet.hidden = true;
    els.round.hidden = false;
    els.question.disabled = false;
    els.askButton.disabled = false;
    els.gradeButton.disabled = false;
    document.documentElement.dataset.view = "round";
    els.question.focus();
    announce("新案例已开始，企业主：" + r.opening);
    loadProgress();
  }, (e) => {
    els.startError.textContent = e.message;
  }).finally(() => { busy = false; });
}

function ask(event) {
  event.preventDefault();
  const text = els.question.value.trim();
  if (!round || busy || !text) return;
  busy = true;
  els.askError.textContent = "";
  api("ask", { round: round.round, message: text }).then((r) => {
    line("me", text);
    line("owner", r.answer);
    els.question.value = "";
    els.askCount.textContent = countText(r.questions);
  }, (e) => {
    els.askError.textContent = e.message;
  }).finally(() => { busy = false; els.question.focus(); });
}

function submit(event) {
  event.preventDefault();
  if (!round || busy) return;
  busy = true;
  els.gradeError.textContent = "";
  api("grade", { round: round.round, statement: statement() }).then((sheet) => {
    els.question.disabled = true;
    els.askButton.disabled = true;
    els.gradeButton.disabled = true;
    els.round.hidden = true;
    showSheet(sheet);
    showProgress(sheet.progress, null);
    document.documentElement.dataset.view = "graded";
  }, (e) => {
    els.gradeError.textContent = e.message;
  }).finally(() => { busy = false; });
}

// ---------------------------------------------------------------- the grade sheet

function mistake(item) {
  const li = node("li", "mistake");
  li.dataset.kind = item.kind;
  li.dataset.key = item.key;
  li.appendChild(node("p", "mistake-title", item.title));
  const said = node("p", "mistake-said");
  said.append(node("span", "stated", "您的回答：" + item.stated), node("span", "expected", "正确答案：" + item.expected));
  li.append(said, node("p", "explanation", item.explanation));
  if (item.clause) {
    const quote = node("blockquote", "clause");
    quote.append(node("p", "clause-label", item.clause.label), node("p", "clause-text", item.clause.text));
    li.appendChild(quote);
  }
  if (item.figures && item.figures.length) {
    const figures = node("ul", "figures");
    item.figures.forEach((f) => figures.appendChild(node("li", null, f)));
    li.appendChild(figures);
  }
  return li;
}

/** The department mistakes as one entry: a line each, with the clause that names the department. */
function departmentMistakes(items) {
  const li = node("li", "mistake");
  li.dataset.kind = "department";
  li.appendChild(node("p", "mistake-title", options.items.department));
  const list = node("ul", "department-mistakes");
  items.forEach((i) => {
    const row = node("li", null, i.explanation);
    row.dataset.key = i.key;
    if (i.clause) row.appendChild(node("span", "clause-ref", "（" + i.clause.label + "）"));
    list.appendChild(row);
  });
  li.appendChild(list);
  return li;
}

function showSheet(sheet) {
  els.sheetWho.textContent = "学员：" + sheet.trainee + " · 案例 " + sheet.seed + " · " +
    new Date().toLocaleString("zh-CN");
  els.score.textContent = sheet.summary;
  els.questions.textContent = sheet.questions.text;
  const missed = sheet.questions.not_asked || [];
  clear(els.notAskedList);
  missed.forEach((label) => els.notAskedList.appendChild(node("li", "chip", label)));
  els.notAskedSummary.textContent = "系统会问而您没有问到的情况（" + missed.length + " 项）";
  els.notAsked.hidden = missed.length === 0;
  els.tolerance.textContent = sheet.tolerance;
  clear(els.mistakes);
  clear(els.rights);
  const wrong = sheet.items.filter((i) => !i.right);
  wrong.filter((i) => i.kind !== "department").forEach((i) => els.mistakes.appendChild(mistake(i)));
  const departments = wrong.filter((i) => i.kind === "department");
  if (departments.length) els.mistakes.appendChild(departmentMistakes(departments));
  els.mistakesTitle.hidden = wrong.length === 0;
  els.allRight.hidden = wrong.length !== 0;
  sheet.items.filter((i) => i.right).forEach((i) => {
    els.rights.appendChild(node("li", null, i.title + "：" + i.expected));
  });
  els.rightSummary.textContent = "答对的项目（" + (sheet.items.length - wrong.length) + "）";
  clear(els.facts);
  sheet.facts.forEach((f) => els.facts.append(node("dt", null, f.label), node("dd", null, f.value)));
  els.sheet.hidden = false;
  window.scrollTo(0, 0);
  els.sheet.focus();
  announce(sheet.summary);
}

// ---------------------------------------------------------------- progress charts (inline SVG)

function svg(tag, attrs, text) {
  const e = document.createElementNS(SVG, tag);
  Object.entries(attrs || {}).forEach(([k, v]) => e.setAttribute(k, String(v)));
  if (text !== undefined) e.textContent = String(text);
  return e;
}

function percent(share) {
  return Math.round(share * 100) + "%";
}

function scoresChart(attempts) {
  const width = 640, height = 220, left = 44, right = 16, top = 16, bottom = 34;
  const plotW = width - left - right, plotH = height - top - bottom;
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, class: "chart", role: "img",
    "aria-label": "每个案例的得分率：" + attempts.map((a, i) => "第" + (i + 1) + "个 " + percent(a.share)).join("，") });
  [0, 0.5, 1].forEach((v) => {
    const y = top + plotH * (1 - v);
    chart.append(svg("line", { x1: left, x2: width - right, y1: y, y2: y, class: "grid" }),
      svg("text", { x: left - 8, y: y + 4, class: "axis", "text-anchor": "end" }, percent(v)));
  });
  const step = attempts.length > 1 ? plotW / (attempts.length - 1) : 0;
  const points = attempts.map((a, i) => [left + (attempts.length > 1 ? step * i : plotW / 2), top + plotH * (1 - a.share)]);
  if (points.length > 1) chart.appendChild(svg("polyline", { points: points.map((p) => p.join(",")).join(" "), class: "trend" }));
  points.forEach(([x, y], i) => {
    const dot = svg("circle", { cx: x, cy: y, r: 5, class: "dot" });
    dot.appendChild(svg("title", {}, "第" + (i + 1) + "个案例：" + percent(attempts[i].share)));
    chart.appendChild(dot);
    if (attempts.length <= 12) {
      chart.appendChild(svg("text", { x, y: Math.max(12, y - 10), class: "value", "text-anchor": "middle" },
        percent(attempts[i].share)));
    }
    if (attempts.length <= 12 || i === attempts.length - 1) {
      chart.appendChild(svg("text", { x, y: height - 12, class: "axis", "text-anchor": "middle" }, i + 1));
    }
  });
  return chart;
}

function measuresChart(measures, names) {
  const rowH = 22, left = 190, right = 56, width = 640;
  const height = measures.length * rowH + 8;
  const plotW = width - left - right;
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, class: "chart", role: "img",
    "aria-label": "各项措施的正确率：" + measures.map((m) => (names[m.key] || m.key) + " " + m.right + "/" + m.total).join("，") });
  measures.forEach((m, i) => {
    const y = 4 + i * rowH;
    const share = m.total ? m.right / m.total : 0;
    const name = names[m.key] || m.key;
    chart.append(
      svg("text", { x: left - 8, y: y + 15, class: "label", "text-anchor": "end" }, name.length > 13 ? name.slice(0, 12) + "…" : name),
      svg("rect", { x: left, y: y + 3, width: plotW, height: 14, class: "bar-back" }),
      svg("rect", { x: left, y: y + 3, width: Math.max(0, plotW * share), height: 14,
        class: share >= 0.8 ? "bar good" : share >= 0.5 ? "bar fair" : "bar poor" }),
      svg("text", { x: width - right + 6, y: y + 15, class: "axis" }, m.right + "/" + m.total));
  });
  return chart;
}

function showProgress(progress, names) {
  if (!progress || !progress.attempts.length) {
    els.progress.hidden = true;
    return;
  }
  const labels = names || Object.fromEntries(options.measures.map((m) => [m.id, m.name]));
  els.progressTotal.textContent = "共 " + progress.attempts.length + " 个案例，累计 " + progress.right + "/" +
    progress.total + "（" + percent(progress.share || 0) + "）";
  clear(els.kinds);
  (progress.kinds || []).forEach((k) => {
    els.kinds.append(node("dt", null, options.items[k.key] || k.key),
      node("dd", null, k.right + "/" + k.total + "（" + percent(k.total ? k.right / k.total : 0) + "）"));
  });
  clear(els.chartScores);
  clear(els.chartMeasures);
  els.chartScores.appendChild(scoresChart(progress.attempts));
  els.chartMeasures.appendChild(measuresChart(progress.measures, labels));
  els.progress.hidden = false;
}

function loadProgress() {
  api("progress").then((p) => showProgress(p, p.names), () => {});
}

// ---------------------------------------------------------------- start

function newRound() {
  els.round.hidden = true;
  els.sheet.hidden = true;
  els.start.hidden = false;
  els.seed.value = "";
  document.documentElement.dataset.view = "start";
  window.scrollTo(0, 0);
  els.startButton.focus();
}

function init() {
  const ids = ["start", "start-form", "name", "seed", "start-button", "start-error", "round", "case-no", "transcript",
    "ask-form", "question", "ask-button", "ask-count", "ask-error", "statement-form", "classes", "measures",
    "measures-legend", "measures-hint", "departments", "grade-button", "grade-error", "sheet", "sheet-who", "score",
    "questions", "tolerance", "mistakes-title", "mistakes", "rights", "right-summary", "facts", "progress",
    "progress-total", "chart-scores", "chart-measures", "status", "trainee-label", "new-round", "print",
    "policy-name", "kinds", "again", "all-right", "not-asked", "not-asked-summary", "not-asked-list", "sign-out"];
  ids.forEach((id) => { els[id.replace(/-(\w)/g, (_, c) => c.toUpperCase())] = document.getElementById(id); });
  els.startForm.addEventListener("submit", startRound);
  els.askForm.addEventListener("submit", ask);
  els.statementForm.addEventListener("submit", submit);
  els.newRound.addEventListener("click", newRound);
  els.again.addEventListener("click", newRound);
  els.print.addEventListener("click", () => window.print());
  window.addEventListener("beforeprint", () => { els.sheet.querySelectorAll("details").forEach((d) => { d.open = true; }); });
  els.signOut.addEventListener("click", () => signOut());
  signedIn().then((me) => {
    els.name.value = me.display + "（" + me.login + "）";
    els.name.readOnly = true;
    els.signOut.hidden = false;
    return api("options");
  }).then((o) => {
    options = o;
    els.policyName.textContent = "《" + o.policy + "》";
    buildForm();
    loadProgress();
    document.documentElement.dataset.ready = "true";
  }, (e) => {
    els.startError.textContent = e.message;
  });
}

init();
