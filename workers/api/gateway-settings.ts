/**
 * What the gateway settings routes (aliases, providers, prices) share: the names they
 * accept, and the cache invalidation every change goes through.
 */
import { z } from "@hono/zod-openapi";
import { invalidateGatewayConfig } from "../gateway/tenant-config";
import { invalidatePrices } from "../gateway/pricing";

/**
 * Drops this isolate's cached copy of a tenant's aliases, providers and prices, so the next
 * gateway call here sees a change at once (other isolates catch up within their cache TTL).
 */
export function invalidateGatewaySettings(tenantId: string): void {
  invalidateGatewayConfig(tenantId);
  invalidatePrices(tenantId);
}

/** The built-in providers: their names are reserved for the platform's own (or a tenant's key for them). */
export const BUILT_IN = ["openai", "anthropic"] as const;

/** A provider name as it appears in `provider/model`. */
export const ProviderName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "Use 1-40 lower-case letters, digits and dashes, starting with a letter or digit")
  .openapi({ example: "groq" });

/** A model id as a provider names it (may itself contain slashes, e.g. meta-llama/Llama-3.3-70B). */
export const ModelId = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^\s]+$/, "Model ids contain no whitespace")
  .openapi({ example: "gpt-4o-mini" });

export const settingsTags = ["Gateway settings"];
