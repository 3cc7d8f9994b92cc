/**
 * The HTTP plumbing provider adapters share: JSON calls with a bearer key and a timeout,
 * and provider failures turned into one AppError.
 */
import type { z } from "zod";
import { AppError } from "../../../errors";
import type { ProviderConfig } from "./types";

const TIMEOUT_MS = 15_000;

/** Calls `path` under the provider's base URL and parses the JSON answer with `schema`. */
export async function providerJson<T>(cfg: ProviderConfig, path: string, init: RequestInit, schema: z.ZodType<T>): Promise<T> {
  const headers = new Headers(init.headers);
  if (cfg.apiKey) headers.set("authorization", `Bearer ${cfg.apiKey}`);
  if (typeof init.body === "string") headers.set("content-type", "application/json");
  let res: Response;
  try {
    res = await cfg.fetch(`${cfg.baseUrl.replace(/\/+$/, "")}${path}`, { ...init, headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (err) {
    throw new AppError("upstream_error", `The training provider could not be reached: ${err instanceof Error ? err.message : String(err)}`);
  }
  const text = await res.text();
  if (!res.ok) throw new AppError("upstream_error", `The training provider answered ${res.status}: ${text.slice(0, 300)}`, { status: res.status });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError("upstream_error", "The training provider answered with something that is not JSON");
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new AppError("upstream_error", `The training provider's answer did not have the expected shape: ${parsed.error.issues[0]?.message ?? ""}`);
  return parsed.data;
}

/** USD (a float on the wire) to integer nano-USD. */
export function usdToNano(usd: number | null | undefined): number | null {
  return usd === null || usd === undefined ? null : Math.round(usd * 1e9);
}
