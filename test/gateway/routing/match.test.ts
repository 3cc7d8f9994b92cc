import { describe, expect, it } from "vitest";
import { firstMatch } from "../../../workers/gateway/routing";
import { globMatch, matchRule } from "../../../workers/gateway/routing/match";
import { request, rulesOf } from "./helpers";

/** The rule a request lands on under a one-rule document with this `match`. */
function matches(match: string, over: Parameters<typeof request>[0] = {}): boolean {
  const rules = rulesOf(`rules:\n  - name: r\n    match: ${match}\n    targets: [openai/gpt-4o-mini]\n`);
  return firstMatch(rules, request(over)) !== null;
}

describe("match keys", () => {
  it("model: exact, glob and list", () => {
    expect(matches("{ model: gpt-4o }", { model: "gpt-4o" })).toBe(true);
    expect(matches("{ model: gpt-4o }", { model: "gpt-4o-mini" })).toBe(false);
    expect(matches('{ model: "gpt-4o*" }', { model: "gpt-4o-mini" })).toBe(true);
    expect(matches('{ model: "gpt-4o*" }', { model: "gpt-4.1" })).toBe(false);
    expect(matches('{ model: "claude-?-5-*" }', { model: "claude-3-5-haiku-latest" })).toBe(true);
    expect(matches("{ model: [support-bot, fast] }", { model: "fast" })).toBe(true);
    // Dots in a pattern are literal, not "any character".
    expect(globMatch("gpt-4.1*", "gpt-4x1-mini")).toBe(false);
  });

  it("tags: a list means all of them; any and none", () => {
    expect(matches("{ tags: [sales, north] }", { tags: ["north", "sales", "x"] })).toBe(true);
    expect(matches("{ tags: [sales, north] }", { tags: ["sales"] })).toBe(false);
    expect(matches("{ tags: { any: [service, parts] } }", { tags: ["parts"] })).toBe(true);
    expect(matches("{ tags: { any: [service, parts] } }", { tags: ["sales"] })).toBe(false);
    expect(matches("{ tags: { none: [internal] } }", { tags: ["sales"] })).toBe(true);
    expect(matches("{ tags: { none: [internal] } }", { tags: ["internal"] })).toBe(false);
  });

  it("metadata and task (sugar for metadata.task), with globs and lists", () => {
    expect(matches("{ task: lead-reply }", { metadata: { task: "lead-reply" } })).toBe(true);
    expect(matches("{ task: lead-reply }", { metadata: { task: "review-reply" } })).toBe(false);
    expect(matches("{ task: lead-reply }", { metadata: {} })).toBe(false);
    expect(matches("{ metadata: { rooftop: north, dept: [service, parts] } }", { metadata: { rooftop: "north", dept: "parts" } })).toBe(true);
    expect(matches("{ metadata: { rooftop: north, dept: [service, parts] } }", { metadata: { rooftop: "north", dept: "sales" } })).toBe(false);
    expect(matches('{ metadata: { campaign: "spring-*" } }', { metadata: { campaign: "spring-2026" } })).toBe(true);
    expect(matches('{ metadata: { campaign: "*" } }', { metadata: {} })).toBe(false);
  });

  it("prompt tokens and context tokens (prompt + max output)", () => {
    expect(matches("{ min_prompt_tokens: 50000 }", { estimatedPromptTokens: 50_000 })).toBe(true);
    expect(matches("{ min_prompt_tokens: 50000 }", { estimatedPromptTokens: 49_999 })).toBe(false);
    expect(matches("{ max_prompt_tokens: 2000 }", { estimatedPromptTokens: 2001 })).toBe(false);
    expect(matches("{ min_context_tokens: 10000 }", { estimatedPromptTokens: 6000, maxOutputTokens: 4000 })).toBe(true);
    expect(matches("{ min_context_tokens: 10000 }", { estimatedPromptTokens: 6000, maxOutputTokens: null })).toBe(false);
    expect(matches("{ max_context_tokens: 8000 }", { estimatedPromptTokens: 6000, maxOutputTokens: 4000 })).toBe(false);
  });

  it("needs: every capability listed must be used by the request", () => {
    const tools = { tools: true, json: false, vision: false };
    expect(matches("{ needs: [tools] }", { needs: tools })).toBe(true);
    expect(matches("{ needs: [tools, vision] }", { needs: tools })).toBe(false);
    expect(matches("{ needs: [json] }", { needs: { tools: false, json: false, vision: false } })).toBe(false);
  });

  it("stream", () => {
    expect(matches("{ stream: true }", { stream: true })).toBe(true);
    expect(matches("{ stream: true }", { stream: false })).toBe(false);
  });

  it("no match key at all matches every request", () => {
    const rules = rulesOf("rules:\n  - name: catch-all\n    targets: [openai/gpt-4o-mini]\n");
    expect(firstMatch(rules, request())?.because).toEqual(["it has no conditions"]);
  });
});

describe("hours and days in the tenant's zone", () => {
  const chicago = { timezone: "America/Chicago" };
  // 2026-03-06 is a Friday; Chicago is UTC-6 until the DST change on March 8.
  const at = (iso: string) => ({ ...chicago, now: Date.parse(iso) });

  it("a range crossing midnight matches late evening and early morning local time", () => {
    const m = '{ hours: "21:00-08:00" }';
    expect(matches(m, at("2026-03-07T04:30:00Z"))).toBe(true); // 22:30 Friday local
    expect(matches(m, at("2026-03-07T13:30:00Z"))).toBe(true); // 07:30 Saturday local (13:30 UTC is outside)
    expect(matches(m, at("2026-03-07T01:00:00Z"))).toBe(false); // 19:00 Friday local (01:00 UTC would be inside)
    expect(matches(m, at("2026-03-07T14:00:00Z"))).toBe(false); // 08:00 local: the end is exclusive
    expect(matches(m, at("2026-03-07T03:00:00Z"))).toBe(true); // 21:00 local: the start is inclusive
  });

  it("follows daylight saving time", () => {
    // On March 9 Chicago is UTC-5: 13:30 UTC is 08:30 local, after the range.
    expect(matches('{ hours: "21:00-08:00" }', at("2026-03-09T13:30:00Z"))).toBe(false);
    expect(matches('{ hours: "21:00-08:00" }', at("2026-03-09T12:30:00Z"))).toBe(true);
  });

  it("several ranges and a half-hour zone", () => {
    const m = '{ hours: ["06:00-09:00", "17:30-19:00"] }';
    // Asia/Kolkata is UTC+5:30: 12:15 UTC is 17:45 local.
    expect(matches(m, { timezone: "Asia/Kolkata", now: Date.parse("2026-03-04T12:15:00Z") })).toBe(true);
    expect(matches(m, { timezone: "Asia/Kolkata", now: Date.parse("2026-03-04T11:45:00Z") })).toBe(false);
  });

  it("days use the local date, and ranges like mon-fri or fri-mon wrap the week", () => {
    // 04:30 UTC Saturday is 22:30 Friday in Chicago.
    expect(matches("{ days: mon-fri }", at("2026-03-07T04:30:00Z"))).toBe(true);
    expect(matches("{ days: [sat, sun] }", at("2026-03-07T04:30:00Z"))).toBe(false);
    expect(matches("{ days: fri-mon }", at("2026-03-09T15:00:00Z"))).toBe(true); // Monday
    expect(matches("{ days: fri-mon }", at("2026-03-10T15:00:00Z"))).toBe(false); // Tuesday
    expect(matches('{ days: [saturday], hours: "21:00-08:00" }', at("2026-03-07T13:30:00Z"))).toBe(true);
  });

  it("a zone the runtime does not know reads the clock in UTC rather than failing", () => {
    expect(matches('{ hours: "09:00-10:00" }', { timezone: "Mars/Olympus", now: Date.parse("2026-03-04T09:30:00Z") })).toBe(true);
  });
});

describe("rule order and explanations", () => {
  const rules = rulesOf(`rules:
  - name: leads
    match: { task: lead-reply, tags: [sales] }
    targets: [anthropic/claude-3-5-haiku-latest]
  - name: any-gpt
    match: { model: "gpt-*" }
    targets: [openai/gpt-4o-mini]
  - name: catch-all
    targets: [openai/gpt-4.1-mini]
`);

  it("the first matching rule wins, even when later ones match too", () => {
    expect(firstMatch(rules, request({ model: "gpt-4o", metadata: { task: "lead-reply" }, tags: ["sales"] }))?.rule.name).toBe("leads");
    expect(firstMatch(rules, request({ model: "gpt-4o", metadata: { task: "lead-reply" } }))?.rule.name).toBe("any-gpt");
    expect(firstMatch(rules, request({ model: "claude-sonnet-4-5" }))?.rule.name).toBe("catch-all");
  });

  it("says which condition failed and which held", () => {
    const leads = rules.rules[0];
    if (!leads) throw new Error("no rule");
    expect(matchRule(leads.match, request({ metadata: { task: "lead-reply" } }))).toEqual({ matched: false, why: "the key lacks tag 'sales'" });
    expect(matchRule(leads.match, request({ metadata: { task: "service" }, tags: ["sales"] }))).toEqual({ matched: false, why: "x-auterity-task is 'service', not 'lead-reply'" });
    const ok = matchRule(leads.match, request({ metadata: { task: "lead-reply" }, tags: ["sales"] }));
    expect(ok).toEqual({ matched: true, because: ["key tags fit ('sales')", "task = 'lead-reply'"] });
  });
});
