/**
 * The key a lead is recognised by when it arrives again. Providers that number their leads
 * (`<id source="AutoTrader">…`) are trusted on that id; without one, the same person asking
 * about the same vehicle at the same request time is the same lead.
 */
import { sha256Hex } from "../lib/crypto";
import type { AdfLead } from "./adf/schema";

/** Longer ids are hashed so the unique index stays small. */
const MAX_READABLE_KEY = 200;

const norm = (s: string | null | undefined) => (s ?? "").normalize("NFKC").replace(/\s+/g, " ").trim().toLowerCase();

/** The last 10 digits: "+1 (555) 013-2468" and "555.013.2468" are one number. */
const digits = (s: string | null) => (s ?? "").replace(/\D/g, "").slice(-10);

/** The source an id belongs to: the id's own source, else the provider that sent it. */
export function externalSourceOf(lead: AdfLead): string | null {
  return lead.externalId?.source ?? lead.provider.name ?? null;
}

export async function dedupeKeyOf(lead: AdfLead): Promise<string> {
  const source = externalSourceOf(lead);
  if (lead.externalId && source) {
    const key = `id:${norm(source)}:${lead.externalId.value}`;
    return key.length <= MAX_READABLE_KEY ? key : `id:${await sha256Hex(key)}`;
  }
  const { customer } = lead;
  const vehicle = lead.vehicles[0];
  const basis = [
    norm(customer.name),
    norm(customer.email),
    digits(customer.phone),
    vehicle ? [vehicle.year, norm(vehicle.make), norm(vehicle.model), norm(vehicle.vin)] : null,
    lead.requestDate,
    lead.externalId?.value ?? null,
  ];
  return `sha256:${await sha256Hex(JSON.stringify(basis))}`;
}
