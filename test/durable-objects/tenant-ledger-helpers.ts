/**
 * What the TenantLedger tests share: a ledger per test with a configuration of the test's
 * choosing, requests with defaults, and a way to watch the events it sends.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { EventInput } from "../../workers/events/publish";
import { AppError } from "../../workers/errors";
import type { BudgetConfig, LedgerConfig, RateLimitConfig } from "../../workers/gateway/ledger/config";
import { admitCall } from "../../workers/gateway/ledger/client";
import type { Admission, LedgerRequest } from "../../workers/gateway/ledger/types";
import { newId } from "../../workers/lib/ids";

export const at = (iso: string): number => Date.parse(iso);

export function ledgerStub(tenantId: string) {
  return env.TENANT_LEDGER.get(env.TENANT_LEDGER.idFromName(tenantId));
}

export function budget(over: Partial<BudgetConfig> = {}): BudgetConfig {
  return {
    id: newId("bud"),
    name: "cap",
    scope: "tenant",
    scopeId: null,
    limitNanoUsd: 10_000,
    window: "day",
    action: "hard",
    degradeTo: null,
    degradeAtPercent: 100,
    thresholds: [50, 80, 100],
    enabled: true,
    ...over,
  };
}

export function limit(over: Partial<RateLimitConfig> & Pick<RateLimitConfig, "scope" | "scopeId">): RateLimitConfig {
  return { id: newId("rl"), rpm: null, tpm: null, ...over };
}

/** A fresh tenant id whose ledger holds `config`. */
export async function ledgerWith(config: Partial<LedgerConfig>): Promise<string> {
  const tenantId = newId("ten");
  await ledgerStub(tenantId).configure(tenantId, { timezone: "UTC", budgets: [], rateLimits: [], ...config });
  return tenantId;
}

export function request(over: Partial<LedgerRequest> = {}): LedgerRequest {
  return {
    requestId: newId("req"),
    apiKeyId: null,
    userId: null,
    tags: [],
    model: "openai/gpt-4o",
    estimatedTokens: 100,
    worstCaseNanoUsd: 1_000,
    now: at("2026-05-05T12:00:00Z"),
    ...over,
  };
}

/** Admits, or returns the AppError it was refused with. */
export async function tryAdmit(tenantId: string, req: LedgerRequest): Promise<Admission | AppError> {
  try {
    return await admitCall(env, tenantId, req);
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
}

export function admitted(r: Admission | AppError): Admission {
  if (r instanceof AppError) throw new Error(`expected admission, got ${r.code}: ${r.message}`);
  return r;
}

export function refused(r: Admission | AppError, status: number, code: string): AppError {
  expect(r).toBeInstanceOf(AppError);
  if (!(r instanceof AppError)) throw new Error("admitted");
  expect([r.status, r.code]).toEqual([status, code]);
  return r;
}

/** Replaces where the ledger sends events and returns what it sends from now on. */
export async function watchEvents(tenantId: string, fail = false): Promise<EventInput[]> {
  const sent: EventInput[] = [];
  await runInDurableObject(ledgerStub(tenantId), (instance) => {
    instance.publish = async (_env, event) => {
      if (fail) throw new Error("queue down");
      sent.push(event);
    };
  });
  return sent;
}

/** The one budget's current window. */
export async function spendOf(tenantId: string, now: number) {
  const views = await ledgerStub(tenantId).spend(tenantId, now);
  const view = views[0];
  if (!view) throw new Error("no budget");
  return view;
}
