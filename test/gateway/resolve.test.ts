import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { AppError } from "../../workers/errors";
import { targetFor, type PlatformCredentials } from "../../workers/gateway/credentials";
import { adapterFor } from "../../workers/gateway/providers";
import { appErrorFor } from "../../workers/gateway/providers/errors";
import { resolveModel } from "../../workers/gateway/resolve";
import type { TenantGatewayConfig, TenantProvider } from "../../workers/gateway/tenant-config";
import { sealSecret } from "../../workers/lib/secret-box";
import { addScenario, marker, simOpenAIBaseUrl } from "./helpers";
import { thrownAppError } from "../helpers/errors";

const MASTER = "unit-master-key-0123456789abcdef0123456789abcdef";

function provider(p: Partial<TenantProvider> & Pick<TenantProvider, "name" | "kind">): TenantProvider {
  return { baseUrl: null, apiKeyEnc: null, models: [], createdAt: 0, ...p };
}

function config(providers: TenantProvider[] = [], aliases: Record<string, string> = {}): TenantGatewayConfig {
  return {
    timezone: "America/Chicago",
    providers: new Map(providers.map((p) => [p.name, p])),
    aliases: new Map(Object.entries(aliases).map(([alias, target]) => [alias, { alias, target, createdAt: 0 }])),
  };
}

const platform: PlatformCredentials = {
  masterKey: MASTER,
  openai: { apiKey: "sk-platform-openai", baseUrl: "" },
  anthropic: { apiKey: "", baseUrl: "http://anthropic.internal" },
};

describe("resolveModel", () => {
  it("finds catalog models by the provider's own names", () => {
    expect(resolveModel(config(), "gpt-4o-mini")).toMatchObject({ provider: "openai", kind: "openai", model: "gpt-4o-mini", own: null, via: "catalog" });
    expect(resolveModel(config(), "claude-3-5-haiku-latest")).toMatchObject({ provider: "anthropic", kind: "anthropic" });
  });

  it("accepts any model under an explicit built-in provider, keeping slashes in the model", () => {
    expect(resolveModel(config(), "openai/ft:gpt-4o-mini:acme")).toMatchObject({ provider: "openai", model: "ft:gpt-4o-mini:acme", via: "qualified" });
    const groq = provider({ name: "groq", kind: "openai-compatible", baseUrl: "https://api.groq.com/openai/v1" });
    expect(resolveModel(config([groq]), "groq/meta-llama/llama-3.1-8b")).toMatchObject({ provider: "groq", kind: "openai-compatible", model: "meta-llama/llama-3.1-8b" });
  });

  it("prefers an alias, then a tenant provider's models, then the catalog", () => {
    const own = provider({ name: "azure-east", kind: "openai", models: ["gpt-4o-mini"] });
    const c = config([own], { "gpt-4o": "anthropic/claude-3-5-sonnet-latest" });
    expect(resolveModel(c, "gpt-4o")).toMatchObject({ provider: "anthropic", model: "claude-3-5-sonnet-latest", via: "alias" });
    expect(resolveModel(c, "gpt-4o-mini")).toMatchObject({ provider: "azure-east", kind: "openai", own, via: "provider-models" });
  });

  it("uses the tenant's own key for a built-in provider", () => {
    const own = provider({ name: "openai", kind: "openai", apiKeyEnc: "sealed" });
    expect(resolveModel(config([own]), "gpt-4o").own).toBe(own);
    expect(resolveModel(config([own]), "openai/gpt-4o").own).toBe(own);
  });

  it("refuses unknown names, bare or qualified, with a message on how to name models", () => {
    for (const name of ["gpt-9", "mistral/large", "openai/", "/gpt-4o"]) {
      const err = thrownAppError(() => resolveModel(config([provider({ name: "groq", kind: "openai-compatible" })]), name));
      expect(err.code).toBe("model_not_found");
      expect(err.status).toBe(404);
      expect(err.message).toContain("groq/…");
    }
  });
});

describe("targetFor", () => {
  it("uses the tenant's sealed key over the platform's", async () => {
    const own = provider({ name: "openai", kind: "openai", apiKeyEnc: await sealSecret(MASTER, "sk-tenant-own") });
    const target = await targetFor(platform, resolveModel(config([own]), "gpt-4o-mini"));
    expect(target).toMatchObject({ name: "openai", apiKey: "sk-tenant-own", baseURL: "https://api.openai.com/v1" });
  });

  it("falls back to the platform's key and base URL", async () => {
    const target = await targetFor({ ...platform, anthropic: { apiKey: "sk-ant-platform", baseUrl: "http://anthropic.internal" } }, resolveModel(config(), "claude-3-5-haiku-latest"));
    expect(target).toMatchObject({ apiKey: "sk-ant-platform", baseURL: "http://anthropic.internal" });
  });

  it("answers 503 naming the provider when no key exists anywhere", async () => {
    const err = await targetFor(platform, resolveModel(config(), "claude-3-5-haiku-latest")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    if (err instanceof AppError) {
      expect(err.status).toBe(503);
      expect(err.code).toBe("provider_unavailable");
      expect(err.message).toContain("anthropic");
    }
  });

  it("answers 503 when a stored key cannot be opened", async () => {
    const own = provider({ name: "openai", kind: "openai", apiKeyEnc: await sealSecret("another-master-key-0123456789abcdef", "sk-x") });
    await expect(targetFor(platform, resolveModel(config([own]), "gpt-4o"))).rejects.toMatchObject({ code: "provider_unavailable" });
  });
});

describe("the upstream error table", () => {
  const table: [Parameters<typeof appErrorFor>[1], number, string][] = [
    [{ kind: "status", status: 400, message: "bad field", retryAfter: null }, 400, "bad_request"],
    [{ kind: "status", status: 404, message: "no such model", retryAfter: null }, 404, "model_not_found"],
    [{ kind: "status", status: 422, message: "unprocessable", retryAfter: null }, 422, "unprocessable"],
    [{ kind: "status", status: 401, message: "bad key", retryAfter: null }, 502, "upstream_error"],
    [{ kind: "status", status: 403, message: "forbidden", retryAfter: null }, 502, "upstream_error"],
    [{ kind: "status", status: 429, message: "slow down", retryAfter: "12" }, 429, "rate_limited"],
    [{ kind: "status", status: 500, message: "boom", retryAfter: null }, 502, "upstream_error"],
    [{ kind: "status", status: 529, message: "overloaded", retryAfter: null }, 502, "upstream_error"],
    [{ kind: "timeout" }, 504, "upstream_timeout"],
    [{ kind: "connection", message: "refused" }, 502, "provider_unavailable"],
  ];
  it.each(table)("maps %j to %i %s", (failure, status, code) => {
    const err = appErrorFor("openai", failure);
    expect(err.status).toBe(status);
    expect(err.code).toBe(code);
  });

  it("keeps the provider's words and Retry-After", () => {
    expect(appErrorFor("groq", { kind: "status", status: 400, message: "bad field", retryAfter: null }).message).toContain("bad field");
    expect(appErrorFor("groq", { kind: "status", status: 429, message: null, retryAfter: "12" }).headers).toEqual({ "retry-after": "12" });
    expect(appErrorFor("groq", { kind: "status", status: 401, message: null, retryAfter: null }).message).toBe("The provider rejected the credentials configured for groq");
  });
});

describe("adapters against a misbehaving upstream", () => {
  const target = () => ({ name: "openai", kind: "openai" as const, model: "gpt-4o-mini", baseURL: simOpenAIBaseUrl(), apiKey: env.OPENAI_API_KEY });

  it("turns an upstream that never answers into 504", async () => {
    const mark = marker();
    await addScenario({ match: { text: mark }, hang: true, times: 1 });
    const body = { model: "gpt-4o-mini", messages: [{ role: "user", content: mark }] };
    await expect(adapterFor("openai").generate(target(), "openai-chat", body, { timeoutMs: 300 })).rejects.toMatchObject({ status: 504, code: "upstream_timeout" });
  });

  it("turns an unreachable host into 502 provider_unavailable", async () => {
    const body = { model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] };
    const closed = { ...target(), baseURL: "http://127.0.0.1:9/v1" };
    await expect(adapterFor("openai").generate(closed, "openai-chat", body, { timeoutMs: 5_000 })).rejects.toMatchObject({ status: 502, code: "provider_unavailable" });
  });

  it("turns a client abort into 499", async () => {
    const mark = marker();
    await addScenario({ match: { text: mark }, hang: true, times: 1 });
    const controller = new AbortController();
    const body = { model: "gpt-4o-mini", messages: [{ role: "user", content: mark }] };
    const pending = adapterFor("openai").generate(target(), "openai-chat", body, { timeoutMs: 60_000, signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ status: 499 });
  });
});
