/**
 * What the signals read from a lead. Lenient on purpose: it accepts a lead parsed from
 * ADF (every field present, many null), the `lead.created` event's data (`vehicle`
 * singular, contact only), or a hand-written object, and ignores fields it does not use.
 */
import { z } from "zod";

const Text = z.string().nullish();
const Num = z.union([z.number(), z.string()]).nullish();

export const LeadVehicleSchema = z.looseObject({
  interest: Text,
  status: Text,
  year: Num,
  make: Text,
  model: Text,
  trim: Text,
  vin: Text,
  stock: Text,
  price: Num,
  comments: Text,
});
export type LeadVehicle = z.infer<typeof LeadVehicleSchema>;

const Timeframe = z.union([z.string(), z.looseObject({ description: Text, earliestDate: Text, latestDate: Text })]).nullish();
const Contact = z.looseObject({ name: Text, email: Text, phone: Text }).nullish();

export const LeadSchema = z.looseObject({
  customer: z
    .looseObject({ name: Text, firstName: Text, lastName: Text, email: Text, phone: Text, timeframe: Timeframe, comments: Text })
    .nullish(),
  vehicles: z.array(LeadVehicleSchema).nullish(),
  vehicle: LeadVehicleSchema.nullish(),
  comments: Text,
  timeframe: Timeframe,
  requestDate: Text,
  /** The dealership: its own phone and e-mail may appear in a reply. */
  vendor: z.looseObject({ name: Text, contact: Contact }).nullish(),
});
export type Lead = z.infer<typeof LeadSchema>;
export type Timeframe = z.infer<typeof Timeframe>;

/** Every vehicle the lead names, the `vehicles` list first. */
export function vehiclesOf(lead: Lead): LeadVehicle[] {
  return [...(lead.vehicles ?? []), ...(lead.vehicle ? [lead.vehicle] : [])];
}

/** The vehicle the customer asked about: the first one they want to buy, lease or drive, else the first one. */
export function wantedVehicle(lead: Lead): LeadVehicle | null {
  const all = vehiclesOf(lead);
  return all.find((v) => !v.interest || !["sell", "trade-in"].includes(v.interest)) ?? all[0] ?? null;
}

/** The customer's full name as written, or first and last joined. */
export function customerName(lead: Lead): string {
  const c = lead.customer;
  return (c?.name ?? [c?.firstName, c?.lastName].filter(Boolean).join(" ")).trim();
}

/** The customer's first name: `firstName`, else the first word of the full name ("Reyes, Dana" → "Dana"). */
export function customerFirstName(lead: Lead): string {
  const given = lead.customer?.firstName?.trim();
  if (given) return given;
  const name = customerName(lead);
  const ordered = name.includes(",") ? name.slice(name.indexOf(",") + 1) : name;
  return ordered.trim().split(/\s+/).find((w) => !/^(mr|mrs|ms|dr|sr|sra)\.?$/i.test(w)) ?? "";
}

/** Everything the customer wrote (lead, customer and vehicle comments), each text once. */
export function commentsOf(lead: Lead): string {
  const texts = [lead.comments, lead.customer?.comments, ...vehiclesOf(lead).map((v) => v.comments)].filter((t): t is string => !!t?.trim());
  return texts.filter((t, i) => !texts.some((other, j) => j !== i && other.includes(t) && (other !== t || j < i))).join("\n");
}

/** Ten digits of a North American number (a leading 1 dropped), else all digits. */
export function phoneDigits(phone: string): string {
  const digits = phone.replace(/\D/g, "");
  return digits.length === 11 && digits.startsWith("1") ? digits.slice(1) : digits;
}
