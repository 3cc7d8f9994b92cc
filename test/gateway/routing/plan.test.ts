import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY, planRoute } from "../../../workers/gateway/routing";
import { capable, draws, infoTable, request, rulesOf } from "./helpers";

const never = () => {
  throw new Error("this strategy must not draw");
};
const models = (p: ReturnType<typeof planRoute>) => p.targets.map((t) => t.model);

describe("direct plans", () => {
  it("without rules, or when no rule matches, the call goes to the model asked for with the default policy", () => {
    const none = planRoute(null, request({ model: "gpt-4o-mini" }), infoTable({}), never);
    expect(none).toMatchObject({ rule: null, strategy: "direct", skipped: [], cache: null });
    expect(none.targets).toEqual([{ model: "gpt-4o-mini", retry: DEFAULT_RETRY, timeoutMs: 300_000 }]);
    expect(none.reason).toMatch(/^no routing rules/);
    const rules = rulesOf("rules:\n  - name: leads\n    match: { task: lead-reply }\n    targets: [openai/gpt-4o-mini]\ndefault: { timeout_ms: 15000, retry: { attempts: 2 } }\n");
    const unmatched = planRoute(rules, request({ model: "gpt-4o", stream: true }), infoTable({}), never);
    expect(unmatched.strategy).toBe("direct");
    expect(unmatched.reason).toMatch(/^no rule matched: the call goes to 'gpt-4o' as asked/);
    expect(unmatched.targets).toEqual([{ model: "gpt-4o", retry: { ...DEFAULT_RETRY, attempts: 2 }, timeoutMs: 15000 }]);
    expect(planRoute(null, request({ stream: true }), infoTable({}), never).targets[0]?.timeoutMs).toBe(60_000);
  });

  it("DEFAULT_RETRY does not retry and fails over on 408, 429 and 5xx", () => {
    expect(DEFAULT_RETRY.attempts).toBe(1);
    expect(DEFAULT_RETRY.onStatuses).toEqual([408, 429, 500, 502, 503, 504]);
  });

  it("keeps the only target even when its circuit is open, and says so", () => {
    const p = planRoute(null, request(), infoTable({ "gpt-4o": { circuit: "open" } }), never);
    expect(models(p)).toEqual(["gpt-4o"]);
    expect(p.reason).toMatch(/circuit is open, but it is the only target/);
  });
});

describe("strategies", () => {
  it("fallback: targets in the order written, retry and timeout layered default < rule < target", () => {
    const rules = rulesOf(`rules:
  - name: leads
    targets:
      - anthropic/claude-3-5-haiku-latest
      - { model: openai/gpt-4o-mini, timeout_ms: 5000, retry: { attempts: 3, delay_ms: 9000 } }
    retry: { attempts: 2, backoff: constant, on: [429] }
    timeout_ms: 20000
    cache: { ttl_seconds: 300 }
default: { retry: { honor_retry_after: false }, timeout_ms: 30000 }
`);
    const p = planRoute(rules, request(), infoTable({}), never);
    expect(p).toMatchObject({ rule: "leads", strategy: "fallback", cache: { ttlSeconds: 300 } });
    expect(p.targets).toEqual([
      { model: "anthropic/claude-3-5-haiku-latest", timeoutMs: 20000, retry: { ...DEFAULT_RETRY, attempts: 2, backoff: "constant", onStatuses: [429], honorRetryAfter: false } },
      // A delay above the default cap raises the cap with it.
      { model: "openai/gpt-4o-mini", timeoutMs: 5000, retry: { ...DEFAULT_RETRY, attempts: 3, backoff: "constant", onStatuses: [429], honorRetryAfter: false, delayMs: 9000, maxDelayMs: 9000 } },
    ]);
    expect(p.reason).toBe("rule 'leads' matched (it has no conditions); fallback: targets in the order written");
  });

  const weighted = rulesOf(`rules:
  - name: split
    strategy: weighted
    targets:
      - { model: a/small, weight: 70 }
      - { model: a/medium, weight: 10 }
      - { model: a/large, weight: 20 }
`);

  it("weighted: the draw picks by weight, the rest follow by weight", () => {
    expect(models(planRoute(weighted, request(), infoTable({}), draws(0)))).toEqual(["a/small", "a/large", "a/medium"]);
    expect(models(planRoute(weighted, request(), infoTable({}), draws(0.6999)))).toEqual(["a/small", "a/large", "a/medium"]);
    expect(models(planRoute(weighted, request(), infoTable({}), draws(0.7)))).toEqual(["a/medium", "a/small", "a/large"]);
    expect(models(planRoute(weighted, request(), infoTable({}), draws(0.85)))).toEqual(["a/large", "a/small", "a/medium"]);
    expect(models(planRoute(weighted, request(), infoTable({}), draws(0.9999)))).toEqual(["a/large", "a/small", "a/medium"]);
    expect(planRoute(weighted, request(), infoTable({}), draws(0.85)).reason).toMatch(/drew 85\.00 of total weight 100: a\/large \(weight 20\) first/);
  });

  it("weighted: over many draws, each target leads in proportion to its weight", () => {
    const counts: Record<string, number> = {};
    for (let i = 0; i < 1000; i++) {
      const first = planRoute(weighted, request(), infoTable({}), draws((i + 0.5) / 1000)).targets[0]?.model ?? "";
      counts[first] = (counts[first] ?? 0) + 1;
    }
    expect(counts).toEqual({ "a/small": 700, "a/medium": 100, "a/large": 200 });
  });

  it("weighted: an open circuit takes its target out of the draw", () => {
    const p = planRoute(weighted, request(), infoTable({ "a/small": { circuit: "open" } }), draws(0.1));
    // The draw is over medium (10) + large (20): 0.1 * 30 = 3 lands on medium.
    expect(models(p)).toEqual(["a/medium", "a/large"]);
    expect(p.skipped).toEqual([{ model: "a/small", why: "circuit open: recent calls failed" }]);
  });

  it("cheapest: by estimated cost for this request, unknown prices last", () => {
    const rules = rulesOf("rules:\n  - name: c\n    strategy: cheapest\n    targets: [x/unknown, openai/gpt-4.1, anthropic/claude-sonnet-4-5, openai/gpt-4o-mini]\n");
    const info = infoTable({
      "openai/gpt-4.1": { price: { inputPerMtok: 2, outputPerMtok: 8 } },
      "anthropic/claude-sonnet-4-5": { price: { inputPerMtok: 3, outputPerMtok: 15 } },
      "openai/gpt-4o-mini": { price: { inputPerMtok: 0.15, outputPerMtok: 0.6 } },
    });
    const p = planRoute(rules, request({ estimatedPromptTokens: 10_000, maxOutputTokens: 1000 }), info, never);
    expect(models(p)).toEqual(["openai/gpt-4o-mini", "openai/gpt-4.1", "anthropic/claude-sonnet-4-5", "x/unknown"]);
    // 10k * 0.15 + 1k * 0.6 = 2100 micro-USD.
    expect(p.reason).toContain("~10000 prompt + 1000 output tokens: openai/gpt-4o-mini $0.002100, openai/gpt-4.1 $0.028000");
    expect(p.reason).toContain("x/unknown price unknown");
  });

  it("cheapest: output dominates when the request allows a long answer", () => {
    const rules = rulesOf("rules:\n  - name: c\n    strategy: cheapest\n    targets: [a/cheap-in, a/cheap-out]\n");
    const info = infoTable({ "a/cheap-in": { price: { inputPerMtok: 0.1, outputPerMtok: 20 } }, "a/cheap-out": { price: { inputPerMtok: 1, outputPerMtok: 2 } } });
    expect(models(planRoute(rules, request({ estimatedPromptTokens: 1000, maxOutputTokens: 4000 }), info, never))).toEqual(["a/cheap-out", "a/cheap-in"]);
    expect(models(planRoute(rules, request({ estimatedPromptTokens: 100_000, maxOutputTokens: 10 }), info, never))).toEqual(["a/cheap-in", "a/cheap-out"]);
  });

  it("lowest_latency: by recent latency, targets without data last in the order written", () => {
    const rules = rulesOf("rules:\n  - name: l\n    strategy: lowest_latency\n    targets: [a/new1, a/slow, a/new2, a/fast]\n");
    const p = planRoute(rules, request(), infoTable({ "a/slow": { latencyMs: 900 }, "a/fast": { latencyMs: 120.4 } }), never);
    expect(models(p)).toEqual(["a/fast", "a/slow", "a/new1", "a/new2"]);
    expect(p.reason).toContain("a/fast 120 ms, a/slow 900 ms, a/new1 no data yet");
  });

  const canary = rulesOf(`rules:
  - name: c
    strategy: canary
    targets: [{ model: openai/gpt-4o-mini }, { model: "openai/ft:gpt-4o-mini:dealer-v2", canary_percent: 10 }]
`);

  it("canary: the challenger with probability canary_percent, the champion otherwise, the other as fallback", () => {
    expect(models(planRoute(canary, request(), infoTable({}), draws(0.05)))).toEqual(["openai/ft:gpt-4o-mini:dealer-v2", "openai/gpt-4o-mini"]);
    expect(models(planRoute(canary, request(), infoTable({}), draws(0.1)))).toEqual(["openai/gpt-4o-mini", "openai/ft:gpt-4o-mini:dealer-v2"]);
    let challenger = 0;
    for (let i = 0; i < 1000; i++) if (planRoute(canary, request(), infoTable({}), draws(i / 1000)).targets[0]?.model.includes("ft:")) challenger++;
    expect(challenger).toBe(100);
  });

  it("canary: an open challenger leaves the champion alone", () => {
    const p = planRoute(canary, request(), infoTable({ "openai/ft:gpt-4o-mini:dealer-v2": { circuit: "open" } }), draws(0.01));
    expect(models(p)).toEqual(["openai/gpt-4o-mini"]);
    expect(p.reason).toMatch(/the challenger cannot take this request/);
  });

  it("$requested stands for the model asked for, and a repeated target is tried once", () => {
    const rules = rulesOf('rules:\n  - name: gpt\n    match: { model: "gpt-*" }\n    targets: [$requested, anthropic/claude-sonnet-4-5, gpt-4o]\n');
    const p = planRoute(rules, request({ model: "gpt-4o" }), infoTable({}), never);
    expect(models(p)).toEqual(["gpt-4o", "anthropic/claude-sonnet-4-5"]);
    expect(p.skipped).toEqual([{ model: "gpt-4o", why: "listed earlier in this rule" }]);
  });
});

describe("fit and health", () => {
  const rules = rulesOf("rules:\n  - name: r\n    targets: [a/small-window, a/no-tools, a/no-vision, a/unknown, a/good]\n");
  const info = infoTable({
    "a/small-window": capable({ contextWindow: 8000 }),
    "a/no-tools": capable({ capabilities: { tools: false, json: true, vision: true } }),
    "a/no-vision": capable({ capabilities: { tools: true, json: true, vision: false } }),
    "a/good": capable(),
  });

  it("skips targets whose capabilities or context window do not fit, saying why; unknown limits never exclude", () => {
    const f = request({ estimatedPromptTokens: 6000, maxOutputTokens: 4000, needs: { tools: true, json: false, vision: true } });
    const p = planRoute(rules, f, info, never);
    expect(models(p)).toEqual(["a/unknown", "a/good"]);
    expect(p.skipped).toEqual([
      { model: "a/small-window", why: "needs ~10000 tokens of context (prompt + max output), its window is 8000" },
      { model: "a/no-tools", why: "does not support tool calls" },
      { model: "a/no-vision", why: "does not support images" },
    ]);
    expect(models(planRoute(rules, request({ estimatedPromptTokens: 100 }), info, never))).toHaveLength(5);
  });

  it("skips open circuits but keeps half-open ones (they take the probe)", () => {
    const health = infoTable({ "a/small-window": { circuit: "open" }, "a/no-tools": { circuit: "half_open" } });
    const p = planRoute(rules, request(), health, never);
    expect(models(p)).toEqual(["a/no-tools", "a/no-vision", "a/unknown", "a/good"]);
    expect(p.skipped).toEqual([{ model: "a/small-window", why: "circuit open: recent calls failed" }]);
  });

  it("when every target's circuit is open, keeps the first as a last resort", () => {
    const allOpen = infoTable(Object.fromEntries(["a/small-window", "a/no-tools", "a/no-vision", "a/unknown", "a/good"].map((m) => [m, { circuit: "open" as const }])));
    const p = planRoute(rules, request(), allOpen, never);
    expect(models(p)).toEqual(["a/small-window"]);
    expect(p.skipped.map((s) => s.model)).toEqual(["a/no-tools", "a/no-vision", "a/unknown", "a/good"]);
    expect(p.reason).toMatch(/every target's circuit is open, so a\/small-window is tried anyway as a last resort/);
  });

  it("the last resort among open circuits follows the strategy's order", () => {
    const cheap = rulesOf("rules:\n  - name: c\n    strategy: cheapest\n    targets: [a/dear, a/cheap]\n");
    const info2 = infoTable({ "a/dear": { circuit: "open", price: { inputPerMtok: 9, outputPerMtok: 9 } }, "a/cheap": { circuit: "open", price: { inputPerMtok: 1, outputPerMtok: 1 } } });
    expect(models(planRoute(cheap, request(), info2, never))).toEqual(["a/cheap"]);
  });

  it("when no target fits, tries the first one anyway so the provider explains", () => {
    const p = planRoute(rules, request({ estimatedPromptTokens: 500_000 }), infoTable({ "a/small-window": capable(), "a/no-tools": capable(), "a/no-vision": capable(), "a/unknown": capable(), "a/good": capable() }), never);
    expect(models(p)).toEqual(["a/small-window"]);
    expect(p.skipped.map((s) => s.model)).not.toContain("a/small-window");
    expect(p.reason).toMatch(/no target fits this request, so a\/small-window \(which needs ~500000 tokens/);
  });
});
