/*
 * 惠企政策助手 · 聊天页面（/chat/）
 *
 * Talks to the assistant through Rasa's REST channel (POST /webhooks/rest/webhook, same origin) with a sender id kept
 * in localStorage, and renders the contract's payloads (docs/contract.md §2, §E2): `ask` options as quick-reply
 * chips, checklists (`multi`) as multi-select chips, `result` as a card, `handoff` as a card with the hotline.
 * After a reload the conversation is re-rendered from GET /chat/history. A result's sections, their titles and its
 * total come from the payload (`groups`, `total`): the page adds no policy wording of its own.
 *
 * Security: every piece of user or bot text goes into the page through textContent / createElement, never as HTML.
 * The page runs under a Content-Security-Policy without inline script or style, so no style attribute is written.
 */
(function () {
  "use strict";

  var REST_URL = "/webhooks/rest/webhook";
  var STORAGE_KEY = "huiqi-chat-sender";
  var SENDER_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
  var TIME_GAP_MS = 5 * 60 * 1000;
  var REPLY_TIMEOUT_MS = 90 * 1000;
  var NONE_OF_THEM = "都没有";
  var WELCOME = "您好！我是惠企政策助手，可以帮您看看惠企政策里哪些扶持措施适用于您的企业、" +
    "大概能享受多少。\n请说说企业的行业、人数、去年营收和受疫情影响的情况，比如：“我们是饭店，12个人，去年营收180万，受疫情影响挺大”。";
  var SME_LABELS = { medium: "中型企业", small: "小型企业", micro: "微型企业", large: "大型企业" };
  var HANDOFF_REASONS = {
    user_request: "您希望转人工服务。",
    repeated_misunderstanding: "助手连续没能理解您的问题，建议直接咨询工作人员。",
    dispute: "您的情况涉及订单违约或合同纠纷，可以申请专项法律援助。"
  };

  var els = {};
  var sender = null;
  var lastTimeShown = 0;
  var queue = Promise.resolve();
  var activeChips = [];
  var policyInfo = null;
  var clausesPromise = null;
  var lastResult = null;
  var dialogOpener = null;

  // ---------------------------------------------------------------- small helpers

  function node(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function hidden(text) {
    return node("span", "visually-hidden", text);
  }

  function pad(n) {
    return n < 10 ? "0" + n : String(n);
  }

  function formatTime(ms) {
    var d = new Date(ms);
    var now = new Date();
    var hm = pad(d.getHours()) + ":" + pad(d.getMinutes());
    var startOfToday = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
    if (ms >= startOfToday) return hm;
    if (ms >= startOfToday - 86400000) return "昨天 " + hm;
    var md = (d.getMonth() + 1) + "月" + d.getDate() + "日 " + hm;
    return d.getFullYear() === now.getFullYear() ? md : d.getFullYear() + "年" + md;
  }

  function formatDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
    return m ? m[1] + "年" + Number(m[2]) + "月" + Number(m[3]) + "日" : String(iso || "");
  }

  function formatYuan(amount) {
    return Number(amount).toLocaleString("zh-CN", { maximumFractionDigits: 2 });
  }

  function factLabel(name) {
    var facts = policyInfo && policyInfo.facts;
    return facts && facts[name] ? facts[name].label : name;
  }

  /* Exactly as given: 399999999 is 39,999.9999万元, never rounded up to 40,000万元 (a threshold of the SME table). */
  function formatMoney(amount) {
    var n = Number(amount);
    if (Math.abs(n) >= 10000) return (n / 10000).toLocaleString("zh-CN", { maximumFractionDigits: 6 }) + "万元";
    return formatYuan(n) + "元";
  }

  function factValue(name, value) {
    var spec = policyInfo && policyInfo.facts && policyInfo.facts[name];
    if (value === true) return "是";
    if (value === false) return "否";
    if (value === null || value === undefined) return "未知";
    if (spec && spec.type === "money") return formatMoney(value);
    if (spec && spec.type === "months") return value + "个月";
    if (spec && spec.unit) return value + spec.unit;
    return String(value);
  }

  function smeLabel(cls) {
    return SME_LABELS[cls] || "规模待定";
  }

  function newSenderId() {
    var bytes = new Uint8Array(10);
    window.crypto.getRandomValues(bytes);
    return "web-" + Array.prototype.map.call(bytes, function (b) { return pad16(b); }).join("");
  }

  function pad16(b) {
    return (b < 16 ? "0" : "") + b.toString(16);
  }

  function loadSender() {
    var id = null;
    try {
      id = window.localStorage.getItem(STORAGE_KEY);
    } catch (e) { /* storage blocked: the conversation lasts as long as the page */ }
    if (!id || !SENDER_PATTERN.test(id)) {
      id = newSenderId();
      try {
        window.localStorage.setItem(STORAGE_KEY, id);
      } catch (e) { /* see above */ }
    }
    return id;
  }

  function announce(text) {
    els.status.textContent = "";
    window.setTimeout(function () { els.status.textContent = text; }, 30);
  }

  function scrollToEnd() {
    els.messages.scrollTop = els.messages.scrollHeight;
  }

  // ---------------------------------------------------------------- rows, bubbles, times

  function addTime(ms) {
    if (ms - lastTimeShown < TIME_GAP_MS) return;
    lastTimeShown = ms;
    var t = node("time", "time", formatTime(ms));
    t.setAttribute("datetime", new Date(ms).toISOString());
    els.messages.appendChild(t);
  }

  function addRow(from, ms) {
    addTime(ms);
    var row = node("div", "row row-" + from);
    var avatar = node("img", "avatar");
    avatar.src = from === "user" ? "/chat/avatar-user.svg" : "/chat/avatar-bot.svg";
    avatar.alt = "";
    avatar.setAttribute("aria-hidden", "true");
    var body = node("div", "row-body");
    row.appendChild(avatar);
    row.appendChild(body);
    els.messages.appendChild(row);
    return body;
  }

  function addBubble(from, text, ms) {
    var body = addRow(from, ms);
    var bubble = node("div", "bubble");
    bubble.appendChild(hidden(from === "user" ? "我说：" : "助手说："));
    bubble.appendChild(document.createTextNode(text));
    body.appendChild(bubble);
    scrollToEnd();
    return body;
  }

  function addNotice(text, retry) {
    var p = node("div", "notice", text);
    p.setAttribute("role", "alert");
    if (retry) {
      var b = node("button", "notice-retry", "重试");
      b.type = "button";
      b.setAttribute("aria-label", "重新发送这条消息");
      b.addEventListener("click", function () {
        p.remove();
        retry();
      });
      p.appendChild(b);
    }
    els.messages.appendChild(p);
    scrollToEnd();
  }

  function showTyping() {
    hideTyping();
    var row = node("div", "row row-bot typing");
    row.id = "typing";
    row.setAttribute("aria-hidden", "true");
    var avatar = node("img", "avatar");
    avatar.src = "/chat/avatar-bot.svg";
    avatar.alt = "";
    var bubble = node("div", "bubble typing-bubble");
    for (var i = 0; i < 3; i++) bubble.appendChild(node("span", "typing-dot"));
    var body = node("div", "row-body");
    body.appendChild(bubble);
    row.appendChild(avatar);
    row.appendChild(body);
    els.messages.appendChild(row);
    els.title.textContent = "对方正在输入…";
    announce("助手正在输入…");
    scrollToEnd();
  }

  function hideTyping() {
    var t = document.getElementById("typing");
    if (t) t.remove();
    els.title.textContent = "惠企政策助手";
  }

  // ---------------------------------------------------------------- quick replies and checklists

  function deactivateChips() {
    activeChips.forEach(function (group) {
      group.classList.add("chips-done");
      Array.prototype.forEach.call(group.querySelectorAll("button"), function (b) { b.disabled = true; });
    });
    activeChips = [];
  }

  function renderOptions(body, payload) {
    var group = node("div", "chips");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "快捷回复（也可以直接输入）");
    payload.options.forEach(function (option) {
      var chip = node("button", "chip", option);
      chip.type = "button";
      chip.setAttribute("aria-label", "回复：" + option);
      chip.addEventListener("click", function () { send(option); });
      group.appendChild(chip);
    });
    body.appendChild(group);
    activeChips.push(group);
  }

  function renderChecklist(body, payload) {
    var box = node("div", "checklist");
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", "请选择符合的情况，可多选，选好后点“发送所选”");
    var list = node("div", "chips chips-multi");
    var chosen = [];
    var sendButton = node("button", "checklist-send", "发送所选");
    sendButton.type = "button";
    sendButton.disabled = true;

    function update() {
      sendButton.disabled = chosen.length === 0;
      sendButton.textContent = chosen.length ? "发送所选（" + chosen.length + "项）" : "发送所选";
      sendButton.setAttribute("aria-label", chosen.length ? "发送所选的" + chosen.length + "项情况" : "发送所选（尚未选择）");
    }

    payload.options.forEach(function (option, i) {
      var number = i + 1;
      var chip = node("button", "chip chip-toggle");
      chip.type = "button";
      chip.setAttribute("aria-pressed", "false");
      chip.dataset.number = String(number);
      chip.appendChild(node("span", "chip-number", number));
      chip.appendChild(node("span", "chip-text", option));
      chip.addEventListener("click", function () {
        var at = chosen.indexOf(number);
        if (at >= 0) chosen.splice(at, 1); else chosen.push(number);
        chip.setAttribute("aria-pressed", at >= 0 ? "false" : "true");
        update();
      });
      list.appendChild(chip);
    });

    var none = node("button", "chip chip-none", NONE_OF_THEM);
    none.type = "button";
    none.setAttribute("aria-label", "以上情况都没有");
    none.addEventListener("click", function () { send(NONE_OF_THEM); });

    sendButton.addEventListener("click", function () {
      if (!chosen.length) return;
      send(chosen.slice().sort(function (a, b) { return a - b; }).join("、"));
    });

    var actions = node("div", "checklist-actions");
    actions.appendChild(none);
    actions.appendChild(sendButton);
    box.appendChild(list);
    box.appendChild(actions);
    update();
    body.appendChild(box);
    activeChips.push(box);
  }

  // ---------------------------------------------------------------- clause viewer

  function loadClauses() {
    if (!clausesPromise) {
      clausesPromise = fetch("/chat/clauses", { headers: { Accept: "application/json" } })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .catch(function (e) { clausesPromise = null; throw e; });
    }
    return clausesPromise;
  }

  function clauseButton(label) {
    var b = node("button", "clause-link", label);
    b.type = "button";
    b.dataset.clause = label;
    b.setAttribute("aria-label", "查看" + label + "原文");
    b.setAttribute("aria-haspopup", "dialog");
    b.addEventListener("click", function () { openClause(label, b); });
    return b;
  }

  function openClause(label, opener) {
    dialogOpener = opener || null;
    els.clauseTitle.textContent = label;
    els.clauseHeading.textContent = "正在加载条款原文…";
    els.clauseText.textContent = "";
    els.clauseSource.textContent = policyInfo ? "出自《" + policyInfo.title + "》（" + policyInfo.issuer + "）" : "";
    if (!els.dialog.open) els.dialog.showModal();
    els.clauseClose.focus();
    loadClauses().then(function (all) {
      var clause = all[label];
      els.clauseHeading.textContent = clause ? clause.heading : "";
      els.clauseText.textContent = clause ? clause.text : "暂未找到该条款的原文。";
    }, function () {
      els.clauseHeading.textContent = "";
      els.clauseText.textContent = "条款原文加载失败，请稍后再试。";
    });
  }

  // ---------------------------------------------------------------- result card

  function measureParts(m) {
    var ul = node("ul", "measure-parts");
    m.parts.forEach(function (part) {
      var li = node("li", "measure-part part-" + part.status, part.title);
      if (part.status !== "eligible" && part.why) li.appendChild(node("span", "part-why", "：" + part.why));
      ul.appendChild(li);
    });
    return ul;
  }

  function measureItem(m) {
    var li = node("li", "measure measure-" + m.status + (m.kind ? " kind-" + m.kind : ""));
    li.dataset.measure = m.id;
    if (m.kind) li.dataset.kind = m.kind;
    var head = node("div", "measure-head");
    head.appendChild(node("span", "measure-id", m.id));
    head.appendChild(node("span", "measure-title", m.title));
    if (m.clause) head.appendChild(clauseButton(m.clause));
    li.appendChild(head);

    if (m.status === "eligible") {
      if (m.kind && m.kind !== "benefit" && m.summary) li.appendChild(node("p", "measure-summary", m.summary));
      if (Array.isArray(m.parts) && m.parts.length) li.appendChild(measureParts(m));
      if (m.amount_yuan !== null && m.amount_yuan !== undefined) {
        var amount = node("p", "measure-amount");
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
      if (m.months) li.appendChild(node("p", "measure-months", "期限：最长" + m.months + "个月"));
      if (m.why && !(m.parts && m.parts.length)) li.appendChild(node("p", "measure-why", m.why));
    } else {
      if (m.why) li.appendChild(node("p", "measure-why", m.why));
      if (m.status === "unknown" && m.months) li.appendChild(node("p", "measure-months", "期限：最长" + m.months + "个月"));
    }
    if (m.reading && m.status !== "ineligible") li.appendChild(node("p", "measure-reading", m.reading));
    if (m.departments && m.departments.length && m.status !== "ineligible") {
      li.appendChild(node("p", "measure-departments", "办理部门：" + m.departments.join("、")));
    }
    return li;
  }

  /* The payload's sections (`groups`, docs/contract.md §E2) with their measures; a payload from before groups were
     sent (an old conversation's history) is one untitled section. */
  function resultGroups(p) {
    var byId = {};
    (p.measures || []).forEach(function (m) { byId[m.id] = m; });
    var groups = Array.isArray(p.groups) ? p.groups : [{ title: "", status: "", measures: Object.keys(byId) }];
    return groups.map(function (g) {
      return {
        title: g.title, status: g.status, kind: g.kind, note: g.note,
        measures: (g.measures || []).map(function (id) { return byId[id]; }).filter(Boolean)
      };
    }).filter(function (g) { return g.measures.length; });
  }

  /* The documents assessed (`policies`, docs/contract.md §E6), each with its own sections; a payload of one document
     is one unnamed block, as before. */
  function resultDocuments(p) {
    if (!Array.isArray(p.policies) || p.policies.length < 2) return [{ doc: null, groups: resultGroups(p) }];
    return p.policies.map(function (d) {
      return { doc: d, groups: resultGroups({ measures: p.measures, groups: d.groups || [] }) };
    }).filter(function (block) { return block.groups.length; });
  }

  function documentName(d) {
    return "【" + d.level + "】《" + d.short_title + "》" + (d.number ? "（" + d.number + "）" : "");
  }

  function hasTotal(p) {
    return p.total && Array.isArray(p.total.parts) && p.total.parts.length > 0;
  }

  function totalBlock(t) {
    var box = node("div", "total");
    box.dataset.amount = String(t.amount_yuan);
    var line = node("p", "total-line");
    line.appendChild(node("span", "total-label", t.label + "："));
    line.appendChild(node("strong", "total-value", formatYuan(t.amount_yuan)));
    line.appendChild(node("span", "amount-unit", " 元"));
    box.appendChild(line);
    if (t.formula) box.appendChild(node("p", "total-formula", t.formula + "（" + t.parts.join(" + ") + "）"));
    if (t.note) box.appendChild(node("p", "total-note", t.note));
    return box;
  }

  function resultSummary(p) {
    var lines = ["惠企政策助手 · 评估结果"];
    var facts = (p.enterprise && p.enterprise.facts) || {};
    var shortTitle = policyInfo ? "《" + policyInfo.short_title + "》" : p.policy;
    lines.push("政策：" + shortTitle + (p.as_of ? "（评估日期 " + p.as_of + "）" : ""));
    lines.push("企业规模：" + smeLabel(p.enterprise && p.enterprise.sme_class));
    var known = Object.keys(facts).map(function (k) { return factLabel(k) + "：" + factValue(k, facts[k]); });
    if (known.length) lines.push("企业情况：" + known.join("；"));
    if (p.expired) lines.push("注意：" + expiryText(p));
    var blocks = resultDocuments(p);
    var several = blocks.length > 1;
    blocks.forEach(function (block) {
      if (block.doc) lines.push("", documentName(block.doc) + "，" + block.doc.issuer);
      block.groups.forEach(function (g) { summaryGroup(lines, g, p, several); });
    });
    if (several && hasTotal(p)) lines.push("", totalLine(p.total));
    return lines.join("\n");
  }

  function totalLine(t) {
    return t.label + "：" + formatYuan(t.amount_yuan) + "元" + (t.formula ? "（" + t.formula + "）" : "") +
      (t.note ? "；" + t.note : "");
  }

  function summaryGroup(lines, g, p, several) {
    var ms = g.measures;
    lines.push("");
    if (g.title) lines.push(g.title + "（" + ms.length + "项）：" + (g.note || ""));
    ms.forEach(function (m) {
      var parts = [m.id + " " + m.title];
      if (m.status === "eligible" && m.amount_yuan !== null && m.amount_yuan !== undefined) {
        parts.push("约" + formatYuan(m.amount_yuan) + "元" + (m.formula ? "（" + m.formula + "）" : ""));
      } else if (m.why) {
        parts.push(m.why);
      }
      if (m.clause) parts.push("依据" + m.clause);
      if (m.status !== "ineligible" && m.departments && m.departments.length) {
        parts.push("办理部门：" + m.departments.join("、"));
      }
      lines.push("- " + parts.join("；"));
    });
    if (!several && g.kind === "benefit" && hasTotal(p)) lines.push(totalLine(p.total));
  }

  function copyButton(label, textFor) {
    var b = node("button", "card-button", label);
    b.type = "button";
    b.addEventListener("click", function () {
      copyText(textFor()).then(function () {
        b.textContent = "已复制";
        announce("已复制到剪贴板");
        window.setTimeout(function () { b.textContent = label; }, 2000);
      }, function () {
        announce("复制失败，请手动选择文字复制");
      });
    });
    return b;
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {
      var area = node("textarea", "visually-hidden");
      area.value = text;
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      area.remove();
      if (ok) resolve(); else reject(new Error("copy failed"));
    });
  }

  function renderResult(body, p, text) {
    lastResult = p;
    var card = node("article", "card result-card");
    card.setAttribute("aria-label", "评估结果");
    var head = node("header", "card-head");
    head.appendChild(node("h2", "card-title", "评估结果"));
    var sub = smeLabel(p.enterprise && p.enterprise.sme_class);
    var facts = (p.enterprise && p.enterprise.facts) || {};
    if (facts.industry) sub = facts.industry + " · " + sub;
    head.appendChild(node("p", "card-sub", sub));
    card.appendChild(head);

    if (p.expired) {
      var banner = node("p", "banner", expiryText(p));
      banner.setAttribute("role", "note");
      card.appendChild(banner);
    }

    var blocks = resultDocuments(p);
    var several = blocks.length > 1;
    blocks.forEach(function (block) {
      if (block.doc) {
        var docHead = node("div", "doc-head");
        docHead.dataset.policy = block.doc.id;
        docHead.appendChild(node("h3", "doc-title", documentName(block.doc)));
        docHead.appendChild(node("p", "doc-sub", block.doc.issuer + (block.doc.period ? " · " + block.doc.period : "")));
        card.appendChild(docHead);
      }
      block.groups.forEach(function (g) { card.appendChild(resultSection(g, p, several)); });
    });
    if (several && hasTotal(p)) card.appendChild(totalBlock(p.total));

    if (text) {
      var more = node("details", "card-text");
      more.appendChild(node("summary", "", "文字说明"));
      more.appendChild(node("p", "card-text-body", text));
      card.appendChild(more);
    }

    var actions = node("div", "card-actions");
    actions.appendChild(copyButton("复制结果摘要", function () { return resultSummary(p); }));
    card.appendChild(actions);
    body.appendChild(card);
  }

  /* One section of a result: its title, note and measures; what does not apply is folded. With one document the
     total sits under its benefits, with several it closes the card. */
  function resultSection(g, p, several) {
    var ms = g.measures;
    var section;
    var title = g.title ? g.title + "（" + ms.length + "项）" : "";
    var className = "group group-" + (g.status || "all") + (g.kind ? " group-kind-" + g.kind : "");
    if (g.status === "ineligible") {
      section = node("details", className);
      section.appendChild(node("summary", "group-title", title));
    } else {
      section = node("section", className);
      if (title) section.appendChild(node("h3", "group-title", title));
    }
    if (g.kind) section.dataset.kind = g.kind;
    if (g.note) section.appendChild(node("p", "group-note", g.note));
    var list = node("ul", "measures");
    ms.forEach(function (m) { list.appendChild(measureItem(m)); });
    section.appendChild(list);
    if (!several && g.kind === "benefit" && hasTotal(p)) section.appendChild(totalBlock(p.total));
    return section;
  }

  // The end date comes from the payload (contract §E2), never from the page.
  function expiryText(p) {
    return "该政策已" + (p.valid_until ? "于" + formatDate(p.valid_until) : "") + "执行期满，以下测算仅供参考。";
  }

  // ---------------------------------------------------------------- handoff card

  function handoffSummary(p) {
    var lines = ["惠企政策助手 · 转人工"];
    var hotline = p.hotline || (policyInfo && policyInfo.hotline);
    if (hotline) lines.push("热线：" + hotline);
    if (p.departments && p.departments.length) lines.push("可咨询部门：" + p.departments.join("、"));
    if (p.sme_class !== undefined) lines.push("企业规模：" + smeLabel(p.sme_class));
    var facts = p.facts || {};
    Object.keys(facts).forEach(function (k) { lines.push(factLabel(k) + "：" + factValue(k, facts[k])); });
    return lines.join("\n");
  }

  function renderHandoff(body, p) {
    var hotline = p.hotline || (policyInfo && policyInfo.hotline);
    var card = node("article", "card handoff-card");
    card.setAttribute("aria-label", "转人工服务");
    var head = node("header", "card-head");
    head.appendChild(node("h2", "card-title", "转人工服务"));
    if (HANDOFF_REASONS[p.reason]) head.appendChild(node("p", "card-sub", HANDOFF_REASONS[p.reason]));
    card.appendChild(head);

    if (hotline) {
      var call = node("a", "hotline");
      call.href = "tel:" + String(hotline).replace(/[^0-9+]/g, "");
      call.setAttribute("aria-label", "拨打" + hotline + "法律服务热线");
      call.appendChild(node("span", "hotline-icon", "☎"));
      call.appendChild(node("span", "hotline-number", hotline));
      call.appendChild(node("span", "hotline-label", "法律服务热线"));
      card.appendChild(call);
    }

    if (p.departments && p.departments.length) {
      var deps = node("section", "group");
      deps.appendChild(node("h3", "group-title", "可咨询的部门"));
      var ul = node("ul", "departments");
      p.departments.forEach(function (d) { ul.appendChild(node("li", "", d)); });
      deps.appendChild(ul);
      card.appendChild(deps);
    }

    var facts = p.facts || {};
    var names = Object.keys(facts);
    if (names.length || p.sme_class) {
      var known = node("section", "group");
      known.appendChild(node("h3", "group-title", "已整理的企业情况"));
      var dl = node("dl", "facts");
      if (p.sme_class !== undefined) {
        dl.appendChild(node("dt", "", "企业规模"));
        dl.appendChild(node("dd", "", smeLabel(p.sme_class)));
      }
      names.forEach(function (k) {
        dl.appendChild(node("dt", "", factLabel(k)));
        dl.appendChild(node("dd", "", factValue(k, facts[k])));
      });
      known.appendChild(dl);
      card.appendChild(known);
    }

    var actions = node("div", "card-actions");
    actions.appendChild(copyButton("复制情况摘要", function () { return handoffSummary(p); }));
    card.appendChild(actions);
    body.appendChild(card);
  }

  // ---------------------------------------------------------------- bot messages

  function isCustom(m, type) {
    return m && m.custom && typeof m.custom === "object" && (!type || m.custom.type === type);
  }

  /* The assessment in words (policy_db.report.render) opens with the expiry notice or the SME class; any other text
     before a result (a correction's "已更正……") stays a bubble of its own. */
  function isReport(text) {
    var first = text.replace(/^\s+/, "").split("\n")[0];
    return /^(提示：|企业规模：)/.test(first);
  }

  /* Renders one reply of the bot (the REST channel's list): a text and the payload after it belong together. */
  function renderBotMessages(messages, ms) {
    ms = ms || Date.now();
    var body = null;
    for (var i = 0; i < messages.length; i++) {
      var m = messages[i] || {};
      var next = messages[i + 1];
      if (typeof m.text === "string" && m.text) {
        if (isCustom(next, "result") && isReport(m.text)) {
          // The text is the result in words: it goes into the card, folded.
          renderResult(addRow("bot", ms), next.custom, m.text);
          i++;
          continue;
        }
        var text = m.text;
        if (isCustom(next, "ask") && next.custom.multi && Array.isArray(next.custom.options)) {
          text = text.split("\n")[0];  // the numbered list becomes the chips
        }
        body = addBubble("bot", text, ms);
        if (Array.isArray(m.buttons) && m.buttons.length) {
          renderOptions(body, { options: m.buttons.map(function (b) { return String(b.title || b.payload); }) });
        }
        continue;
      }
      if (isCustom(m)) {
        renderCustom(m.custom, body, ms);
      }
    }
    scrollToEnd();
    showTopOf(els.messages.lastElementChild);
  }

  /* A message taller than the view (a card, a checklist) is shown from its top, so it is read from the beginning. */
  function showTopOf(row) {
    if (!row) return;
    var top = row.getBoundingClientRect().top - els.messages.getBoundingClientRect().top;
    if (top < 0) els.messages.scrollTop += top - 8;
  }

  function renderCustom(p, body, ms) {
    if (p.type === "ask") {
      if (body) body.dataset.ask = p.multi ? "checklist" : String(p.fact || "");
      if (!Array.isArray(p.options) || !p.options.length) return;
      var target = body || addRow("bot", ms);
      if (p.multi) renderChecklist(target, p); else renderOptions(target, p);
    } else if (p.type === "result") {
      renderResult(addRow("bot", ms), p, null);
    } else if (p.type === "handoff") {
      renderHandoff(addRow("bot", ms), p);
    }
    scrollToEnd();
  }

  // ---------------------------------------------------------------- sending

  function post(text) {
    var abort = new AbortController();
    var timer = window.setTimeout(function () { abort.abort(); }, REPLY_TIMEOUT_MS);
    return fetch(REST_URL, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender: sender, message: text }),
      signal: abort.signal
    }).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    }).finally(function () {
      window.clearTimeout(timer);
    });
  }

  function send(text) {
    if (!text || !text.trim()) return;
    deactivateChips();
    addBubble("user", text, Date.now());
    deliver(text);
  }

  function deliver(text) {
    queue = queue.then(function () {
      showTyping();
      return post(text).then(function (replies) {
        hideTyping();
        renderBotMessages(Array.isArray(replies) ? replies : [], Date.now());
        announceReplies();
      }, function () {
        hideTyping();
        addNotice("网络异常，消息没有发出去。", function () { deliver(text); });
      });
    });
    return queue;
  }

  function announceReplies() {
    els.status.textContent = "";  // the log itself announces the new messages
  }

  function restart() {
    deactivateChips();
    els.input.value = "";
    queue = queue.then(function () {
      return post("/restart").then(function (replies) {
        clearView();
        renderBotMessages(Array.isArray(replies) ? replies : [], Date.now());
        announce("对话已重新开始");
      }, function () {
        addNotice("网络异常，没能重新开始，请稍后再试。", restart);
      });
    });
    return queue;
  }

  function clearView() {
    activeChips = [];
    lastResult = null;
    lastTimeShown = 0;
    while (els.messages.firstChild) els.messages.removeChild(els.messages.firstChild);
    addBubble("bot", WELCOME, Date.now());
  }

  // ---------------------------------------------------------------- history after a reload

  function loadHistory() {
    return fetch("/chat/history?sender=" + encodeURIComponent(sender), { headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
      .catch(function () { return []; });
  }

  function renderHistory(items) {
    var first = items.length && items[0].time ? items[0].time * 1000 : Date.now();
    addBubble("bot", WELCOME, first);
    var batch = [];
    var batchTime = first;
    function flush() {
      if (batch.length) renderBotMessages(batch, batchTime);
      batch = [];
    }
    items.forEach(function (item) {
      var ms = item.time ? item.time * 1000 : Date.now();
      if (item.from === "user") {
        flush();
        deactivateChips();
        addBubble("user", String(item.text || ""), ms);
      } else {
        if (!batch.length) batchTime = ms;
        batch.push(item.custom ? { custom: item.custom } : { text: String(item.text || "") });
      }
    });
    flush();
  }

  // ---------------------------------------------------------------- start

  function bind() {
    els.composer.addEventListener("submit", function (e) {
      e.preventDefault();
      var text = els.input.value;
      if (!text.trim()) {
        els.input.focus();
        return;
      }
      els.input.value = "";
      send(text);
      els.input.focus();
    });
    els.input.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
        e.preventDefault();
        els.composer.requestSubmit();
      }
    });
    els.restart.addEventListener("click", function () { restart(); });
    els.clauseClose.addEventListener("click", function () { els.dialog.close(); });
    els.dialog.addEventListener("click", function (e) {
      if (e.target === els.dialog) els.dialog.close();  // a click on the backdrop
    });
    els.dialog.addEventListener("close", function () {
      if (dialogOpener && document.contains(dialogOpener)) dialogOpener.focus();
      dialogOpener = null;
    });
  }

  function start() {
    els = {
      app: document.getElementById("app"),
      title: document.getElementById("chat-title"),
      messages: document.getElementById("messages"),
      status: document.getElementById("status"),
      composer: document.getElementById("composer"),
      input: document.getElementById("input"),
      restart: document.getElementById("restart"),
      dialog: document.getElementById("clause-dialog"),
      clauseTitle: document.getElementById("clause-title"),
      clauseHeading: document.getElementById("clause-heading"),
      clauseText: document.getElementById("clause-text"),
      clauseSource: document.getElementById("clause-source"),
      clauseClose: document.getElementById("clause-close")
    };
    sender = loadSender();
    bind();
    var info = fetch("/chat/policy", { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (p) { policyInfo = p; }, function () { policyInfo = null; });
    els.messages.setAttribute("aria-busy", "true");
    queue = Promise.all([info, loadHistory()]).then(function (done) {
      renderHistory(Array.isArray(done[1]) ? done[1] : []);
      els.messages.setAttribute("aria-busy", "false");
      document.documentElement.dataset.ready = "true";
    });
  }

  // For tests and integrators: render a payload as if the bot had sent it, read the summaries.
  window.HuiqiChat = {
    renderBotMessages: renderBotMessages,
    resultSummary: resultSummary,
    handoffSummary: handoffSummary,
    lastResult: function () { return lastResult; },
    sender: function () { return sender; },
    send: send,
    restart: restart,
    idle: function () { return queue; }
  };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
