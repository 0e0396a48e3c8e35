/*
 * 政策工作台 · what the server answered: the checks' problems, the preview of what publishing would change, the
 * versions published. Every sentence is the server's or the page's words; every value goes in as text.
 */

import { clear, node } from "/chat/shared/dom.js";
import { checkTitle, say, sayOf } from "./wb_words.js";

/** The problems, grouped by check, or the word that all checks pass. */
export function renderProblems(container, problems) {
  clear(container);
  if (!problems.length) {
    container.appendChild(node("p", "wb-ok", say("check_ok")));
    return;
  }
  container.appendChild(node("p", "wb-error", say("check_problems", { count: problems.length })));
  const groups = new Map();
  for (const p of problems) {
    if (!groups.has(p.check)) groups.set(p.check, []);
    groups.get(p.check).push(p);
  }
  for (const [check, found] of groups) {
    container.appendChild(node("h3", "wb-check-title", checkTitle(check)));
    const list = node("ul", "wb-problems");
    for (const p of found) list.appendChild(node("li", null, p.message));
    container.appendChild(list);
  }
}

function stateText(s) {
  if (!s || !s.status) return "—";
  return sayOf("statuses", s.status) + (s.amount_yuan !== null && s.amount_yuan !== undefined ? " " + s.amount_yuan + say("yuan") : "");
}

const CHANGES = ["newly_eligible", "no_longer_eligible", "amount_changed", "to_ask"];

/** Measure by measure: how many profiles change and how, with examples. */
export function renderPreview(container, preview) {
  clear(container);
  const counted = preview.profiles || {};
  container.appendChild(node("p", null, say("preview_profiles",
    { case: counted.case || 0, simulated: counted.simulated || 0, record: counted.record || 0 })));
  if (!preview.measures.length) container.appendChild(node("p", "wb-ok", say("preview_none")));
  for (const m of preview.measures) {
    const box = node("section", "wb-preview-measure");
    const title = node("h3", null, m.name + " · " + m.document);
    if (m.new) title.appendChild(node("span", "wb-badge", say("new_measure")));
    box.appendChild(title);
    const table = node("table", "wb-preview-table");
    const head = node("tr");
    head.append(node("th", null, say("col_change")), node("th", null, say("col_count")),
      node("th", null, say("col_examples")));
    table.appendChild(node("thead")).appendChild(head);
    const body = node("tbody");
    for (const change of CHANGES) {
      const row = node("tr");
      const examples = node("ul", "wb-examples");
      for (const e of m[change].examples) {
        examples.appendChild(node("li", null, e.label + "：" + stateText(e.before) + " → " + stateText(e.after) +
          (e.after.why ? "（" + e.after.why + "）" : "")));
      }
      const th = node("th", null, say(change));
      th.scope = "row";
      const shown = node("td");
      shown.appendChild(examples);
      row.append(th, node("td", null, String(m[change].count)), shown);
      body.appendChild(row);
    }
    table.appendChild(body);
    box.appendChild(table);
    container.appendChild(box);
  }
  if (preview.totals && preview.totals.count) {
    container.appendChild(node("p", null, say("totals_changed", { count: preview.totals.count })));
  }
}

/** The versions published, newest first. */
export function renderVersions(container, versions) {
  clear(container);
  for (const v of [...versions].reverse()) {
    container.appendChild(node("li", null, "v" + v.number + " · " + v.document + " · " + v.effective +
      (v.note ? " · " + v.note : "") + (v.retrain_pending ? " · " + say("retrain_pending") : "")));
  }
}
