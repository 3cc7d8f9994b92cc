/**
 * The control API under `/_sim`: scenarios (faults, latency, pacing), the log of received
 * requests, and health.
 */
import { z } from "zod";
import type { SimContext } from "./context.ts";
import { scenarioInput } from "./faults.ts";
import { BAD_JSON, parseJson, readText, sendJson, type SimHandler } from "./http.ts";

const requestsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  path: z.string().optional(),
  contains: z.string().optional(),
});

function badRequest(message: string): { error: { message: string } } {
  return { error: { message } };
}

/** Handler for everything under `/_sim`. */
export function controlHandler(ctx: SimContext): SimHandler {
  return async (req, res, url) => {
    const route = `${req.method ?? "GET"} ${url.pathname}`;
    switch (route) {
      case "GET /_sim/health":
        sendJson(res, 200, { ok: true, scenarios: ctx.scenarios.list().length });
        return true;
      case "GET /_sim/scenarios":
        sendJson(res, 200, { data: ctx.scenarios.list() });
        return true;
      case "POST /_sim/scenarios": {
        const text = await readText(req);
        const json = text.trim() === "" ? {} : parseJson(text);
        const parsed = json === BAD_JSON ? null : scenarioInput.safeParse(json);
        if (!parsed?.success) {
          sendJson(res, 400, badRequest(parsed ? z.prettifyError(parsed.error) : "body is not JSON"));
          return true;
        }
        sendJson(res, 201, { id: ctx.scenarios.add(parsed.data) });
        return true;
      }
      case "DELETE /_sim/scenarios":
        ctx.scenarios.reset();
        ctx.releaseHeld();
        sendJson(res, 200, { ok: true });
        return true;
      case "GET /_sim/requests": {
        const q = requestsQuery.safeParse(Object.fromEntries(url.searchParams));
        if (!q.success) sendJson(res, 400, badRequest(z.prettifyError(q.error)));
        else sendJson(res, 200, { data: ctx.requests.list(q.data) });
        return true;
      }
      case "DELETE /_sim/requests":
        ctx.requests.clear();
        sendJson(res, 200, { ok: true });
        return true;
      default:
        sendJson(res, 404, badRequest(`no control route ${route}`));
        return true;
    }
  };
}
