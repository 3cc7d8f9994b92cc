import { describe, expect, it } from "vitest";
import { parseRoutingRules, rulesFromStored, type ParseResult } from "../../../workers/gateway/routing";
import type { RuleProblem } from "../../../workers/gateway/routing/types";

function errorsOf(r: ParseResult): RuleProblem[] {
  if (r.ok) throw new Error("expected the document to be refused");
  return r.errors;
}

function okOf(r: ParseResult) {
  if (!r.ok) throw new Error(`expected a valid document, got ${JSON.stringify(r.errors)}`);
  return r;
}

const FULL = `# Smith Motors routing
rules:
  - name: lead-replies
    match: { task: lead-reply }
    strategy: fallback
    targets: [anthropic/claude-3-5-haiku-latest, openai/gpt-4o-mini]
    retry: { attempts: 2, backoff: exponential, delay_ms: 200, on: [429, 500, 502, 503] }
    timeout_ms: 20000
    cache: { ttl_seconds: 300 }
  - name: big-context
    match: { min_prompt_tokens: 50000, needs: [tools] }
    strategy: cheapest
    targets: [openai/gpt-4.1, anthropic/claude-sonnet-4-5]
  - name: after-hours
    match: { hours: "21:00-08:00", days: mon-fri, model: "gpt-4o*" }
    strategy: weighted
    targets: [{ model: openai/gpt-4o-mini, weight: 80 }, { model: openai/gpt-4o, weight: 20 }]
  - name: canary
    match: { model: support-bot, tags: [sales] }
    strategy: canary
    targets: [{ model: openai/gpt-4o-mini }, { model: "openai/ft:gpt-4o-mini:dealer-v2", canary_percent: 10 }]
default: { retry: { attempts: 1 }, timeout_ms: 30000 }
`;

describe("parseRoutingRules: a valid document", () => {
  it("reads every rule, with shorthands expanded and snake_case keys normalized", () => {
    const { rules, warnings } = okOf(parseRoutingRules(FULL));
    expect(warnings).toEqual([]);
    expect(rules.rules.map((r) => [r.name, r.strategy])).toEqual([
      ["lead-replies", "fallback"],
      ["big-context", "cheapest"],
      ["after-hours", "weighted"],
      ["canary", "canary"],
    ]);
    const [lead, big, hours, canary] = rules.rules;
    expect(lead?.match.metadata).toEqual({ task: ["lead-reply"] });
    expect(lead?.retry).toEqual({ attempts: 2, backoff: "exponential", delayMs: 200, onStatuses: [429, 500, 502, 503] });
    expect(lead?.timeoutMs).toBe(20000);
    expect(lead?.cache).toEqual({ ttlSeconds: 300 });
    expect(big?.match.promptTokens).toEqual({ min: 50000, max: null });
    expect(big?.match.needs).toEqual(["tools"]);
    expect(hours?.match.hours).toEqual([{ from: 21 * 60, to: 8 * 60, text: "21:00-08:00" }]);
    expect(hours?.match.days).toEqual([1, 2, 3, 4, 5]);
    expect(hours?.match.models).toEqual(["gpt-4o*"]);
    expect(hours?.targets.map((t) => t.weight)).toEqual([80, 20]);
    expect(canary?.match.tags.all).toEqual(["sales"]);
    expect(canary?.targets.map((t) => t.canaryPercent)).toEqual([null, 10]);
    expect(rules.defaults).toEqual({ retry: { attempts: 1 }, timeoutMs: 30000 });
  });

  it("accepts `rules: []` as an explicit 'route every call as asked'", () => {
    expect(okOf(parseRoutingRules("rules: []\n")).rules.rules).toEqual([]);
  });

  it("round-trips through its stored form", () => {
    const first = okOf(parseRoutingRules(FULL));
    expect(rulesFromStored(JSON.parse(JSON.stringify(first.document)))).toEqual(first.rules);
    expect(rulesFromStored({ rules: [{ name: "x" }] })).toBeNull();
  });
});

describe("parseRoutingRules: errors point at the line, column and path", () => {
  it("reports a YAML syntax error at its own position", () => {
    const [e] = errorsOf(parseRoutingRules("rules:\n  - name: a\n    targets: [x, y\n    strategy: fallback\n"));
    expect(e?.path).toBe("(yaml)");
    expect(e?.line).toBeGreaterThanOrEqual(3);
    expect(e?.message).not.toMatch(/at line/);
  });

  it("reports a wrong type at the line of the value, with the path", () => {
    const yaml = "rules:\n  - name: a\n    targets: [openai/gpt-4o]\n    retry:\n      attempts: two\n";
    expect(errorsOf(parseRoutingRules(yaml))).toEqual([{ line: 5, column: 17, path: "rules.0.retry.attempts", message: "expected a number, got the text 'two'" }]);
  });

  it("refuses an unknown key at the key itself and suggests the likely one", () => {
    const yaml = "rules:\n  - name: a\n    strategy: weighted\n    targets:\n      - model: openai/gpt-4o\n        wieght: 3\n";
    const errors = errorsOf(parseRoutingRules(yaml));
    expect(errors).toContainEqual({ line: 6, column: 9, path: "rules.0.targets.0.wieght", message: "unknown key 'wieght': did you mean 'weight'?" });
    // Problems come in the order they are written.
    expect(errors.map((e) => e.line)).toEqual([5, 6]);
  });

  it("suggests keys people spell another way, and lists the allowed ones when nothing is close", () => {
    const yaml = "rules:\n  - name: a\n    timeout: 5000\n    targets: [x]\n    zzz: 1\nretries: 3\n";
    const byPath = Object.fromEntries(errorsOf(parseRoutingRules(yaml)).map((e) => [e.path, e]));
    expect(byPath["rules.0.timeout"]?.message).toBe("unknown key 'timeout': did you mean 'timeout_ms'?");
    expect(byPath["rules.0.timeout"]?.line).toBe(3);
    expect(byPath["rules.0.zzz"]?.message).toMatch(/^unknown key 'zzz': allowed here: name, description, match, strategy, targets/);
    expect(byPath["retries"]).toMatchObject({ line: 6, column: 1, message: "unknown key 'retries': allowed here: rules, default" });
  });

  it("suggests the strategy meant by a misspelled one", () => {
    const [e] = errorsOf(parseRoutingRules("rules:\n  - name: a\n    strategy: cheapset\n    targets: [x]\n"));
    expect(e).toMatchObject({ line: 3, column: 15, path: "rules.0.strategy" });
    expect(e?.message).toMatch(/'cheapset' is not one of .*did you mean 'cheapest'\?/);
  });

  it("refuses a rule with no targets", () => {
    const [e] = errorsOf(parseRoutingRules("rules:\n  - name: empty\n    targets: []\n"));
    expect(e).toEqual({ line: 3, column: 14, path: "rules.0.targets", message: "a rule needs at least one target" });
  });

  it("refuses a missing targets list, pointing at the rule", () => {
    const [e] = errorsOf(parseRoutingRules("rules:\n  - name: lonely\n    strategy: fallback\n"));
    expect(e).toMatchObject({ line: 2, column: 5, path: "rules.0.targets", message: "targets is required" });
  });

  it("refuses weights that add up to 0, and weighted targets without a weight", () => {
    const zero = "rules:\n  - name: w\n    strategy: weighted\n    targets:\n      - { model: a/x, weight: 0 }\n      - { model: a/y, weight: 0 }\n";
    expect(errorsOf(parseRoutingRules(zero))).toEqual([{ line: 5, column: 7, path: "rules.0.targets", message: "the weights add up to 0: give at least one target a weight above 0" }]);
    const missing = "rules:\n  - name: w\n    strategy: weighted\n    targets:\n      - { model: a/x, weight: 5 }\n      - a/y\n";
    const [e] = errorsOf(parseRoutingRules(missing));
    expect(e).toMatchObject({ line: 6, column: 9, path: "rules.0.targets.1" });
    expect(e?.message).toMatch(/needs a weight on every target/);
  });

  it("refuses canary_percent outside 0-100 and a canary without exactly one challenger", () => {
    const big = "rules:\n  - name: c\n    strategy: canary\n    targets:\n      - a/x\n      - { model: a/y, canary_percent: 150 }\n";
    expect(errorsOf(parseRoutingRules(big))).toEqual([{ line: 6, column: 39, path: "rules.0.targets.1.canary_percent", message: "canary_percent is a percentage: 0 to 100" }]);
    const negative = big.replace("150", "-1");
    expect(errorsOf(parseRoutingRules(negative))[0]?.path).toBe("rules.0.targets.1.canary_percent");
    const none = "rules:\n  - name: c\n    strategy: canary\n    targets: [a/x, a/y]\n";
    expect(errorsOf(parseRoutingRules(none))[0]?.message).toMatch(/exactly one target with canary_percent.*found 0/);
    const alone = "rules:\n  - name: c\n    strategy: canary\n    targets: [{ model: a/y, canary_percent: 5 }]\n";
    expect(errorsOf(parseRoutingRules(alone))[0]?.message).toMatch(/needs a champion/);
  });

  it("refuses bad hours and days with the value quoted", () => {
    const yaml = 'rules:\n  - name: t\n    match:\n      hours: "25:00-03:00"\n      days: [mon, funday]\n    targets: [a/x]\n';
    const errors = errorsOf(parseRoutingRules(yaml));
    expect(errors).toEqual([
      { line: 4, column: 14, path: "rules.0.match.hours.0", message: '"25:00-03:00" is not a time of day: use 00:00 to 24:00' },
      { line: 5, column: 19, path: "rules.0.match.days.1", message: 'expected a day (mon … sun) or a range like "mon-fri", got "funday"' },
    ]);
    expect(errorsOf(parseRoutingRules('rules:\n  - name: t\n    match: { hours: "9am to 5pm" }\n    targets: [a/x]\n'))[0]?.message).toMatch(/expected a range of local times/);
    expect(errorsOf(parseRoutingRules('rules:\n  - name: t\n    match: { hours: "08:00-08:00" }\n    targets: [a/x]\n'))[0]?.message).toMatch(/starts where it ends/);
  });

  it("refuses duplicate rule names and ranges that can never match", () => {
    const dup = "rules:\n  - name: a\n    targets: [x/y]\n  - name: a\n    targets: [x/z]\n";
    expect(errorsOf(parseRoutingRules(dup))).toEqual([{ line: 4, column: 11, path: "rules.1.name", message: "rule 1 is already named 'a': names must be unique" }]);
    const range = "rules:\n  - name: a\n    match: { min_prompt_tokens: 900, max_prompt_tokens: 100 }\n    targets: [x/y]\n";
    expect(errorsOf(parseRoutingRules(range))[0]).toMatchObject({ line: 3, path: "rules.0.match.min_prompt_tokens" });
  });

  it("refuses an empty document, a list at the root and duplicate keys", () => {
    expect(errorsOf(parseRoutingRules(""))[0]?.message).toMatch(/the document is empty.*rules: \[\]/);
    expect(errorsOf(parseRoutingRules("- a\n- b\n"))[0]).toMatchObject({ line: 1, column: 1, path: "(root)", message: "expected an object, got a list" });
    expect(errorsOf(parseRoutingRules("rules: []\nrules: []\n"))[0]).toMatchObject({ line: 2, path: "(yaml)" });
  });

  it("does not expand alias bombs", () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x]", ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(8).fill(`*${String.fromCharCode(97 + i)}`).join(", ")}]`)].join("\n");
    expect(errorsOf(parseRoutingRules(bomb))[0]?.path).toBe("(root)");
  });
});

describe("parseRoutingRules: warnings", () => {
  it("warns about models the tenant cannot call yet, without refusing them", () => {
    const yaml = "rules:\n  - name: a\n    targets: [openai/gpt-4o, groq/llama-3.3]\n";
    const { warnings } = okOf(parseRoutingRules(yaml, { knownModel: (m) => m.startsWith("openai/") }));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ line: 3, column: 30, path: "rules.0.targets.1" });
    expect(warnings[0]?.message).toMatch(/'groq\/llama-3.3' is not a model this tenant can call yet/);
  });

  it("warns about weight and canary_percent where the strategy ignores them", () => {
    const yaml = "rules:\n  - name: a\n    targets: [{ model: a/x, weight: 3 }, { model: a/y, canary_percent: 5 }]\n";
    const messages = okOf(parseRoutingRules(yaml)).warnings.map((w) => w.message);
    expect(messages).toEqual(["weight has no effect with strategy fallback", "canary_percent has no effect with strategy fallback"]);
  });

  it("never warns about $requested", () => {
    const yaml = "rules:\n  - name: a\n    targets: [$requested, openai/gpt-4o-mini]\n";
    expect(okOf(parseRoutingRules(yaml, { knownModel: (m) => m === "openai/gpt-4o-mini" })).warnings).toEqual([]);
  });
});
