/*
 * 惠企政策助手 · 嵌入脚本：在任意网页右下角加一个浮动的“政策咨询”按钮，点开是聊天窗口（/chat/ 的 iframe）。
 *
 * 用法：把下面这一行放到网页的 </body> 之前（地址换成助手所在的服务器）：
 *
 *   <script src="http://localhost:5005/chat/embed.js" defer></script>
 *
 * 可选属性：
 *   data-label="政策咨询"    按钮上的文字（默认“政策咨询”）
 *   data-position="left"     放在左下角（默认右下角）
 *
 * 脚本只创建一个按钮和一个 iframe，不读取宿主页面的任何内容；样式全部写在元素自身上（不插入 <style>），
 * 所以宿主页面的 CSS 不会被改动。聊天窗口内的对话由 /chat/ 页面自己保存（localStorage），刷新宿主页面也不会丢。
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || window.__huiqiChatEmbed) return;
  window.__huiqiChatEmbed = true;

  var chatUrl = new URL("./", script.src).href;  // …/chat/
  var label = script.getAttribute("data-label") || "政策咨询";
  var side = script.getAttribute("data-position") === "left" ? "left" : "right";
  var SVG = "http://www.w3.org/2000/svg";

  function css(el, styles) {
    Object.keys(styles).forEach(function (k) { el.style[k] = styles[k]; });
    return el;
  }

  function icon(open) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", "22");
    svg.setAttribute("height", "22");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var path = document.createElementNS(SVG, "path");
    path.setAttribute("fill", "currentColor");
    path.setAttribute("d", open
      ? "M18.3 5.7a1 1 0 0 0-1.4 0L12 10.6 7.1 5.7a1 1 0 1 0-1.4 1.4l4.9 4.9-4.9 4.9a1 1 0 1 0 1.4 1.4l4.9-4.9 4.9 4.9a1 1 0 0 0 1.4-1.4L13.4 12l4.9-4.9a1 1 0 0 0 0-1.4z"
      : "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-4.5 3.5A.5.5 0 0 1 4 21v-3a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm4 7.5a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3zm4 0a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3zm4 0a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3z");
    svg.appendChild(path);
    return svg;
  }

  var panel = css(document.createElement("div"), {
    position: "fixed", bottom: "88px", width: "min(400px, calc(100vw - 24px))",
    height: "min(640px, calc(100vh - 112px))", borderRadius: "12px", overflow: "hidden",
    boxShadow: "0 12px 40px rgba(0,0,0,.25)", background: "#ededed", zIndex: "2147483646", display: "none"
  });
  panel.style[side] = "12px";
  panel.id = "huiqi-chat-panel";
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", "惠企政策助手聊天窗口");

  var button = css(document.createElement("button"), {
    position: "fixed", bottom: "20px", display: "flex", alignItems: "center", gap: "6px",
    height: "52px", padding: "0 18px 0 14px", border: "0", borderRadius: "26px", background: "#07c160",
    color: "#fff", font: "600 15px/1 -apple-system, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif",
    boxShadow: "0 4px 16px rgba(7,193,96,.4)", cursor: "pointer", zIndex: "2147483647"
  });
  button.style[side] = "20px";
  button.type = "button";
  button.id = "huiqi-chat-button";
  button.setAttribute("aria-controls", panel.id);

  var frame = null;

  function render(open) {
    while (button.firstChild) button.removeChild(button.firstChild);
    button.appendChild(icon(open));
    var text = document.createElement("span");
    text.textContent = open ? "收起" : label;
    button.appendChild(text);
    button.setAttribute("aria-expanded", open ? "true" : "false");
    button.setAttribute("aria-label", open ? "收起惠企政策助手" : "打开惠企政策助手（" + label + "）");
  }

  function setOpen(open) {
    if (open && !frame) {
      frame = css(document.createElement("iframe"), { width: "100%", height: "100%", border: "0", display: "block" });
      frame.src = chatUrl;
      frame.title = "惠企政策助手";
      frame.setAttribute("allow", "clipboard-write");
      panel.appendChild(frame);
    }
    panel.style.display = open ? "block" : "none";
    render(open);
    if (open && frame) frame.focus();
  }

  button.addEventListener("click", function () { setOpen(panel.style.display === "none"); });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && panel.style.display !== "none") {
      setOpen(false);
      button.focus();
    }
  });

  render(false);
  function mount() {
    document.body.appendChild(panel);
    document.body.appendChild(button);
  }
  if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);
})();
