/**
 * A chat conversation read as a lead: the visitor's contact details (given to the widget or
 * written in a message), the vehicle they asked about, and everything they wrote.
 */
import type { Visitor } from "../../d1/schema";
import type { Lead } from "../dealership/lead";

export type DetectedVehicle = { year?: number; make: string; model?: string };

const MAKES = [
  "Acura", "Audi", "BMW", "Buick", "Cadillac", "Chevrolet", "Chevy", "Chrysler", "Dodge", "Ford", "GMC", "Genesis", "Honda", "Hyundai",
  "Infiniti", "Jaguar", "Jeep", "Kia", "Land Rover", "Lexus", "Lincoln", "Mazda", "Mercedes-Benz", "Mercedes", "Mini", "Mitsubishi",
  "Nissan", "Porsche", "Ram", "Rivian", "Subaru", "Tesla", "Toyota", "Volkswagen", "VW", "Volvo",
];
const MAKE_RE = new RegExp(`\\b(?:((?:19|20)\\d{2})\\s+)?(${MAKES.map((m) => m.replace(/[-\\s]/g, "[-\\s]")).join("|")})\\b(?:\\s+([A-Za-z0-9][\\w-]*))?`, "i");
const EMAIL_RE = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/;
const PHONE_RE = /(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}\b/;
const STOP_WORDS = new Set(["and", "or", "for", "with", "in", "on", "at", "is", "the", "a", "dealer", "dealership", "service", "please"]);

function canonicalMake(raw: string): string {
  const found = MAKES.find((m) => m.toLowerCase().replace(/[-\s]/g, "") === raw.toLowerCase().replace(/[-\s]/g, ""));
  if (found === "Chevy") return "Chevrolet";
  if (found === "VW") return "Volkswagen";
  return found ?? raw;
}

/** The vehicle named last in `texts` (a later message is the customer's latest interest). */
export function detectVehicle(texts: string[]): DetectedVehicle | null {
  for (let i = texts.length - 1; i >= 0; i--) {
    const m = MAKE_RE.exec(texts[i] ?? "");
    if (!m?.[2]) continue;
    const model = m[3] && !STOP_WORDS.has(m[3].toLowerCase()) ? m[3] : undefined;
    return { make: canonicalMake(m[2]), ...(m[1] ? { year: Number(m[1]) } : {}), ...(model ? { model } : {}) };
  }
  return null;
}

/** Contact details: what the visitor gave the widget first, else what they wrote. */
export function contactOf(visitor: Visitor, texts: string[]): Visitor {
  const all = texts.join("\n");
  const email = visitor.email ?? EMAIL_RE.exec(all)?.[0];
  const phone = visitor.phone ?? PHONE_RE.exec(all)?.[0];
  return { ...(visitor.name ? { name: visitor.name } : {}), ...(email ? { email } : {}), ...(phone ? { phone } : {}) };
}

/** The conversation as the dealership signals read a lead. */
export function conversationLead(visitor: Visitor, customerTexts: string[]): Lead {
  const contact = contactOf(visitor, customerTexts);
  const vehicle = detectVehicle(customerTexts);
  return {
    customer: { name: contact.name ?? null, email: contact.email ?? null, phone: contact.phone ?? null },
    vehicle: vehicle ? { make: vehicle.make, model: vehicle.model ?? null, year: vehicle.year ?? null } : null,
    comments: customerTexts.join("\n"),
  };
}
