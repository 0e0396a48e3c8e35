/*
 * 政策工作台 · talking to /workbench/api/ (docs/contract.md E13). The operator token is kept in this tab's
 * sessionStorage and sent only in the Authorization header.
 */

const TOKEN_KEY = "huiqi-workbench-token";
let token = null;

export function savedToken() {
  try { token = window.sessionStorage.getItem(TOKEN_KEY); } catch (e) { token = null; }
  return token;
}

export function useToken(value) {
  token = value;
  try {
    if (value) window.sessionStorage.setItem(TOKEN_KEY, value);
    else window.sessionStorage.removeItem(TOKEN_KEY);
  } catch (e) { /* storage blocked: the token lasts as long as the page */ }
}

/** An answer of the API: {status, body}; never throws for an HTTP error (the body says what went wrong). */
export function api(path, body) {
  const headers = { Accept: "application/json" };
  if (token) headers.Authorization = "Bearer " + token;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  return fetch("/workbench/api/" + path, {
    method: body === undefined ? "GET" : "POST",
    headers,
    body: body === undefined ? undefined : JSON.stringify(body)
  }).then((r) => r.json().catch(() => ({})).then((json) => ({ status: r.status, body: json })));
}

/** The page's words (public). */
export function loadWords() {
  return api("words");
}
