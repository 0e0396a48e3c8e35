/*
 * 政策工作台 · the page's words (policy_db/workbench_words.yaml `page`, from GET /workbench/api/words) and the
 * form fields built from them. Every label comes from there by name; every value goes into the page as text.
 */

import { node } from "/chat/shared/dom.js";
import { fill } from "/chat/shared/format.js";

let words = { page: {}, checks: {} };
let serial = 0;

export function setWords(value) {
  if (value && typeof value === "object") words = { page: value.page || {}, checks: value.checks || {} };
}

/** A page word by name, its {placeholders} filled; "" when absent. */
export function say(name, values) {
  const text = words.page[name];
  return typeof text === "string" ? fill(text, values) : "";
}

/** A page word by name as written, its {placeholders} kept: wording that goes into the draft, which the engine
 * fills when it speaks (a condition's "{sme_label}"). */
export function template(name) {
  const text = words.page[name];
  return typeof text === "string" ? text : "";
}

/** A word of a group of the page's words (figure kinds, statuses), or the key itself. */
export function sayOf(group, key) {
  const found = (words.page[group] || {})[key];
  return typeof found === "string" ? found : String(key);
}

export function checkTitle(name) {
  return typeof words.checks[name] === "string" ? words.checks[name] : name;
}

/** Every element marked data-word gets its word. */
export function fillWords(root) {
  root.querySelectorAll("[data-word]").forEach((el) => { el.textContent = say(el.dataset.word); });
}

function labelled(labelName, control) {
  const id = "wb-field-" + (++serial);
  control.id = id;
  const wrap = node("div", "wb-field");
  const label = node("label", null, say(labelName));
  label.htmlFor = id;
  wrap.append(label, control);
  return wrap;
}

/** A text field bound to record[key]; `read` turns the text into the value kept (default: the text). */
export function textField(labelName, record, key, options = {}) {
  const input = node(options.rows ? "textarea" : "input");
  if (options.rows) input.rows = options.rows; else input.type = options.type || "text";
  const shown = options.show ? options.show(record[key]) : record[key];
  input.value = shown === undefined || shown === null ? "" : String(shown);
  input.addEventListener("input", () => {
    record[key] = options.read ? options.read(input.value) : input.value;
    if (options.changed) options.changed();
  });
  return labelled(labelName, input);
}

/** A select bound to record[key]; `choices`: [[value, text], …]. */
export function selectField(labelName, record, key, choices, changed) {
  const select = node("select");
  for (const [value, text] of choices) {
    const option = node("option", null, text);
    option.value = value;
    select.appendChild(option);
  }
  select.value = record[key] === undefined || record[key] === null ? "" : String(record[key]);
  select.addEventListener("change", () => {
    record[key] = select.value;
    if (changed) changed(select.value);
  });
  return labelled(labelName, select);
}

/** "a、b，c" → ["a", "b", "c"]; and back. */
export function listOf(text) {
  return String(text || "").split(/[、，,\s]+/).map((s) => s.trim()).filter(Boolean);
}

export function listText(items) {
  return Array.isArray(items) ? items.join("、") : "";
}
