/*
 * 惠企政策助手 · shared page module: numbers, dates and the store's words.
 *
 * Every label and sentence a page shows around the payloads comes from GET /chat/policy (bot/web/chat/server.py,
 * built from policy_db data): class labels, fact labels, hand-off reasons, the greeting, the expiry notice. This
 * module only keeps them once loaded and fills their placeholders; it holds no policy wording of its own.
 */

let info = null;

/** The store's words for this page (the JSON of GET /chat/policy), or null when they could not be loaded. */
export function setPolicyInfo(value) {
  info = value && typeof value === "object" ? value : null;
}

export function policyInfo() {
  return info;
}

/** One of the store's page words (words.yaml `pages`, plus `expired`), or "" when absent. */
export function word(key) {
  const words = (info && info.words) || {};
  return typeof words[key] === "string" ? words[key] : "";
}

/** A hand-off reason in words, from the store; "" for a reason it does not know. */
export function handoffReason(reason) {
  const reasons = ((info && info.words) || {}).handoff_reasons || {};
  return typeof reasons[reason] === "string" ? reasons[reason] : "";
}

/** "执行期（{period}）已过" with its placeholders filled; a placeholder without a value is left out. */
export function fill(template, values) {
  return String(template || "").replace(/\{(\w+)\}/g, (_, k) => (values && values[k] != null ? String(values[k]) : ""));
}

export function factLabel(name) {
  const facts = info && info.facts;
  return facts && facts[name] ? facts[name].label : name;
}

/** The SME class as the store words it (contract §2 `sme_class`; null while open). */
export function classLabel(cls) {
  const classes = (info && info.classes) || {};
  if (cls && classes[cls]) return classes[cls];
  return (info && info.class_unknown) || "";
}

export function pad(n) {
  return n < 10 ? "0" + n : String(n);
}

/** A WeChat-style timestamp: "14:05" today, "昨天 14:05", "3月2日 14:05", "2025年3月2日 14:05". */
export function formatTime(ms, now = new Date()) {
  const d = new Date(ms);
  const hm = pad(d.getHours()) + ":" + pad(d.getMinutes());
  const startOfToday = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
  if (ms >= startOfToday) return hm;
  if (ms >= startOfToday - 86400000) return "昨天 " + hm;
  const md = (d.getMonth() + 1) + "月" + d.getDate() + "日 " + hm;
  return d.getFullYear() === now.getFullYear() ? md : d.getFullYear() + "年" + md;
}

/** "2020-06-30" → "2020年6月30日". */
export function formatDate(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
  return m ? m[1] + "年" + Number(m[2]) + "月" + Number(m[3]) + "日" : String(iso || "");
}

/** Yuan as given, grouped, cents kept, never rounded into another figure: 3600 → "3,600"; 6172.5 → "6,172.5". */
export function formatYuan(amount) {
  return Number(amount).toLocaleString("zh-CN", { maximumFractionDigits: 2 });
}

/** The expiry notice of a result (the store's sentence, the period from the payload's documents). */
export function expiryText(p) {
  const docs = Array.isArray(p.policies) ? p.policies : [];
  const home = docs.find((d) => d && d.id === p.policy) || docs[0];
  const period = (home && home.period) || (info && info.period) ||
    (p.valid_until ? formatDate(p.valid_until) : "");
  return fill(word("expired"), { period });
}
