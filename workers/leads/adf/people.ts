/**
 * The people in an ADF prospect: the customer (name, email, phone, address, timeframe),
 * the vendor (the dealership the lead is for) and the provider (who sent it).
 */
import type { AdfAddress, AdfCustomer, AdfProvider, AdfVendor } from "./schema";
import { clean, cleanBlock, parseEmail, parsePhone, type Warn } from "./values";
import { childElements, firstChild, textOf, type XmlElement } from "./xml";

type Name = { name: string | null; firstName: string | null; lastName: string | null };

function splitFullName(full: string): { firstName: string | null; lastName: string | null } {
  const comma = full.indexOf(",");
  // "Reyes, Dana" is last-name-first.
  if (comma > 0) return { lastName: clean(full.slice(0, comma)), firstName: clean(full.slice(comma + 1)) };
  const words = full.split(" ");
  return { firstName: words[0] ?? null, lastName: words.length > 1 ? (words[words.length - 1] ?? null) : null };
}

/** `<name part="first|middle|last|suffix|full">`; a name without a part is the full name. */
export function readName(contact: XmlElement | null): Name {
  const parts = new Map<string, string>();
  for (const el of contact ? childElements(contact, "name") : []) {
    const part = (el.attrs.part ?? "full").toLowerCase();
    const value = clean(textOf(el));
    if (value && !parts.has(part)) parts.set(part, value);
  }
  const full = parts.get("full") ?? null;
  const first = parts.get("first") ?? null;
  const last = parts.get("last") ?? null;
  const split = full && !first && !last ? splitFullName(full) : { firstName: first, lastName: last };
  const joined = clean([first, last].filter(Boolean).join(" "));
  return { name: full ?? joined, ...split };
}

const preferred = (el: XmlElement) => el.attrs.preferredcontact === "1";

/** The preferred element first, then the rest in document order. */
function byPreference(els: XmlElement[]): XmlElement[] {
  return [...els.filter(preferred), ...els.filter((e) => !preferred(e))];
}

function readEmail(contact: XmlElement | null, warn: Warn): { email: string | null; preferred: boolean } {
  for (const el of byPreference(contact ? childElements(contact, "email") : [])) {
    const email = parseEmail(clean(textOf(el)), warn);
    if (email) return { email, preferred: preferred(el) };
  }
  return { email: null, preferred: false };
}

function readPhone(contact: XmlElement | null, warn: Warn): { phone: string | null; phoneType: string | null; preferred: boolean } {
  const phones = byPreference(contact ? childElements(contact, "phone") : []);
  // A fax number is the last thing to call a customer back on.
  const ordered = [...phones.filter((p) => p.attrs.type?.toLowerCase() !== "fax"), ...phones.filter((p) => p.attrs.type?.toLowerCase() === "fax")];
  for (const el of ordered) {
    const phone = parsePhone(clean(textOf(el)), warn);
    if (phone) return { phone, phoneType: clean(el.attrs.type)?.toLowerCase() ?? null, preferred: preferred(el) };
  }
  return { phone: null, phoneType: null, preferred: false };
}

function readAddress(contact: XmlElement | null): AdfAddress | null {
  const el = firstChild(contact, "address");
  if (!el) return null;
  const streets = childElements(el, "street").map((s) => clean(textOf(s)));
  const apartment = clean(textOf(firstChild(el, "apartment")));
  const address: AdfAddress = {
    street: clean([...streets, apartment].filter(Boolean).join(", ")),
    city: clean(textOf(firstChild(el, "city"))),
    region: clean(textOf(firstChild(el, "regioncode"))),
    postalCode: clean(textOf(firstChild(el, "postalcode"))),
    country: clean(textOf(firstChild(el, "country"))),
  };
  return Object.values(address).some((v) => v !== null) ? address : null;
}

function readTimeframe(customer: XmlElement): AdfCustomer["timeframe"] {
  const el = firstChild(customer, "timeframe");
  if (!el) return null;
  const timeframe = {
    description: clean(textOf(firstChild(el, "description"))),
    earliestDate: clean(textOf(firstChild(el, "earliestdate"))),
    latestDate: clean(textOf(firstChild(el, "latestdate"))),
  };
  return Object.values(timeframe).some((v) => v !== null) ? timeframe : null;
}

/** The primary contact (primarycontact="1"), else the first one. */
function primaryContact(parent: XmlElement | null): XmlElement | null {
  const contacts = parent ? childElements(parent, "contact") : [];
  return contacts.find((c) => c.attrs.primarycontact === "1") ?? contacts[0] ?? null;
}

export function readCustomer(customer: XmlElement, warn: Warn): AdfCustomer {
  const contact = primaryContact(customer);
  const email = readEmail(contact, warn);
  const phone = readPhone(contact, warn);
  return {
    ...readName(contact),
    email: email.email,
    phone: phone.phone,
    phoneType: phone.phoneType,
    address: readAddress(contact),
    contactPreference: email.preferred ? "email" : phone.preferred ? "phone" : null,
    timeframe: readTimeframe(customer),
    comments: cleanBlock(textOf(firstChild(customer, "comments"))),
  };
}

export function readVendor(vendor: XmlElement | null, warn: Warn): AdfVendor {
  const contactEl = primaryContact(vendor);
  const contact = contactEl
    ? { name: readName(contactEl).name, email: readEmail(contactEl, warn).email, phone: readPhone(contactEl, warn).phone }
    : null;
  return { name: clean(textOf(firstChild(vendor, "vendorname"))), contact };
}

export function readProvider(provider: XmlElement | null): AdfProvider {
  const names = provider ? childElements(provider, "name") : [];
  const name = names.find((n) => (n.attrs.part ?? "full").toLowerCase() === "full") ?? names[0] ?? null;
  return {
    name: clean(textOf(name)),
    service: clean(textOf(firstChild(provider, "service"))),
    url: clean(textOf(firstChild(provider, "url"))),
  };
}
