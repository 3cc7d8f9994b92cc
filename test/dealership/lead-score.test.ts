import { describe, expect, it } from "vitest";
import { LEAD_WEIGHTS, leadScore, LeadScoreInputSchema } from "../../workers/dealership/lead-score";
import { looksGibberish, spamSignals } from "../../workers/dealership/spam";

const NOW = Date.UTC(2025, 2, 14, 15, 0, 0);

/** A lead as the ADF parser produces it: every key present, unknowns null. */
function adfLead(over: { customer?: Record<string, unknown>; vehicles?: Record<string, unknown>[]; comments?: string | null } = {}) {
  const customer = { name: "Dana Reyes", firstName: "Dana", lastName: "Reyes", email: "dana.reyes@gmail.com", phone: "512-867-5309", phoneType: "cellphone", address: null, contactPreference: "email", timeframe: null, comments: null, ...over.customer };
  const vehicle = { interest: "buy", status: "new", year: 2024, make: "Toyota", model: "RAV4", trim: "XLE", vin: null, stock: null, price: null, odometer: null, comments: null };
  return {
    externalId: { value: "AT-1", source: "AutoTrader" },
    status: "new",
    requestDate: "2025-03-14T14:55:00Z",
    vehicles: (over.vehicles ?? [{}]).map((v) => ({ ...vehicle, ...v })),
    customer,
    vendor: { name: "Sunrise Toyota", contact: null },
    provider: { name: "AutoTrader", service: null, url: null },
    comments: over.comments === undefined ? null : over.comments,
  };
}

const score = (lead: unknown, extra: Record<string, unknown> = {}) => leadScore(LeadScoreInputSchema.parse({ lead, now: NOW, ...extra }));

describe("lead score ordering", () => {
  const urgent = adfLead({
    vehicles: [{ vin: "2T3P1RFV8RW123456", stock: "T4821" }, { interest: "trade-in", year: 2017, make: "Honda", model: "Civic" }],
    customer: { timeframe: { description: "This weekend", earliestDate: null, latestDate: null } },
    comments: "Is this one still available? I'm pre-approved through my credit union and want to test drive it Saturday.",
  });
  const vague = { customer: { name: "Pat", email: "pat@gmail.com" }, vehicle: { make: "Toyota" }, comments: "just looking for now" };
  const spam = adfLead({ customer: { name: "asdf asdf", firstName: null, lastName: null, email: "qq@mailinator.com", phone: "555-555-5555" }, comments: "Cheap SEO backlinks at www.spam.example" });

  it("a complete, specific, urgent lead is hot and outranks a vague one, which is cold", () => {
    const hot = score(urgent);
    const cold = score(vague);
    expect(hot.grade).toBe("hot");
    expect(hot.score).toBeGreaterThanOrEqual(90);
    expect(cold.grade).toBe("cold");
    expect(hot.score).toBeGreaterThan(cold.score + 50);
  });

  it("explains every point of a hot lead", () => {
    expect(score(urgent).reasons).toEqual([
      "+10 e-mail address",
      "+10 phone number",
      "+5 both e-mail and phone",
      "+20 exact vehicle (VIN 2T3P1RFV8RW123456)",
      '+15 buying within a week ("this weekend")',
      "+8 has a trade-in",
      '+8 financing arranged ("pre approved")',
      "+10 wants a test drive",
      "+10 intent: sales (from the comments)",
    ]);
  });

  it("spam lands cold however complete it looks, and says why", () => {
    const s = score(spam);
    expect(s.grade).toBe("cold");
    expect(s.score).toBeLessThanOrEqual(LEAD_WEIGHTS.spamCap);
    expect(s.reasons).toEqual(
      expect.arrayContaining(['-25 placeholder name "asdf asdf"', "-25 throwaway e-mail domain mailinator.com", "-25 fake phone number 555-555-5555", '-25 spam in comments ("SEO")']),
    );
    const onlyThrowaway = score(adfLead({ customer: { email: "dana@yopmail.com" }, vehicles: [{ vin: "2T3P1RFV8RW123456" }], comments: "Available this weekend? I'd like a test drive." }));
    expect(onlyThrowaway.score).toBe(LEAD_WEIGHTS.spamCap);
    expect(onlyThrowaway.reasons.at(-1)).toBe("capped at 30: looks like spam");
    expect(onlyThrowaway.reasons).not.toContain("+10 e-mail address");
  });

  it("vehicle specificity: VIN or stock > model > make > nothing", () => {
    const by = (v: Record<string, unknown>) => score(adfLead({ vehicles: [v] })).score;
    const vin = by({ vin: "2T3P1RFV8RW123456" });
    const stock = by({ stock: "T4821" });
    const model = by({});
    const make = by({ model: null, trim: null });
    const none = by({ make: null, model: null, trim: null, year: null });
    expect(vin).toBe(stock);
    expect([vin - model, model - make, make - none]).toEqual([6, 7, 7]);
  });

  it("the trade-in vehicle is not the vehicle asked about", () => {
    const s = score(adfLead({ vehicles: [{ interest: "trade-in", make: "Honda", model: "Civic", vin: "1HGCM82633A004352" }, { interest: "buy", vin: null }] }));
    expect(s.reasons).toContain("+14 specific model (2024 Toyota RAV4 XLE)");
    expect(s.reasons).toContain("+8 has a trade-in");
  });

  it("timeframe from the words, from dates, and 'not ready' reads as later", () => {
    const from = (comments: string) => score(adfLead({ comments })).reasons.find((r) => r.includes("buying") || r.includes("purchase"));
    expect(from("Can I pick it up asap?")).toBe('+15 buying within a week ("asap")');
    expect(from("Planning to buy in a couple of weeks")).toBe('+10 buying within a month ("couple of weeks")');
    expect(from("maybe next month")).toBe('+5 buying within three months ("next month")');
    expect(from("just browsing")).toBe('+0 no near purchase date ("just browsing")');
    expect(from("I'm not ready to buy yet")).toBe('+0 no near purchase date ("ready to buy")');
    const dated = score(adfLead({ customer: { timeframe: { description: null, earliestDate: "2025-04-01", latestDate: null } } }));
    expect(dated.reasons).toContain("+10 buying within a month (purchase date 2025-04-01)");
  });

  it("financing: arranged beats merely asked; a lease interest counts as asking", () => {
    expect(score(adfLead({ comments: "I will be paying cash" })).reasons).toContain('+8 financing arranged ("paying cash")');
    expect(score(adfLead({ comments: "What financing do you offer?" })).reasons).toContain("+4 asks about financing or leasing");
    expect(score(adfLead({ vehicles: [{ interest: "lease" }] })).reasons).toContain("+4 asks about financing or leasing");
    expect(score(adfLead({ comments: "I don't want a test drive" })).reasons).not.toContain("+10 wants a test drive");
  });

  it("given intent and sentiment override the ones read from the comments", () => {
    const lead = adfLead({ comments: "Is it available?" });
    expect(score(lead).reasons).toContain("+10 intent: sales (from the comments)");
    const given = score(lead, { intent: { intent: "support", confidence: 0.9 }, sentiment: { label: "negative", score: -0.6, signals: [] } });
    expect(given.reasons).toContain("+2 intent: support");
    expect(given.reasons).toContain("-2 negative tone");
  });

  it("reads the lead.created event's shape too", () => {
    const event = { leadId: "lead_1", source: "web", customer: { name: "Luis García", phone: "+1 (210) 555-0199" }, vehicle: { year: 2023, make: "Ford", model: "F-150" }, comments: "¿Está disponible? Quiero una prueba de manejo este fin de semana." };
    const s = score(event);
    expect(s.reasons).toEqual(expect.arrayContaining(["+14 specific model (2023 Ford F-150)", '+15 buying within a week ("este fin de semana")', "+10 wants a test drive"]));
    expect(s.reasons).toContain("-25 fake phone number +1 (210) 555-0199");
  });

  it("refuses a lead that is not an object", () => {
    expect(LeadScoreInputSchema.safeParse({ lead: "Dana" }).success).toBe(false);
    expect(LeadScoreInputSchema.safeParse({ lead: { customer: { email: 5 } } }).success).toBe(false);
    expect(LeadScoreInputSchema.safeParse({ lead: {}, intent: { intent: "shopping" } }).success).toBe(false);
  });

  it("an empty lead scores 0", () => {
    expect(score({})).toEqual({ score: 0, grade: "cold", reasons: [] });
  });
});

describe("spam signals", () => {
  it("spots keyboard mashing without flagging real names and words", () => {
    for (const w of ["asdfgh", "qwerty", "sdfghjk", "xkcdvbn", "aaaaah", "bcdfgh"]) expect(looksGibberish(w), w).toBe(true);
    for (const w of ["Nguyen", "Schmidt", "Strzelecki", "Liberty", "property", "rhythm", "García", "Tacoma", "strengths"]) expect(looksGibberish(w), w).toBe(false);
  });

  it("does not flag a normal lead", () => {
    expect(spamSignals({ customer: { name: "María José Hernández", email: "mjh@outlook.com", phone: "(956) 412-7788" }, comments: "Busco una camioneta para mi familia" })).toEqual([]);
  });

  it("flags placeholder names, names with digits, throwaway addresses and fictional numbers", () => {
    const kinds = (lead: unknown) => spamSignals(LeadScoreInputSchema.parse({ lead }).lead).map((s) => s.kind);
    expect(kinds({ customer: { name: "Test Test" } })).toEqual(["fake_name"]);
    expect(kinds({ customer: { name: "John Doe" } })).toEqual(["fake_name"]);
    expect(kinds({ customer: { name: "user123" } })).toEqual(["fake_name"]);
    expect(kinds({ customer: { email: "test@dealer.com" } })).toEqual(["throwaway_email"]);
    expect(kinds({ customer: { phone: "123-456-7890" } })).toEqual(["fake_phone"]);
    expect(kinds({ customer: { phone: "(512) 555-0123" } })).toEqual(["fake_phone"]);
    expect(kinds({ comments: "sdfkjh qwpoeiru zxmcnvb" })).toEqual(["gibberish"]);
  });
});
