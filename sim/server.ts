/**
 * The provider simulator: one node:http server that stands in for OpenAI and Anthropic
 * (and, as they are added, the other outside services), dispatching by path prefix.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { anthropicHandler } from "./anthropic.ts";
import { SimContext } from "./context.ts";
import { controlHandler } from "./control.ts";
import { echoHandler } from "./echo.ts";
import { gpuHandler } from "./gpu.ts";
import { gpuOpenAIHandler } from "./gpu-openai.ts";
import { sendJson, type SimHandler } from "./http.ts";
import { createOidcHandler } from "./oidc.ts";
import { openaiHandler } from "./openai.ts";
import { partnerHandler } from "./partner.ts";

export type { SimHandler } from "./http.ts";

/** A mounted prefix and the factory for its handler (given the server's shared state). */
export type SimMount = readonly [prefix: string, make: (ctx: SimContext) => SimHandler];

/**
 * Every prefix the simulator serves. To add a simulated service, append one line here:
 * `["/prefix", () => yourHandler]` (or use `ctx` for scenarios and the request log).
 */
export const SIM_MOUNTS: SimMount[] = [
  ["/_sim", controlHandler],
  ["/openai", gpuOpenAIHandler],
  ["/openai", openaiHandler],
  ["/gpu", gpuHandler],
  ["/anthropic", anthropicHandler],
  ["/oidc", () => createOidcHandler()],
  ["/partner", partnerHandler],
  ["/echo", () => echoHandler()],
];

/** A running simulator. */
export interface RunningSim {
  url: string;
  close(): Promise<void>;
}

function underPrefix(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}

function dispatcher(mounts: ReadonlyArray<readonly [string, SimHandler]>) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://sim.local");
    for (const [prefix, handler] of mounts) {
      if (underPrefix(url.pathname, prefix) && (await handler(req, res, url))) return;
    }
    sendJson(res, 404, { error: { message: `nothing simulated at ${url.pathname}` } });
  };
}

/** Starts the simulator; `port: 0` picks a free port. Extra mounts are served after the built-in ones. */
export async function startSim(opts: { port: number; host?: string; mounts?: readonly SimMount[] }): Promise<RunningSim> {
  const host = opts.host ?? "127.0.0.1";
  const ctx = new SimContext();
  const mounts = [...SIM_MOUNTS, ...(opts.mounts ?? [])].map(([prefix, make]) => [prefix, make(ctx)] as const);
  const dispatch = dispatcher(mounts);
  const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    dispatch(req, res).catch((err: unknown) => {
      if (res.headersSent) res.destroy();
      else sendJson(res, 500, { error: { message: err instanceof Error ? err.message : String(err) } });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, host, () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : opts.port;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        ctx.releaseHeld();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
