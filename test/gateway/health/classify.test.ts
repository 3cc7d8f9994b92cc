import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { AppError } from "../../../workers/errors";
import { classifyFailure, healthKeyOf, healthKeyOfResolved, parseHealthKey, streamCutError } from "../../../workers/gateway/health";
import { adapterFor, type ProviderTarget } from "../../../workers/gateway/providers";
import { appErrorFor } from "../../../workers/gateway/providers/errors";
import { addScenario, marker } from "../helpers";

describe("classifyFailure", () => {
  it("reads the adapters' errors for each upstream failure", () => {
    expect(classifyFailure(appErrorFor("openai", { kind: "status", status: 429, message: "slow down", retryAfter: "2" }))).toBe("rate_limited");
    for (const status of [500, 502, 503, 529]) {
      expect(classifyFailure(appErrorFor("openai", { kind: "status", status, message: null, retryAfter: null })), String(status)).toBe("server_error");
    }
    expect(classifyFailure(appErrorFor("openai", { kind: "timeout" }))).toBe("timeout");
    expect(classifyFailure(appErrorFor("openai", { kind: "status", status: 408, message: null, retryAfter: null }))).toBe("timeout");
    expect(classifyFailure(appErrorFor("openai", { kind: "connection", message: "refused" }))).toBe("connection");
    expect(classifyFailure(streamCutError("anthropic"))).toBe("stream_cut");
  });

  it("does not blame the provider for the caller's mistakes, a client leaving, or our own configuration", () => {
    for (const status of [400, 404, 413, 422]) {
      expect(classifyFailure(appErrorFor("openai", { kind: "status", status, message: "bad", retryAfter: null })), String(status)).toBeNull();
    }
    expect(classifyFailure(appErrorFor("openai", { kind: "aborted" }))).toBeNull();
    expect(classifyFailure(new AppError("provider_unavailable", "No API key is configured for openai"))).toBeNull();
    expect(classifyFailure(new AppError("internal_error", "bug"))).toBeNull();
    expect(classifyFailure(new AppError("budget_exceeded", "over budget"))).toBeNull();
    expect(classifyFailure(new TypeError("undefined is not a function"))).toBeNull();
    expect(classifyFailure("a string")).toBeNull();
    expect(classifyFailure(null)).toBeNull();
  });

  it("reads fetch's own deadline as a timeout", () => {
    expect(classifyFailure(new DOMException("The operation timed out", "TimeoutError"))).toBe("timeout");
  });
});

describe("classifyFailure against real upstream failures (the simulator)", () => {
  const target = (baseURL: string): ProviderTarget => ({ name: "openai", kind: "openai", model: "gpt-4o-mini", baseURL, apiKey: "sk-sim-openai" });
  const call = (t: ProviderTarget, text: string, timeoutMs = 10_000) =>
    adapterFor("openai").generate(t, "openai-chat", { model: t.model, messages: [{ role: "user", content: text }] }, { timeoutMs });
  const failureOf = (p: Promise<unknown>) => p.then(() => null, (err: unknown) => err);

  it("429 with Retry-After, 5xx and 400 answers", async () => {
    const sim = target(`${env.SIM_URL}/openai/v1`);
    const [limited, broken, refused] = [marker(), marker(), marker()];
    await addScenario({ match: { text: limited }, status: 429, retryAfter: 3 });
    await addScenario({ match: { text: broken }, status: 503 });
    await addScenario({ match: { text: refused }, status: 400 });
    const e429 = await failureOf(call(sim, limited));
    expect(classifyFailure(e429)).toBe("rate_limited");
    expect(e429 instanceof AppError && e429.headers?.["retry-after"]).toBe("3");
    expect(classifyFailure(await failureOf(call(sim, broken)))).toBe("server_error");
    const e400 = await failureOf(call(sim, refused));
    expect(e400).toBeInstanceOf(AppError);
    expect(classifyFailure(e400)).toBeNull();
  });

  it("an unreachable host and a host slower than the deadline", async () => {
    expect(classifyFailure(await failureOf(call(target("http://127.0.0.1:9/v1"), marker())))).toBe("connection");
    const slow = marker();
    await addScenario({ match: { text: slow }, latencyMs: 3_000, times: 1 });
    expect(classifyFailure(await failureOf(call(target(`${env.SIM_URL}/openai/v1`), slow, 50)))).toBe("timeout");
  });
});

describe("health keys", () => {
  it("separate the platform's account from a tenant's own", () => {
    expect(healthKeyOf({ name: "openai", model: "gpt-4o-mini" }, null)).toBe("platform:openai/gpt-4o-mini");
    expect(healthKeyOf({ name: "openai", model: "gpt-4o-mini" }, "ten_abc")).toBe("ten_abc:openai/gpt-4o-mini");
    expect(healthKeyOf({ name: "groq", model: "meta-llama/Llama-3.3-70B" }, "ten_abc")).toBe("ten_abc:groq/meta-llama/Llama-3.3-70B");
  });

  it("follow who serves a resolved model", () => {
    const own = { name: "openai", kind: "openai" as const, baseUrl: null, apiKeyEnc: "sealed", models: [], createdAt: 0 };
    expect(healthKeyOfResolved({ provider: "openai", kind: "openai", model: "gpt-4o", own: null, via: "catalog" }, "ten_x")).toBe("platform:openai/gpt-4o");
    expect(healthKeyOfResolved({ provider: "openai", kind: "openai", model: "gpt-4o", own, via: "catalog" }, "ten_x")).toBe("ten_x:openai/gpt-4o");
  });

  it("parse back, and refuse what is not one", () => {
    expect(parseHealthKey("ten_abc:groq/meta-llama/Llama-3.3-70B")).toEqual({ owner: "ten_abc", provider: "groq", model: "meta-llama/Llama-3.3-70B" });
    for (const bad of ["", "platform", "platform:openai", "platform:/gpt", ":openai/gpt-4o", "platform:openai/"]) expect(parseHealthKey(bad), bad).toBeNull();
  });
});
