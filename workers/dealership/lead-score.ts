/**
 * How likely a lead is to buy soon, 0..100, with the reason for every point. The weights
 * (LEAD_WEIGHTS) add up to 100 for a perfect lead: a way to reach the customer, a specific
 * vehicle, a near purchase date, a trade-in, financing arranged, a test-drive ask, and a
 * buying intent in a friendly tone. Each spam sign takes 25 points and caps the score at 30.
 */
import { z } from "zod";
import { intent as intentOf, INTENTS, type Intent } from "./intent";
import { commentsOf, phoneDigits, vehiclesOf, wantedVehicle, LeadSchema, type Lead, type LeadVehicle } from "./lead";
import { sentiment as sentimentOf, SENTIMENT_LABELS, type SentimentLabel } from "./sentiment";
import { spamSignals } from "./spam";
import { findCues, lexicon, negatorBefore, coveredBy, tokenize } from "./text";

export const LEAD_WEIGHTS = {
  email: 10,
  phone: 10,
  bothContacts: 5,
  vehicle: { exact: 20, model: 14, make: 7 },
  timeframe: { week: 15, month: 10, quarter: 5, later: 0 },
  tradeIn: 8,
  financing: { arranged: 8, asked: 4 },
  testDrive: 10,
  intent: { sales: 10, booking: 10, faq: 3, support: 2, escalation: 0 } satisfies Record<Intent, number>,
  sentiment: { positive: 4, neutral: 0, negative: -2 } satisfies Record<SentimentLabel, number>,
  spamPenalty: -25,
  spamCap: 30,
} as const;

export const LEAD_GRADES = { hot: 70, warm: 40 } as const;

export const LeadScoreInputSchema = z.object({
  lead: LeadSchema,
  sentiment: z.looseObject({ label: z.enum(SENTIMENT_LABELS) }).nullish(),
  intent: z.looseObject({ intent: z.enum(INTENTS), confidence: z.number().optional() }).nullish(),
  /** Epoch ms that purchase dates are measured from; default the lead's request date. */
  now: z.number().optional(),
});
export type LeadScoreInput = z.infer<typeof LeadScoreInputSchema>;
export type LeadScore = { score: number; grade: "hot" | "warm" | "cold"; reasons: string[] };

type Horizon = keyof typeof LEAD_WEIGHTS.timeframe;
type LeadCue = "week" | "month" | "quarter" | "later" | "arranged" | "financing" | "trade" | "test_drive";

const CUES: Record<LeadCue, string[]> = {
  week: ["today", "tonight", "tomorrow", "asap", "as soon as possible", "right away", "right now", "this week", "this weekend", "this saturday", "this sunday", "ready to buy", "ready to purchase", "need a car", "need a vehicle", "immediately", "urgent*", "within a week", "in a few days", "hoy", "manana", "esta semana", "este fin de semana", "lo antes posible", "lo mas pronto posible", "ya mismo"],
  month: ["next week", "this month", "within a month", "30 days", "couple weeks", "couple of weeks", "few weeks", "two weeks", "2 weeks", "proxima semana", "este mes", "unas semanas"],
  quarter: ["next month", "few months", "couple months", "couple of months", "60 days", "90 days", "2 months", "3 months", "two months", "three months", "proximo mes", "unos meses"],
  later: ["just looking", "just browsing", "browsing", "not sure", "no rush", "no hurry", "not in a hurry", "someday", "next year", "6 months", "six months", "eventually", "solo mirando", "solo estoy viendo", "sin prisa"],
  arranged: ["pre approved", "preapproved", "pre qualified", "prequalified", "approved for", "own financing", "financing lined up", "financing arranged", "my own bank", "credit union", "cash buyer", "paying cash", "pay cash", "cash deal", "efectivo", "de contado", "preaprobado", "preaprobada"],
  financing: ["financ*", "lease", "leasing", "monthly payment", "monthly payments", "apr", "down payment", "interest rate", "credit", "financiamiento", "credito", "enganche", "mensualidad"],
  trade: ["trade in", "trading in", "tradein", "my trade", "trade my", "to trade", "a cuenta", "intercambio", "sell my"],
  test_drive: ["test drive", "test driving", "testdrive", "drive it", "prueba de manejo", "manejarlo"],
};
const LEAD_CUES = lexicon<LeadCue>(Object.entries(CUES).flatMap(([kind, phrases]) => phrases.map((p) => [p, kind as LeadCue] as const)));
const HORIZONS: Horizon[] = ["week", "month", "quarter", "later"];
const DAY = 86_400_000;

type Reasons = { points: number; reasons: string[] };
const add = (r: Reasons, points: number, why: string) => {
  r.points += points;
  r.reasons.push(`${points >= 0 ? "+" : ""}${points} ${why}`);
};

function horizonOfDate(date: string | null | undefined, from: number | null): Horizon | null {
  const at = date ? Date.parse(date) : Number.NaN;
  if (Number.isNaN(at) || from === null) return null;
  const days = (at - from) / DAY;
  return days <= 7 ? "week" : days <= 31 ? "month" : days <= 92 ? "quarter" : "later";
}

// The cues the customer's words contain; negated timing cues ("not ready to buy") read as "later".
function textCues(text: string): Map<LeadCue, string> {
  const { words } = tokenize(text);
  const matches = findCues(words, LEAD_CUES);
  const taken = coveredBy(matches);
  const found = new Map<LeadCue, string>();
  for (const m of matches) {
    const said = words.slice(m.start, m.end).join(" ");
    const negated = negatorBefore(words, m.start, taken) !== null;
    const kind: LeadCue = negated && (m.cue.data === "week" || m.cue.data === "month") ? "later" : m.cue.data;
    if (!negated || kind === "later") if (!found.has(kind)) found.set(kind, said);
  }
  return found;
}

function scoreContact(lead: Lead, fake: Set<string>, r: Reasons): void {
  const email = lead.customer?.email?.trim() ?? "";
  const phone = phoneDigits(lead.customer?.phone ?? "");
  const hasEmail = email.length <= 254 && /^[^\s@]+@[^\s@]+\.[a-z]{2,}$/i.test(email) && !fake.has("throwaway_email");
  const hasPhone = phone.length >= 10 && !fake.has("fake_phone");
  if (hasEmail) add(r, LEAD_WEIGHTS.email, "e-mail address");
  if (hasPhone) add(r, LEAD_WEIGHTS.phone, "phone number");
  if (hasEmail && hasPhone) add(r, LEAD_WEIGHTS.bothContacts, "both e-mail and phone");
}

function vehicleLabel(v: LeadVehicle): string {
  return [v.year, v.make, v.model, v.trim].filter((x) => x !== null && x !== undefined && x !== "").join(" ");
}

function scoreVehicle(lead: Lead, r: Reasons): void {
  const v = wantedVehicle(lead);
  if (!v) return;
  const { exact, model, make } = LEAD_WEIGHTS.vehicle;
  if ((v.vin?.trim().length ?? 0) >= 11 || v.stock?.trim()) add(r, exact, `exact vehicle (${v.vin ? `VIN ${v.vin}` : `stock ${v.stock}`})`);
  else if (v.model?.trim()) add(r, model, `specific model (${vehicleLabel(v)})`);
  else if (v.make?.trim()) add(r, make, `make only (${v.make})`);
}

function scoreTiming(lead: Lead, cues: Map<LeadCue, string>, from: number | null, r: Reasons): void {
  const tf = [lead.customer?.timeframe, lead.timeframe].find((t) => t);
  const byDate = typeof tf === "object" && tf ? horizonOfDate(tf.earliestDate ?? tf.latestDate, from) : null;
  const described = typeof tf === "string" ? tf : (tf?.description ?? "");
  const byText = described ? textCues(described) : new Map<LeadCue, string>();
  const horizon = HORIZONS.find((h) => h === byDate || byText.has(h) || cues.has(h));
  if (!horizon) return;
  const why = horizon === byDate ? `purchase date ${tf && typeof tf === "object" ? (tf.earliestDate ?? tf.latestDate) : ""}` : `"${byText.get(horizon) ?? cues.get(horizon)}"`;
  const label = { week: "buying within a week", month: "buying within a month", quarter: "buying within three months", later: "no near purchase date" }[horizon];
  add(r, LEAD_WEIGHTS.timeframe[horizon], `${label} (${why})`);
}

function scoreAsks(lead: Lead, cues: Map<LeadCue, string>, r: Reasons): void {
  const interests = new Set(vehiclesOf(lead).map((v) => v.interest));
  if (interests.has("trade-in") || interests.has("sell") || cues.has("trade")) add(r, LEAD_WEIGHTS.tradeIn, "has a trade-in");
  if (cues.has("arranged")) add(r, LEAD_WEIGHTS.financing.arranged, `financing arranged ("${cues.get("arranged")}")`);
  else if (cues.has("financing") || interests.has("lease")) add(r, LEAD_WEIGHTS.financing.asked, "asks about financing or leasing");
  if (interests.has("test-drive") || cues.has("test_drive")) add(r, LEAD_WEIGHTS.testDrive, "wants a test drive");
}

function scoreTone(input: LeadScoreInput, comments: string, r: Reasons): void {
  const given = input.intent;
  const computed = !given && comments ? intentOf(comments) : null;
  const said = given ?? computed;
  if (said && (given ? (given.confidence ?? 1) > 0 : (computed?.confidence ?? 0) >= 0.2)) {
    const points = LEAD_WEIGHTS.intent[said.intent];
    if (points) add(r, points, `intent: ${said.intent}${computed ? " (from the comments)" : ""}`);
  }
  const label = input.sentiment?.label ?? (comments ? sentimentOf(comments).label : "neutral");
  const points = LEAD_WEIGHTS.sentiment[label];
  if (points) add(r, points, `${label} tone`);
}

/** Scores a lead: 0..100, hot (70+) / warm (40+) / cold, and why. */
export function leadScore(input: LeadScoreInput): LeadScore {
  const { lead } = input;
  const comments = commentsOf(lead);
  const cues = textCues(comments);
  const spam = spamSignals(lead);
  const requested = lead.requestDate ? Date.parse(lead.requestDate) : Number.NaN;
  const from = input.now ?? (Number.isNaN(requested) ? null : requested);
  const r: Reasons = { points: 0, reasons: [] };
  scoreContact(lead, new Set(spam.map((s) => s.kind)), r);
  scoreVehicle(lead, r);
  scoreTiming(lead, cues, from, r);
  scoreAsks(lead, cues, r);
  scoreTone(input, comments, r);
  for (const s of spam) add(r, LEAD_WEIGHTS.spamPenalty, s.detail);
  let score = Math.max(0, Math.min(100, r.points));
  if (spam.length && score > LEAD_WEIGHTS.spamCap) {
    score = LEAD_WEIGHTS.spamCap;
    r.reasons.push(`capped at ${LEAD_WEIGHTS.spamCap}: looks like spam`);
  }
  const grade = score >= LEAD_GRADES.hot ? "hot" : score >= LEAD_GRADES.warm ? "warm" : "cold";
  return { score, grade, reasons: r.reasons };
}
