/**
 * Requests a test makes the API refuse on purpose (a bad time zone, SSO not configured yet).
 * Chromium logs every refused request as a console error ("Failed to load resource: …"), which
 * a Session counts as a problem. A test names the refusals it expects, by status and path; they
 * must be exactly the requests refused since the last check, and only their lines are taken back
 * out of the problems, so the end-of-file check still sees everything else.
 */
import { expect } from "vitest";
import type { Session } from "./browser";

export type Refusal = { status: number; path: string };

export function watchRefusals(s: Session): (expected: Refusal[]) => void {
  let refused: (Refusal & { method: string; url: string })[] = [];
  s.page.on("response", (res) => {
    const url = res.url();
    if (res.status() >= 400 && url.startsWith(s.base)) refused.push({ status: res.status(), path: new URL(url).pathname, method: res.request().method(), url });
  });
  return (expected) => {
    // A page's loads may run twice (React's development checks remount effects): a repeated
    // refused GET is the same refusal.
    const distinct = refused.filter((r, i) => r.method !== "GET" || refused.findIndex((o) => o.method === "GET" && o.path === r.path && o.status === r.status) === i);
    expect(distinct.map(({ status, path }) => ({ status, path }))).toEqual(expected);
    for (const { status, method, url } of refused) {
      const i = s.problems.findIndex((p) => p.includes(`Failed to load resource: the server responded with a status of ${status} `));
      expect(i, `a console line for the refused ${status}`).toBeGreaterThanOrEqual(0);
      s.problems.splice(i, 1);
      // The session may also name the refused request itself.
      const named = s.problems.indexOf(`${status} ${method} ${url}`);
      if (named >= 0) s.problems.splice(named, 1);
    }
    refused = [];
  };
}
