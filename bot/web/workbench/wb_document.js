/*
 * 政策工作台 · the draft as staff correct it: the document's particulars, every clause with the figures found in
 * it highlighted (each can become a parameter), and the parameters made so far.
 */

import { button, clear, node } from "/chat/shared/dom.js";
import { say, sayOf, selectField, textField } from "./wb_words.js";

const POLICY_FIELDS = ["id", "title", "short_title", "number", "issuer", "called"];
const DATE_FIELDS = ["issued", "in_force_from", "in_force_until"];

/** The document's particulars: text fields, level and area from the store, dates, the clause of its period. */
export function renderPolicy(container, state) {
  clear(container);
  const policy = state.doc.policy;
  for (const key of POLICY_FIELDS) container.appendChild(textField("field_" + key, policy, key));
  container.appendChild(selectField("field_level", policy, "level",
    [["", ""], ...state.options.levels.map((l) => [l, l])]));
  const area = { in: (policy.area && policy.area.in) || "" };
  container.appendChild(selectField("field_area", area, "in", [["", ""], ...state.options.areas.map((a) => [a, a])],
    (value) => { policy.area = value ? { in: value } : null; }));
  for (const key of DATE_FIELDS) container.appendChild(textField("field_" + key, policy, key, { type: "date" }));
  container.appendChild(selectField("field_in_force_reference", policy, "in_force_reference",
    [["", ""], ...state.doc.clauses.map((c) => [c.number, c.label])]));
  container.appendChild(textField("field_period", policy, "period"));
}

/** A figure's value as staff read it: 500000 元, 10%, 6 个月, 2020-03-01—2020-08-31. */
export function shownValue(f) {
  if (f.kind === "percent" && typeof f.value === "number") return Math.round(f.value * 100000) / 1000 + "%";
  if (f.kind === "amount") return f.value + say("yuan");
  if (f.kind === "period") {
    return [f.since, f.until].filter(Boolean).join("—") + (f.value ? say("period_months", { months: f.value }) : "");
  }
  if (f.kind === "date") return f.value || f.since || f.until || f.text;
  if (f.value === null || f.value === undefined) return f.text;
  return String(f.value) + (f.unit && f.kind !== "department" ? f.unit : "");
}

function figureMark(f) {
  const mark = node("mark", "wb-figure wb-figure-" + f.kind, f.text);
  const limit = f.limit ? say("limit_" + f.limit) + " " : "";
  mark.title = sayOf("figure_kinds", f.kind) + "：" + limit + shownValue(f);
  return mark;
}

/** The clause's text with its figures marked, and the figures listed, each with a button that makes it a
    parameter (all but departments). */
export function clauseText(clause, onParameter) {
  const text = node("p", "wb-clause-text");
  let at = 0;
  for (const f of clause.figures || []) {
    if (f.start > at) text.appendChild(document.createTextNode(clause.text.slice(at, f.start)));
    text.appendChild(figureMark(f));
    at = f.end;
  }
  if (at < clause.text.length) text.appendChild(document.createTextNode(clause.text.slice(at)));
  const list = node("ul", "wb-figures");
  for (const f of clause.figures || []) {
    const item = node("li", "wb-figure-row");
    item.append(node("span", "wb-figure-kind", sayOf("figure_kinds", f.kind)),
      node("span", "wb-figure-text", f.text), node("span", "wb-figure-value", shownValue(f)));
    if (f.parameter_unit) {
      const make = button("wb-button wb-small", say("make_parameter"));
      make.addEventListener("click", () => onParameter(clause, f));
      item.appendChild(make);
    }
    list.appendChild(item);
  }
  return [text, list];
}

/** A parameter made from a figure, dated from the document's start. */
export function parameterFrom(state, clause, figure) {
  const taken = new Set(Object.keys(state.doc.parameters));
  const position = state.doc.clauses.indexOf(clause) + 1;
  let n = 1;
  while (taken.has("c" + position + "_" + figure.kind + "_" + n)) n += 1;
  const policy = state.doc.policy;
  const day = policy.in_force_from || policy.issued || figure.since || "";
  return ["c" + position + "_" + figure.kind + "_" + n, {
    description: figure.text, unit: figure.parameter_unit, reference: clause.number, text: figure.text,
    values: { [day]: figure.value }
  }];
}

/** The parameters as a list of editable rows; renaming keeps the order. */
export function renderParameters(container, state, rerender) {
  clear(container);
  for (const name of Object.keys(state.doc.parameters)) {
    const p = state.doc.parameters[name];
    const day = Object.keys(p.values || {})[0] || "";
    const row = { key: name, name, day, value: day ? p.values[day] : "" };
    const box = node("div", "wb-parameter");
    const rename = () => {
      const entries = Object.entries(state.doc.parameters).map(([k, v]) => [k === row.key ? row.name : k, v]);
      state.doc.parameters = Object.fromEntries(entries);
      row.key = row.name;
    };
    const revalue = () => { p.values = { [row.day]: row.value === "" ? null : Number(row.value) }; };
    box.append(
      textField("parameter_name", row, "name", { changed: rename }),
      textField("parameter_description", p, "description"),
      node("p", "wb-parameter-text", p.text + " · " + p.reference + " · " + p.unit),
      textField("parameter_day", row, "day", { type: "date", changed: revalue }),
      textField("parameter_value", row, "value", { type: "number", changed: revalue }));
    const remove = button("wb-button wb-small", say("remove"));
    remove.addEventListener("click", () => { delete state.doc.parameters[row.key]; rerender(); });
    box.appendChild(remove);
    container.appendChild(box);
  }
}
