import { describe, expect, it } from "vitest";
import { QUALITY_WEIGHTS, qualityScore, QualityInputSchema, type QualityCheckName } from "../../workers/dealership/quality-score";

const LEAD = {
  customer: { name: "Dana Reyes", firstName: "Dana", lastName: "Reyes", email: "dana@example.com", phone: "(512) 867-5309" },
  vehicles: [
    { interest: "buy", year: 2024, make: "Toyota", model: "RAV4", trim: "XLE" },
    { interest: "trade-in", year: 2017, make: "Honda", model: "Civic" },
  ],
  vendor: { name: "Sunrise Toyota", contact: { name: "Sales", email: "sales@sunrisetoyota.example", phone: "512-200-3000" } },
};

const GOOD =
  "Hi Dana, thanks for your interest in the 2024 RAV4 XLE! It is in stock and ready for a test drive. " +
  "Would Saturday at 10am work for you? You can reply here or call us at 512-200-3000. We can also appraise your Civic while you're here.";

const run = (text: string, lead: unknown = LEAD) => qualityScore(QualityInputSchema.parse({ text, lead }));
const failed = (text: string, lead: unknown = LEAD) => run(text, lead).checks.filter((c) => !c.passed).map((c) => c.name);
const detail = (text: string, name: QualityCheckName, lead: unknown = LEAD) => run(text, lead).checks.find((c) => c.name === name)?.detail;

describe("quality score", () => {
  it("a good reply passes every check and scores 100", () => {
    const r = run(GOOD);
    expect(r.checks.map((c) => [c.name, c.passed])).toEqual(Object.keys(QUALITY_WEIGHTS).map((n) => [n, true]));
    expect(r.score).toBe(100);
  });

  it("greeting: by name when the name is known", () => {
    expect(failed(GOOD.replace("Hi Dana,", "Hello there,"))).toEqual(["greeting"]);
    expect(detail(GOOD.replace("Hi Dana,", "Hello there,"), "greeting")).toBe("does not greet the customer by name (Dana) at the start");
    expect(failed(GOOD.replace("Hi Dana,", "Dear Ms. Reyes,"))).toEqual([]);
    expect(failed(GOOD.replace("Hi Dana,", "Hi Danah,"))).toEqual(["greeting"]);
    expect(failed(GOOD.replace("Hi Dana,", "Hola Dana,"))).toEqual([]);
  });

  it("greeting: any greeting when no name is known", () => {
    const anon = { ...LEAD, customer: { email: "dana@example.com" } };
    expect(failed(GOOD.replace("Hi Dana,", "Hello,"), anon)).toEqual([]);
    expect(failed(GOOD.replace("Hi Dana, thanks", "Thanks"), anon)).toEqual(["greeting"]);
  });

  it("vehicle: mentions the model asked about, however it is spaced", () => {
    expect(failed(GOOD.replace("2024 RAV4 XLE", "vehicle"))).toEqual(["vehicle"]);
    expect(detail(GOOD.replace("2024 RAV4 XLE", "vehicle"), "vehicle")).toBe("does not mention the RAV4 the customer asked about");
    expect(failed(GOOD.replace("RAV4", "Rav 4"))).toEqual([]);
    expect(failed(GOOD.replace("RAV4", "RAV-4"))).toEqual([]);
    expect(failed(GOOD.replace("2024 RAV4 XLE", "Civic"))).toEqual(["vehicle"]);
    expect(run(GOOD.replace("2024 RAV4 XLE", "car"), { customer: LEAD.customer }).checks.find((c) => c.name === "vehicle")).toEqual({ name: "vehicle", passed: true, detail: "no vehicle named in the lead" });
  });

  it("call to action: a question, a visit, a call or a reply", () => {
    const flat = "Hi Dana, thanks for your interest in the 2024 RAV4 XLE. It is in stock at our store this week.";
    expect(failed(flat)).toEqual(["call_to_action"]);
    expect(failed(`${flat} Let me know when works.`)).toEqual([]);
    expect(failed(`${flat} Does Saturday work?`)).toEqual([]);
  });

  it.each([
    ["[Name]", "Hi Dana, [Name] here"],
    ["{{ dealer.name }}", "Hi Dana, {{ dealer.name }} here"],
    ["{salesperson}", "Hi Dana, {salesperson} here"],
    ["<insert price>", "Hi Dana, the price is <insert price>"],
    ["TBD", "Hi Dana, pricing is TBD"],
  ])("placeholders: %s fails the check", (placeholder, opening) => {
    const text = GOOD.replace("Hi Dana,", `${opening},`);
    expect(failed(text)).toContain("no_placeholders");
    expect(detail(text, "no_placeholders")).toBe(`unfilled placeholder "${placeholder}"`);
  });

  it("placeholders: a markdown link is not one", () => {
    expect(failed(`${GOOD} See [the listing](https://sunrisetoyota.example/rav4).`)).toEqual([]);
  });

  it.each([
    "We guarantee the lowest price in Texas.",
    "Lowest price guaranteed!",
    "Your financing approval is guaranteed.",
    "Good news: you're pre-approved already.",
    "Everyone is approved, no credit check needed.",
    "We'll beat any price you find.",
    "Aprobación garantizada para todos.",
  ])("promises: %s fails the check", (promise) => {
    expect(failed(`${GOOD} ${promise}`)).toEqual(["no_promises"]);
  });

  it("promises: talking about price or approval without promising passes", () => {
    expect(failed(`${GOOD} We'd be glad to check what financing you could be approved for.`)).toEqual([]);
  });

  it("length: between 40 and 1,200 characters", () => {
    expect(failed("Hi Dana, RAV4 ready. Call?")).toEqual(["length"]);
    expect(detail("Hi Dana, RAV4 ready. Call?", "length")).toBe("26 characters (40-1,200 expected)");
    expect(failed(`${GOOD} ${"We look forward to meeting you. ".repeat(40)}`)).toEqual(["length"]);
  });

  it("personal data: the customer's own and the dealership's contacts are fine, anyone else's is not", () => {
    expect(failed(`${GOOD} We'll text you at (512) 867-5309 or write to dana@example.com.`)).toEqual([]);
    expect(failed(`${GOOD} Or ask Bob at bob.smith@gmail.com.`)).toEqual(["no_foreign_pii"]);
    expect(detail(`${GOOD} Or ask Bob at bob.smith@gmail.com.`, "no_foreign_pii")).toBe("contains email b***@g***.com, which is not the customer's or the dealership's");
    expect(failed(`${GOOD} The last buyer's number was 210-555-7788.`)).toEqual(["no_foreign_pii"]);
    expect(failed(`${GOOD} Card on file 4111 1111 1111 1111.`)).toEqual(["no_foreign_pii"]);
  });

  it("shouting: mostly capitals, or several loud words; model names and acronyms are fine", () => {
    expect(failed(GOOD.toUpperCase())).toContain("not_shouting");
    expect(failed(`${GOOD} HUGE SAVINGS THIS WEEKEND ONLY!`)).toEqual(["not_shouting"]);
    expect(failed(`${GOOD} The MSRP and APR are on the window sticker.`)).toEqual([]);
  });

  it("the score is the sum of the weights of the checks that passed", () => {
    const r = run("[Name], we guarantee the lowest price!!");
    const expected = r.checks.reduce((sum, c) => sum + (c.passed ? QUALITY_WEIGHTS[c.name] : 0), 0);
    expect(r.score).toBe(expected);
    expect(r.score).toBeLessThan(50);
    expect(Object.values(QUALITY_WEIGHTS).reduce((a, b) => a + b, 0)).toBe(100);
  });

  it("works without a lead", () => {
    expect(qualityScore({ text: "Hello! Thanks for reaching out. When would you like to come in for a test drive?" }).score).toBe(100);
  });

  it("refuses input that is not text", () => {
    expect(QualityInputSchema.safeParse({ text: 42 }).success).toBe(false);
    expect(QualityInputSchema.safeParse({ text: "hi", lead: "Dana" }).success).toBe(false);
  });
});
