/*
 * 惠企政策助手 · 接线员控制台: 回访 (政策找企业, docs/contract.md E16).
 *
 * After a policy publish, the enterprises that agreed to be told of new measures and newly qualify for one are
 * listed here (GET /console/api/outreach), one task per enterprise and measure, with the result's own line for it
 * (amount, formula, clause, department). "已回访" marks a task done under the operator's account (POST
 * /console/api/outreach/<id>), audited by the server. Every text is shown as text, never as markup.
 */

import { clear, node } from "/chat/shared/dom.js";

let api = null;
let announce = () => {};
const $ = (id) => document.getElementById(id);

/** Loads the list and renders it; resolves to the number of open tasks. */
export function showOutreach(apiFn, announceFn) {
  api = apiFn;
  announce = announceFn;
  return api("outreach").then((tasks) => {
    render(Array.isArray(tasks) ? tasks : []);
    return Array.isArray(tasks) ? tasks.length : 0;
  }).catch((e) => {
    announce("无法读取回访任务：" + e.message);
    return 0;
  });
}

function render(tasks) {
  const list = $("outreach-list");
  clear(list);
  $("outreach-empty").hidden = tasks.length > 0;
  tasks.forEach((t) => {
    const li = node("li", "queue-item outreach-item");
    li.dataset.task = String(t.id);
    li.dataset.source = t.source;
    const head = node("p", "queue-head");
    head.appendChild(node("span", "queue-reason", t.label));
    head.appendChild(node("span", "queue-time", "第" + t.version + "版，" + t.effective + "起"));
    li.appendChild(head);
    li.appendChild(node("p", "queue-text", t.line));
    const done = node("button", "console-button console-primary", "已回访");
    done.type = "button";
    done.setAttribute("aria-label", "已回访：" + t.label + "，" + t.measure_name);
    done.addEventListener("click", () => complete(t, done));
    li.appendChild(done);
    list.appendChild(li);
  });
}

function complete(task, button) {
  button.disabled = true;
  api("outreach/" + task.id, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" })
    .then(() => {
      announce("已完成回访：" + task.label);
      return showOutreach(api, announce);
    })
    .catch((e) => {
      button.disabled = false;
      announce("操作失败：" + e.message);
    });
}
