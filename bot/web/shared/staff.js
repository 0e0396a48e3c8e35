/*
 * 惠企政策助手 · shared page module: the staff pages' session (docs/contract.md E13).
 *
 * The console and the trainer are for staff accounts. The session is an HttpOnly cookie the page never sees; the
 * page asks who is signed in (GET /staff/api/me), sends that session's CSRF token with every change
 * (X-CSRF-Token), and goes to the sign-in page when the server answers 401 (never signed in, signed out, idle too
 * long, or the account disabled).
 */

let who = null;

/** The sign-in page, coming back to this page afterwards. */
export function toSignIn() {
  window.location.assign("/staff/signin?next=" + encodeURIComponent(window.location.pathname));
}

/** Who is signed in: {login, display, role, role_label, csrf, home}; goes to the sign-in page when nobody is. */
export function signedIn() {
  return fetch("/staff/api/me", { headers: { Accept: "application/json" }, credentials: "same-origin" })
    .then((r) => {
      if (r.status === 401) {
        toSignIn();
        throw new Error("401");
      }
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    }).then((me) => {
      who = me;
      return me;
    });
}

export function me() {
  return who;
}

/** fetch() for the staff endpoints: the CSRF token on every change, the sign-in page on 401. */
export function staffFetch(url, options = {}) {
  const method = (options.method || "GET").toUpperCase();
  const headers = Object.assign({}, options.headers || {});
  if (method !== "GET" && who) headers["X-CSRF-Token"] = who.csrf;
  return fetch(url, Object.assign({}, options, { headers, credentials: "same-origin" })).then((r) => {
    if (r.status === 401) {
      toSignIn();
      throw new Error("401");
    }
    return r;
  });
}

/** Ends the session on the server, then shows the sign-in page. */
export function signOut() {
  return staffFetch("/staff/signout", { method: "POST" }).catch(() => undefined).then(() => {
    window.location.assign("/staff/signin");
  });
}
