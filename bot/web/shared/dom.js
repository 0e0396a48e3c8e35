/*
 * 惠企政策助手 · shared page module: building the page.
 *
 * Every piece of user, bot or store text goes into the page as text (textContent, createTextNode), never as HTML:
 * nothing here takes markup. The pages run under a Content-Security-Policy without inline script or style, so no
 * style attribute is written either; looks are classes.
 */

/** An element with an optional class and text (always as text). */
export function node(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}

/** Text for screen readers only. */
export function hidden(text) {
  return node("span", "visually-hidden", text);
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
}

export function button(className, text, label) {
  const b = node("button", className, text);
  b.type = "button";
  if (label) b.setAttribute("aria-label", label);
  return b;
}

export function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
  return new Promise((resolve, reject) => {
    const area = node("textarea", "visually-hidden");
    area.value = text;
    document.body.appendChild(area);
    area.select();
    let ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    area.remove();
    if (ok) resolve(); else reject(new Error("copy failed"));
  });
}

/** A button that copies what textFor() gives (a string or a promise of one) and says so. */
export function copyButton(label, textFor, announce) {
  const b = button("card-button", label);
  b.addEventListener("click", () => {
    Promise.resolve().then(textFor).then(copyText).then(() => {
      b.textContent = "已复制";
      announce("已复制到剪贴板");
      window.setTimeout(() => { b.textContent = label; }, 2000);
    }, () => {
      announce("复制失败，请手动选择文字复制");
    });
  });
  return b;
}

/* Says text through a live region (`role="status"`): emptied first and set a moment later, so a screen reader
 * announces the same words twice in a row too. */
export function announce(region, text) {
  region.textContent = "";
  window.setTimeout(() => { region.textContent = text; }, 30);
}
