/**
 * The dashboard on Cloudflare Pages (advanced mode): Pages serves the built files, and the
 * paths the Worker answers (API, gateway, hooks, health, widget, metrics) are passed on to
 * the Worker at API_ORIGIN, a Pages environment variable such as
 * https://auterity.<account>.workers.dev. WebSockets (/api/v1/live) pass through as well.
 *
 * _routes.json sends only those paths here, so static files never run this code. When the
 * Worker serves the dashboard itself (the default), this file is left out of its assets by
 * .assetsignore.
 */
const WORKER_PATHS = [/^\/api(\/|$)/, /^\/v1(\/|$)/, /^\/hooks(\/|$)/, /^\/health(\/|$)/, /^\/widget(\/|$)/, /^\/metrics$/];

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (!WORKER_PATHS.some((p) => p.test(url.pathname))) return env.ASSETS.fetch(request);
    if (!env.API_ORIGIN) {
      return Response.json(
        { error: { code: "misconfigured", message: "Set the API_ORIGIN environment variable of this Pages project to the Worker's origin." } },
        { status: 502 },
      );
    }
    const forwarded = new Request(new URL(url.pathname + url.search, env.API_ORIGIN), request);
    forwarded.headers.set("x-forwarded-host", url.host);
    // Redirects (SSO sign-in) are the browser's to follow, not the proxy's.
    return fetch(forwarded, { redirect: "manual" });
  },
};
