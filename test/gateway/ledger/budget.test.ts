import { describe, expect, it } from "vitest";
import { appliesTo, type BudgetState, judgeBudgets, percentOf, thresholdsCrossed, thresholdsToRearm, worstCaseNanoUsd } from "../../../workers/gateway/ledger/budget";
import type { BudgetConfig } from "../../../workers/gateway/ledger/config";
import { budgetHeaders } from "../../../workers/gateway/ledger/headers";
import { budget as sharedBudget } from "../../durable-objects/tenant-ledger-helpers";

const budget = (over: Partial<BudgetConfig>): BudgetConfig => sharedBudget({ id: "bud_1", limitNanoUsd: 1_000, ...over });
const window = { start: 0, end: 1, bucketStart: 0, markKey: 0 };
const st = (b: Partial<BudgetConfig>, spent: number, reserved = 0): BudgetState => ({ budget: budget(b), window, spent, reserved });

describe("which budgets cover a call", () => {
  const who = { apiKeyId: "key_a", userId: null, tags: ["service", "bdc"] };
  it("tenant always; key, user and tag only their own; disabled never", () => {
    expect(appliesTo(budget({}), who)).toBe(true);
    expect(appliesTo(budget({ scope: "key", scopeId: "key_a" }), who)).toBe(true);
    expect(appliesTo(budget({ scope: "key", scopeId: "key_b" }), who)).toBe(false);
    expect(appliesTo(budget({ scope: "user", scopeId: "usr_1" }), who)).toBe(false);
    expect(appliesTo(budget({ scope: "user", scopeId: "usr_1" }), { ...who, userId: "usr_1" })).toBe(true);
    expect(appliesTo(budget({ scope: "tag", scopeId: "bdc" }), who)).toBe(true);
    expect(appliesTo(budget({ scope: "tag", scopeId: "sales" }), who)).toBe(false);
    expect(appliesTo(budget({ enabled: false }), who)).toBe(false);
  });
});

describe("admission against budgets", () => {
  it("a hard budget admits up to its limit exactly, counting reservations, and not a nano-dollar past it", () => {
    expect(judgeBudgets([st({}, 600, 300)], 100).denied).toBeNull();
    expect(judgeBudgets([st({}, 600, 300)], 101).denied?.budget.id).toBe("bud_1");
  });

  it("a call that alone costs more than the limit is refused", () => {
    expect(judgeBudgets([st({}, 0)], 1_001).denied).not.toBeNull();
  });

  it("soft budgets never refuse", () => {
    expect(judgeBudgets([st({ action: "soft" }, 5_000)], 100)).toEqual({ denied: null, degradeTo: null });
  });

  it("degrade switches models once the call would reach degradeAtPercent; the most exhausted budget picks", () => {
    const cheap = { action: "degrade" as const, degradeTo: "openai/gpt-4o-mini", degradeAtPercent: 80 };
    expect(judgeBudgets([st(cheap, 600)], 100).degradeTo).toBeNull();
    expect(judgeBudgets([st(cheap, 700)], 100).degradeTo).toBe("openai/gpt-4o-mini");
    const other = { id: "bud_2", action: "degrade" as const, degradeTo: "anthropic/claude-3-5-haiku-latest", degradeAtPercent: 50 };
    expect(judgeBudgets([st(cheap, 900), st(other, 600)], 100).degradeTo).toBe("openai/gpt-4o-mini");
    expect(judgeBudgets([st(cheap, 900), st({ ...other, limitNanoUsd: 500 }, 600)], 100).degradeTo).toBe("anthropic/claude-3-5-haiku-latest");
  });

  it("a hard refusal wins over a degrade", () => {
    const v = judgeBudgets([st({ id: "bud_d", action: "degrade", degradeTo: "x/y" }, 990), st({ id: "bud_h" }, 950)], 100);
    expect(v.denied?.budget.id).toBe("bud_h");
  });
});

describe("worst-case cost", () => {
  const price = { inputPerMtok: 2.5, outputPerMtok: 10 };
  it("prompt plus max output at the target's prices, in nano-USD", () => {
    // 1,000 in at $2.50/M = $0.0025; 500 out at $10/M = $0.005.
    expect(worstCaseNanoUsd(price, 1_000, 500, 16_384)).toBe(7_500_000);
  });
  it("no max_tokens means the cap; a max above the cap is capped", () => {
    expect(worstCaseNanoUsd(price, 0, null, 4_096)).toBe(40_960_000);
    expect(worstCaseNanoUsd(price, 0, 1_000_000, 4_096)).toBe(40_960_000);
  });
  it("rounds up, and treats nonsense token counts as zero", () => {
    // One token at $0.0001/M is a tenth of a nano-dollar.
    expect(worstCaseNanoUsd({ inputPerMtok: 0.0001, outputPerMtok: 0 }, 1, 0, 0)).toBe(1);
    expect(worstCaseNanoUsd(price, Number.NaN, -5, 100)).toBe(0);
  });
});

describe("thresholds", () => {
  it("each threshold reached and not yet marked fires once, in order", () => {
    expect(thresholdsCrossed(850, 1_000, [50, 80, 100], new Set())).toEqual([50, 80]);
    expect(thresholdsCrossed(850, 1_000, [100, 80, 50], new Set([50]))).toEqual([80]);
    expect(thresholdsCrossed(1_000, 1_000, [50, 80, 100], new Set([50, 80]))).toEqual([100]);
    expect(thresholdsCrossed(499, 1_000, [50], new Set())).toEqual([]);
  });
  it("rolling windows re-arm thresholds that spend was under before the latest charge", () => {
    expect(thresholdsToRearm(700, 1_000, new Set([50, 80]))).toEqual([80]);
  });
  it("percent has two decimals", () => {
    expect(percentOf(1, 3)).toBe(33.33);
    expect(percentOf(0, 0)).toBe(0);
  });
  it("the budget header shows the least remaining, never negative", () => {
    expect(budgetHeaders([st({}, 200, 100), st({ id: "b2", limitNanoUsd: 10_000_000_000 }, 0)])).toEqual({ "x-auterity-budget-remaining-usd": "0.000000700" });
    expect(budgetHeaders([st({}, 2_000)])).toEqual({ "x-auterity-budget-remaining-usd": "0.000000000" });
    expect(budgetHeaders([])).toEqual({});
  });
});
