/*
 * 惠企政策助手 · 政策工作台（/workbench/）: policy staff turn a notice into measures (docs/contract.md E13).
 *
 * For signed-in policy editors (shared/staff.js): paste or upload the notice (text or .docx) and get the draft: its
 * clauses as the notice numbers them, the figures of each highlighted; correct the document's particulars, make
 * parameters of the figures, write a measure per clause (kind, conditions over the facts, amount from the clause's
 * figures), declare new facts with the words owners use, add expert cases; run the checks, preview what publishing
 * would change, publish. The page holds no wording of its own: every label comes from GET /workbench/api/words by
 * name, every value and message goes into the page as text.
 */

import { announce as announceIn } from "/chat/shared/dom.js";
import { signOut, signedIn } from "/chat/shared/staff.js";
import { api, loadWords } from "./wb_api.js";
import { clauseText, parameterFrom, renderParameters, renderPolicy } from "./wb_document.js";
import { addCase, addFact, renderCases, renderFacts } from "./wb_extras.js";
import { measureFor, renderMeasures } from "./wb_measures.js";
import { renderPreview, renderProblems, renderVersions } from "./wb_results.js";
import { fillWords, say, setWords } from "./wb_words.js";

const STEPS = ["document-step", "clauses-step", "facts-step", "cases-step", "check-step", "preview-step", "publish-step"];
const state = { doc: null, clauses: [], options: null };
const els = {};

function $(id) {
  return document.getElementById(id);
}

function announce(text) {
  announceIn(els.status, text);
}

function signedInAs(me, options) {
  state.options = options;
  els.who.textContent = me.display + "（" + me.role_label + "）";
  els.who.hidden = false;
  els.bench.hidden = false;
  els.signOut.hidden = false;
  renderVersions($("versions"), options.versions || []);
}

/** Everything below the text, drawn again from the state after a change of structure. */
function render() {
  renderPolicy($("policy-fields"), state);
  const list = $("clauses");
  list.replaceChildren();
  for (const clause of state.clauses) {
    const box = document.createElement("article");
    box.className = "wb-clause";
    const title = document.createElement("h3");
    title.textContent = [clause.label, clause.section, clause.heading].filter(Boolean).join(" · ");
    box.appendChild(title);
    box.append(...clauseText(clause, (c, figure) => {
      const [name, parameter] = parameterFrom(state, c, figure);
      state.doc.parameters[name] = parameter;
      render();
    }));
    const measures = document.createElement("div");
    renderMeasures(measures, state, clause, render);
    const add = document.createElement("button");
    add.type = "button";
    add.className = "wb-button";
    add.textContent = say("add_measure");
    add.addEventListener("click", () => { state.doc.measures.push(measureFor(state, clause)); render(); });
    box.append(measures, add);
    list.appendChild(box);
  }
  renderParameters($("parameters"), state, render);
  renderFacts($("facts"), state, render);
  renderCases($("cases"), state, render);
  for (const id of STEPS) $(id).hidden = false;
}

function busy(buttonEl, work) {
  buttonEl.disabled = true;
  announce(say("working"));
  return work().catch((problem) => { console.error(problem); announce(say("failed")); })
    .finally(() => { buttonEl.disabled = false; });
}

function readFile(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onerror = () => reject(reader.error);
    if (/\.docx$/i.test(file.name)) {
      reader.onload = () => resolve({ docx: String(reader.result).split(",")[1] || "", name: file.name });
      reader.readAsDataURL(file);
    } else {
      reader.onload = () => resolve({ text: String(reader.result) });
      reader.readAsText(file, "utf-8");
    }
  });
}

function makeDraft() {
  const file = $("notice-file").files[0];
  const request = file ? readFile(file) : Promise.resolve({ text: $("notice-text").value });
  return request.then((body) => api("draft", body)).then(({ status, body }) => {
    const notes = $("draft-notes");
    notes.replaceChildren();
    if (status !== 200) { announce(body.error || say("failed")); return; }
    state.doc = body.document;
    state.clauses = body.clauses;
    $("notice-text").value = body.document.source;
    for (const note of body.notes || []) {
      const li = document.createElement("li");
      li.textContent = note;
      notes.appendChild(li);
    }
    render();
    announce(say("step_document"));
  });
}

function runCheck() {
  return api("check", { document: state.doc }).then(({ status, body }) => {
    if (status !== 200) { announce(body.error || say("failed")); return; }
    renderProblems($("check-result"), body.problems);
    announce(body.ok ? say("check_ok") : say("check_problems", { count: body.problems.length }));
  });
}

function runPreview() {
  const simulated = Number($("simulated").value || 0);
  return api("preview", { document: state.doc, simulated }).then(({ status, body }) => {
    if (status !== 200) {
      renderProblems($("preview-result"), body.problems || []);
      announce(body.error || say("failed"));
      return;
    }
    renderPreview($("preview-result"), body);
    announce(say("step_preview"));
  });
}

function publish() {
  const request = { document: state.doc, effective: $("effective").value, note: $("publish-note").value };
  return api("publish", request).then(({ status, body }) => {
    const result = $("publish-result");
    result.replaceChildren();
    if (status !== 200) {
      renderProblems(result, body.problems || []);
      result.prepend(Object.assign(document.createElement("p"), { className: "wb-error", textContent: body.error || "" }));
      announce(body.error || say("failed"));
      return;
    }
    const said = Object.assign(document.createElement("p"), { className: "wb-ok", textContent: body.message });
    result.appendChild(said);
    if (body.version.retrain_pending) {
      result.appendChild(Object.assign(document.createElement("p"), { textContent: say("retrain_pending") }));
    }
    renderVersions($("versions"), body.versions);
    announce(body.message);
  });
}

function start(me, words) {
  setWords(words);
  fillWords(document);
  document.title = say("title");
  $("effective").value = new Date().toISOString().slice(0, 10);
  els.signOut.addEventListener("click", () => signOut());
  $("make-draft").addEventListener("click", (e) => busy(e.currentTarget, makeDraft));
  $("add-fact").addEventListener("click", () => { addFact(state); render(); });
  $("add-case").addEventListener("click", () => { addCase(state); render(); });
  $("run-check").addEventListener("click", (e) => busy(e.currentTarget, runCheck));
  $("run-preview").addEventListener("click", (e) => busy(e.currentTarget, runPreview));
  $("publish").addEventListener("click", (e) => busy(e.currentTarget, publish));
  return api("options").then(({ status, body }) => {
    if (status === 200) signedInAs(me, body);
    else announce(body.error || say("failed"));
  });
}

document.addEventListener("DOMContentLoaded", () => {
  Object.assign(els, { who: $("who"), bench: $("bench"), signOut: $("sign-out"), status: $("status") });
  signedIn().then((me) => loadWords().then(({ body }) => start(me, body))).catch(() => undefined);
});
