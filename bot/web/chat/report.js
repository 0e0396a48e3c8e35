/*
 * 惠企政策助手 · the 政策匹配报告 page (POST /chat/report): its only script, the print button. The report's words and
 * figures are the server's (policy_db/report_page.py); nothing here writes text.
 */
const button = document.getElementById("print");
if (button) button.addEventListener("click", () => window.print());
document.documentElement.dataset.ready = "true";
