/**
 * Structured JSON logs: one JSON object per line, each carrying the request id and the
 * tenant of the work it belongs to. The context lives in an AsyncLocalStorage, so code deep
 * in a call chain logs with `log.info("...", {fields})` and never passes ids around.
 *
 * HTTP requests open a context in the request-id middleware (the tenant is filled in once
 * auth knows it); queue consumers and cron handlers open one per message or run.
 */
import { AsyncLocalStorage } from "node:async_hooks";

export type LogLevel = "debug" | "info" | "warn" | "error";

export type LogContext = {
  /** The HTTP request id, or the queue message / cron run id for background work. */
  requestId: string;
  tenantId?: string;
};

// The store is mutable so that auth, which runs after the context was opened, can add the tenant.
type Store = { requestId?: string; tenantId?: string };

const storage = new AsyncLocalStorage<Store>();

/** Runs `fn` with a log context; logs inside it carry `requestId` and `tenantId`. */
export function withLogContext<T>(context: LogContext, fn: () => T): T {
  return storage.run({ ...context }, fn);
}

/**
 * Runs `fn` in a child context for one tenant's share of background work (a cron pass over
 * every tenant, say): same request id, this tenant. Setting the tenant on the shared context
 * instead would leak it into the work that runs next to `fn`.
 */
export function withLogTenant<T>(tenantId: string, fn: () => T): T {
  return storage.run({ ...storage.getStore(), tenantId }, fn);
}

/** The current context, if any (the request id of the request being served, for example). */
export function logContext(): LogContext | undefined {
  const store = storage.getStore();
  if (store?.requestId === undefined) return undefined;
  return store.tenantId === undefined ? { requestId: store.requestId } : { requestId: store.requestId, tenantId: store.tenantId };
}

/** Records the tenant once it is known (after authentication). */
export function setLogTenant(tenantId: string): void {
  const store = storage.getStore();
  if (store) store.tenantId = tenantId;
}

function errorFields(err: unknown): Record<string, unknown> {
  if (err instanceof Error) return { error: err.message, errorName: err.name, stack: err.stack };
  return { error: String(err) };
}

// A field that cannot be serialised (a cycle, a BigInt) must not cost the line.
function serialise(entry: Record<string, unknown>): string {
  try {
    return JSON.stringify(entry);
  } catch (e) {
    const { level, msg, time, requestId, tenantId } = entry;
    return JSON.stringify({ level, msg, time, requestId, tenantId, logError: `fields could not be serialised: ${String(e)}` });
  }
}

function write(level: LogLevel, message: string, fields?: Record<string, unknown>): void {
  const store = storage.getStore();
  const { err, ...rest } = fields ?? {};
  const line = serialise({
    level,
    msg: message,
    time: new Date().toISOString(),
    requestId: store?.requestId ?? null,
    tenantId: store?.tenantId ?? null,
    ...rest,
    ...(err === undefined ? {} : errorFields(err)),
  });
  // The console method sets the level Workers Logs and `wrangler tail` record.
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else if (level === "debug") console.debug(line);
  else console.log(line);
}

/** `log.info("webhook delivered", {endpointId, status})`; pass a caught error as `err`. */
export const log = {
  debug: (message: string, fields?: Record<string, unknown>) => write("debug", message, fields),
  info: (message: string, fields?: Record<string, unknown>) => write("info", message, fields),
  warn: (message: string, fields?: Record<string, unknown>) => write("warn", message, fields),
  error: (message: string, fields?: Record<string, unknown>) => write("error", message, fields),
};
