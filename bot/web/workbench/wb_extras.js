/*
 * 政策工作台 · what the document brings besides its measures: new facts (with their question and the words owners
 * use for them) and expert cases (facts in, the conclusion an expert expects out).
 */

import { button, clear, node } from "/chat/shared/dom.js";
import { listOf, listText, say, sayOf, selectField, textField } from "./wb_words.js";

/** The new facts as editable rows; renaming keeps the order. */
export function renderFacts(container, state, rerender) {
  clear(container);
  for (const name of Object.keys(state.doc.facts)) {
    const spec = state.doc.facts[name];
    const row = { key: name, name };
    const rename = () => {
      state.doc.facts = Object.fromEntries(Object.entries(state.doc.facts).map(([k, v]) => [k === row.key ? row.name : k, v]));
      row.key = row.name;
    };
    const box = node("fieldset", "wb-fact");
    box.appendChild(node("legend", null, say("new_fact")));
    box.append(textField("fact_name", row, "name", { changed: rename }),
      selectField("fact_type", spec, "type", state.options.fact_types.map((t) => [t, t])),
      textField("fact_label", spec, "label"), textField("fact_ask", spec, "ask"),
      textField("fact_situation", spec, "situation"),
      textField("fact_words", spec, "words", { show: listText, read: listOf }),
      textField("fact_chance", spec, "simulator", { type: "number",
        show: (sim) => (sim && sim.chance !== undefined ? sim.chance : ""),
        read: (text) => (text === "" ? {} : { chance: Number(text) }) }));
    const remove = button("wb-button wb-small", say("remove"));
    remove.addEventListener("click", () => { delete state.doc.facts[row.key]; rerender(); });
    box.appendChild(remove);
    container.appendChild(box);
  }
}

export function addFact(state) {
  let n = 1;
  while (("new_fact_" + n) in state.doc.facts) n += 1;
  state.doc.facts["new_fact_" + n] = { type: "bool", label: "", ask: "", situation: "", words: [], simulator: {} };
}

/** "employees=20" → ["employees", 20]; true/false and numbers are read as such. */
function factLine(line) {
  const at = line.indexOf("=");
  if (at < 1) return null;
  const name = line.slice(0, at).trim();
  const raw = line.slice(at + 1).trim();
  if (raw === "true" || raw === "false") return [name, raw === "true"];
  return [name, raw !== "" && !Number.isNaN(Number(raw)) ? Number(raw) : raw];
}

function factsText(facts) {
  return Object.entries(facts || {}).map(([k, v]) => k + "=" + v).join("\n");
}

function readFacts(text) {
  return Object.fromEntries(String(text).split("\n").map(factLine).filter(Boolean));
}

/** The expert cases: each its facts and what it expects of one measure. */
export function renderCases(container, state, rerender) {
  clear(container);
  const measures = state.doc.measures.map((m) => [m.id, m.title || m.id]);
  for (const c of state.doc.cases) {
    c.expect = c.expect || { measures: {} };
    const [mid, wanted] = Object.entries(c.expect.measures || {})[0] || ["", { status: "eligible" }];
    const pick = { measure: mid, status: wanted.status || "eligible", amount: wanted.amount_yuan ?? "",
      why: wanted.why_contains || "" };
    const write = () => {
      const expect = { status: pick.status };
      if (pick.amount !== "" && pick.amount !== null) expect.amount_yuan = Number(pick.amount);
      if (pick.why) expect.why_contains = pick.why;
      c.expect = { measures: pick.measure ? { [pick.measure]: expect } : {} };
    };
    const box = node("fieldset", "wb-case");
    box.appendChild(node("legend", null, c.name || say("add_case")));
    box.append(textField("case_name", c, "name"), textField("case_as_of", c, "as_of", { type: "date" }),
      textField("case_facts", c, "facts", { rows: 4, show: factsText, read: readFacts }),
      selectField("case_measure", pick, "measure", [["", ""], ...measures], write),
      selectField("case_status", pick, "status", ["eligible", "ineligible", "unknown"].map((s) => [s, sayOf("statuses", s)]), write),
      textField("case_amount", pick, "amount", { type: "number", changed: write }),
      textField("case_why", pick, "why", { changed: write }));
    const remove = button("wb-button wb-small", say("remove"));
    remove.addEventListener("click", () => { state.doc.cases.splice(state.doc.cases.indexOf(c), 1); rerender(); });
    box.appendChild(remove);
    container.appendChild(box);
    write();
  }
}

export function addCase(state) {
  state.doc.cases.push({ name: "", as_of: state.doc.policy.in_force_from || "", facts: {}, expect: { measures: {} } });
}
