/**
 * Checks an AI-drafted reply to a customer before anyone sends it. Each check passes or
 * fails with a reason; the score is the sum of the weights of the checks that passed
 * (QUALITY_WEIGHTS, 100 in all). Placeholders and promises weigh most: a reply that says
 * "[Name]" or "guaranteed approval" must not leave the building.
 */
import { z } from "zod";
import { findCards, findEmails, findPhones, findSsns, type Span } from "../gateway/guard/pii";
import { customerFirstName, LeadSchema, phoneDigits, wantedVehicle, type Lead } from "./lead";
import { isShouting } from "./sentiment";
import { fold } from "./text";

export const QUALITY_WEIGHTS = {
  greeting: 10,
  vehicle: 15,
  call_to_action: 15,
  no_placeholders: 20,
  no_promises: 15,
  length: 10,
  no_foreign_pii: 10,
  not_shouting: 5,
} as const;
export type QualityCheckName = keyof typeof QUALITY_WEIGHTS;

export const QUALITY_LENGTH = { min: 40, max: 1_200 } as const;

export const QualityInputSchema = z.object({ text: z.string(), lead: LeadSchema.nullish() });
export type QualityInput = z.infer<typeof QualityInputSchema>;
export type QualityCheck = { name: QualityCheckName; passed: boolean; detail: string };
export type QualityScore = { score: number; checks: QualityCheck[] };

const GREETING = /\b(hi|hello|hey|dear|good (morning|afternoon|evening)|greetings|hola|buenos dias|buenas tardes|buenas noches|estimad[oa])\b/;
const CALL_TO_ACTION = /\b(call|text|reply|respond|let (me|us) know|schedule|book|set up|stop by|come (in|by)|visit|reserve|what time|when would|are you (free|available)|test drive|click|llam\w*|respond\w*|agend\w*|cita|visit\w*|avis\w*)\b|\?/;
const PLACEHOLDERS: RegExp[] = [
  /\[[^\]\n]{1,40}\](?!\()/,
  /\{\{[^}\n]{0,60}\}\}|\{[A-Za-z_][\w .-]{0,30}\}/,
  /<\s*(insert|your|customer|dealer|name|first|last|vehicle|price|date|phone|email)\b[^>\n]{0,40}>/i,
  /\b(XXX+|TBD|lorem ipsum)\b/i,
];
const PROMISES: RegExp[] = [
  /guarantee\w*\s+(you\s+)?(the\s+)?(lowest|best)\s+(price|deal|rate)/,
  /(lowest|best)\s+(price|deal|rate)\s+(is\s+)?guarantee/,
  /(price|deal|rate|apr|payment)\s+(is\s+)?guaranteed/,
  /guarantee\w*\s+(your\s+|you\s+)?(an?\s+)?(approval|financing|credit|rate|loan)/,
  /(approval|financing|credit|loan)\s+(is\s+)?guaranteed/,
  /\byou(?:'|’)?(?:re| are| have been|ve been) (?:already )?(?:pre[\s-]?)?approved\b/,
  /\beveryone (?:gets |is )?approved\b/,
  /\bno credit check\b/,
  /\bwe(?:'|’)?ll beat any\b|\bwe will beat any\b/,
  /\b(precio|aprobacion|financiamiento|credito) garantizad[oa]\b/,
];
const ACRONYMS = new Set(["MSRP", "PHEV", "ASAP", "APR", "OTD", "VIN", "SUV", "AWD", "FWD", "RWD", "4WD", "USA", "CPO", "DMV", "FAQ", "SMS", "GPS", "LED", "MPG", "CVT", "TRD", "GMC", "BMW", "HVAC"]);

function check(name: QualityCheckName, passed: boolean, detail: string): QualityCheck {
  return { name, passed, detail };
}

function greeting(text: string, lead: Lead | null): QualityCheck {
  const opening = fold(text.trim().slice(0, 120));
  const first = lead ? customerFirstName(lead) : "";
  const last = lead?.customer?.lastName?.trim() ?? "";
  if (first) {
    const names = [escape(fold(first)), ...(last ? [`(mr|mrs|ms|sr|sra)\\.? ${escape(fold(last))}`] : [])];
    const byName = new RegExp(`(^|[^\\p{L}])(${names.join("|")})(?![\\p{L}])`, "u").test(opening);
    return check("greeting", byName, byName ? `greets ${first} by name` : `does not greet the customer by name (${first}) at the start`);
  }
  const generic = GREETING.test(opening);
  return check("greeting", generic, generic ? "greets the customer (no name known)" : "no greeting at the start");
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function vehicleMentioned(text: string, lead: Lead | null): QualityCheck {
  const v = lead ? wantedVehicle(lead) : null;
  const name = v?.model?.trim() || v?.make?.trim();
  if (!v || !name) return check("vehicle", true, "no vehicle named in the lead");
  const squashed = fold(name).replace(/[^a-z0-9]/g, "");
  const pattern = new RegExp(`(?<![a-z0-9])${[...squashed].map(escape).join("[\\s-]?")}(?![a-z0-9])`);
  const found = squashed !== "" && pattern.test(fold(text));
  return check("vehicle", found, found ? `mentions the ${name}` : `does not mention the ${name} the customer asked about`);
}

function placeholders(text: string): QualityCheck {
  const hit = PLACEHOLDERS.map((re) => re.exec(text)?.[0]).find((m) => m !== undefined);
  return check("no_placeholders", !hit, hit ? `unfilled placeholder "${hit}"` : "no unfilled placeholders");
}

function promises(text: string): QualityCheck {
  const folded = fold(text);
  const hit = PROMISES.map((re) => re.exec(folded)?.[0]).find((m) => m !== undefined);
  return check("no_promises", !hit, hit ? `promises what we cannot keep: "${hit}"` : "no price or approval promises");
}

function lengthCheck(text: string): QualityCheck {
  const n = [...text.trim()].length;
  const ok = n >= QUALITY_LENGTH.min && n <= QUALITY_LENGTH.max;
  return check("length", ok, `${n} characters (${QUALITY_LENGTH.min}-${QUALITY_LENGTH.max.toLocaleString("en-US")} expected)`);
}

// Contacts a reply may contain: the customer's own and the dealership's.
function allowedContacts(lead: Lead | null): { emails: Set<string>; phones: Set<string> } {
  const contacts = [lead?.customer, lead?.vendor?.contact];
  return {
    emails: new Set(contacts.map((c) => c?.email?.trim().toLowerCase()).filter((e): e is string => !!e)),
    phones: new Set(contacts.map((c) => (c?.phone ? phoneDigits(c.phone) : "")).filter(Boolean)),
  };
}

function foreignPii(text: string, lead: Lead | null): QualityCheck {
  const spans: Span[] = [];
  findEmails(text, spans);
  findPhones(text, spans);
  findCards(text, spans);
  findSsns(text, spans);
  const allowed = allowedContacts(lead);
  const foreign = spans.filter((s) => {
    const said = text.slice(s.start, s.end);
    if (s.kind === "email") return !allowed.emails.has(said.toLowerCase());
    if (s.kind === "phone") return !allowed.phones.has(phoneDigits(said));
    return true;
  });
  const first = foreign[0];
  return check("no_foreign_pii", !first, first ? `contains ${first.kind} ${first.sample}, which is not the customer's or the dealership's` : "no personal data other than the customer's own");
}

function shouting(text: string, lead: Lead | null): QualityCheck {
  const v = lead ? wantedVehicle(lead) : null;
  const names = new Set([v?.make, v?.model, v?.trim].filter((x): x is string => !!x).map((x) => x.toUpperCase()));
  const loud = (text.match(/\b\p{Lu}{4,}\b/gu) ?? []).filter((w) => !ACRONYMS.has(w) && !names.has(w));
  const shouted = isShouting(text) || loud.length >= 3;
  return check("not_shouting", !shouted, shouted ? `written in capitals${loud.length ? ` (${loud.slice(0, 3).join(", ")})` : ""}` : "no shouting");
}

/** Scores a drafted reply 0..100 and says which checks failed and why. */
export function qualityScore(input: QualityInput): QualityScore {
  const { text } = input;
  const lead = input.lead ?? null;
  const cta = CALL_TO_ACTION.exec(fold(text))?.[0];
  const checks = [
    greeting(text, lead),
    vehicleMentioned(text, lead),
    check("call_to_action", !!cta, cta ? `asks for a next step ("${cta}")` : "no clear next step (a question, a time, a call or a visit)"),
    placeholders(text),
    promises(text),
    lengthCheck(text),
    foreignPii(text, lead),
    shouting(text, lead),
  ];
  const score = checks.reduce((sum, c) => sum + (c.passed ? QUALITY_WEIGHTS[c.name] : 0), 0);
  return { score, checks };
}
