/*
 * 政策工作台 · a measure per clause: its kind, the conditions over the facts the store defines (or a new fact the
 * document brings), and its amount built from the clause's own figures (a money fact times the clause's
 * parameters, capped by one of them).
 */

import { button, clear, node } from "/chat/shared/dom.js";
import { listOf, listText, say, selectField, template, textField } from "./wb_words.js";

const builders = new WeakMap();  // a measure's amount as chosen in the form: {fact, factors, cap}

/** A new measure of this clause: its departments are those the clause names. */
export function measureFor(state, clause) {
  const taken = new Set(state.doc.measures.map((m) => m.id));
  const base = (state.doc.policy.id || "m") + "-" + (state.doc.clauses.indexOf(clause) + 1);
  let id = base;
  for (let n = 2; taken.has(id); n += 1) id = base + "-" + n;
  const departments = (clause.figures || []).filter((f) => f.kind === "department").map((f) => f.value);
  return { id, title: clause.heading || "", clause: clause.number, departments, summary: "", excerpt: "",
    kind: "benefit", keywords: [], conditions: [], amount: null };
}

function factChoices(state) {
  const known = state.options.facts.map((f) => [f.name, f.label]);
  const added = Object.entries(state.doc.facts).map(([name, f]) => [name, f.label || name]);
  return [["", ""], ["sme", say("sme_condition")], ...known, ...added];
}

function factSpec(state, name) {
  return state.options.facts.find((f) => f.name === name) || state.doc.facts[name] || null;
}

/** What choosing a fact writes into a condition: the test, and what is said when it holds and fails. */
function conditionFor(state, name) {
  if (name === "sme") return { test: "sme", holds: template("sme_holds"), fails: template("sme_fails") };
  const spec = factSpec(state, name) || {};
  if (spec.type === "bool") return { test: name, holds: spec.situation || spec.label || "", fails: spec.denied || "" };
  return { test: name + " >= ", holds: "", fails: "" };
}

function renderCondition(state, measure, condition, rerender) {
  const box = node("div", "wb-condition");
  const picked = { fact: "" };
  const test = textField("condition_test", condition, "test");
  const holds = textField("condition_holds", condition, "holds");
  const fails = textField("condition_fails", condition, "fails");
  box.append(selectField("condition_fact", picked, "fact", factChoices(state), (name) => {
    Object.assign(condition, conditionFor(state, name));
    rerender();
  }), test, holds, fails);
  const remove = button("wb-button wb-small", say("remove"));
  remove.addEventListener("click", () => {
    measure.conditions.splice(measure.conditions.indexOf(condition), 1);
    rerender();
  });
  box.appendChild(remove);
  return box;
}

function formula(built) {
  const product = [built.fact, ...built.factors].join(" * ");
  return built.cap ? "min(" + product + ", " + built.cap + ")" : product;
}

function renderAmount(state, clause, measure) {
  const built = builders.get(measure) || { fact: "", factors: [], cap: "" };
  builders.set(measure, built);
  const amount = measure.amount || { label: "", formula: "", total: { base: "" } };
  const box = node("fieldset", "wb-amount");
  box.appendChild(node("legend", null, say("amount")));
  const own = Object.entries(state.doc.parameters).filter(([, p]) => p.reference === clause.number);
  const money = state.options.facts.filter((f) => f.type === "money").map((f) => [f.name, f.label]);
  const details = node("div", "wb-amount-details");
  const written = textField("amount_formula", amount, "formula");
  const keep = () => {  // the amount is the measure's once it has a formula
    measure.amount = amount.formula ? { ...amount, label: amount.label || measure.title,
      total: { base: (amount.total && amount.total.base) || measure.title } } : null;
  };
  const build = () => {
    amount.formula = built.fact ? formula(built) : "";
    written.querySelector("input").value = amount.formula;
    keep();
  };
  box.appendChild(selectField("amount_fact", built, "fact", [["", say("amount_none")], ...money], build));
  const factors = node("fieldset", "wb-factors");
  factors.appendChild(node("legend", null, say("amount_parameters")));
  for (const [name, p] of own) {
    const check = node("input");
    check.type = "checkbox";
    check.id = "wb-factor-" + measure.id + "-" + name;
    check.checked = built.factors.includes(name);
    check.addEventListener("change", () => {
      built.factors = check.checked ? [...built.factors, name] : built.factors.filter((n) => n !== name);
      build();
    });
    const label = node("label", null, p.text + "（" + name + "）");
    label.htmlFor = check.id;
    factors.append(check, label);
  }
  const base = { base: (amount.total && amount.total.base) || "" };
  details.append(factors,
    selectField("amount_cap", built, "cap", [["", ""], ...own.map(([name, p]) => [name, p.text + "（" + name + "）"])],
      build),
    written, textField("amount_label", amount, "label", { changed: keep }),
    textField("total_base", base, "base", { changed: () => { amount.total = { base: base.base }; keep(); } }));
  written.querySelector("input").addEventListener("input", keep);
  box.appendChild(details);
  return box;
}

/** The forms of the measures of one clause. */
export function renderMeasures(container, state, clause, rerender) {
  clear(container);
  for (const measure of state.doc.measures.filter((m) => m.clause === clause.number)) {
    const box = node("fieldset", "wb-measure");
    box.appendChild(node("legend", null, say("measure") + " " + measure.id));
    box.append(textField("measure_id", measure, "id"), textField("measure_title", measure, "title"),
      selectField("measure_kind", measure, "kind", state.options.kinds.map((k) => [k.name, k.heading])),
      textField("measure_departments", measure, "departments", { show: listText, read: listOf }),
      textField("measure_summary", measure, "summary", { rows: 2 }),
      textField("measure_excerpt", measure, "excerpt", { rows: 2 }),
      textField("measure_keywords", measure, "keywords", { show: listText, read: listOf }));
    const conditions = node("fieldset", "wb-conditions");
    conditions.appendChild(node("legend", null, say("conditions")));
    for (const condition of measure.conditions) conditions.appendChild(renderCondition(state, measure, condition, rerender));
    const add = button("wb-button wb-small", say("add_condition"));
    add.addEventListener("click", () => { measure.conditions.push({ test: "", holds: "", fails: "" }); rerender(); });
    conditions.appendChild(add);
    box.append(conditions, renderAmount(state, clause, measure));
    const remove = button("wb-button wb-small", say("remove"));
    remove.addEventListener("click", () => { state.doc.measures.splice(state.doc.measures.indexOf(measure), 1); rerender(); });
    box.appendChild(remove);
    container.appendChild(box);
  }
}
