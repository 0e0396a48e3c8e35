/*
 * 政策工作台 · talking to /workbench/api/ (docs/contract.md E13) as the signed-in policy editor: the session's
 * cookie, its CSRF token on every change, the sign-in page on 401 (shared/staff.js).
 */

import { staffFetch } from "/chat/shared/staff.js";

/** An answer of the API: {status, body}; never throws for an HTTP error (the body says what went wrong). */
export function api(path, body) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  return staffFetch("/workbench/api/" + path, {
    method: body === undefined ? "GET" : "POST",
    headers,
    body: body === undefined ? undefined : JSON.stringify(body)
  }).then((r) => r.json().catch(() => ({})).then((json) => ({ status: r.status, body: json })));
}

/** The page's words. */
export function loadWords() {
  return api("words");
}
