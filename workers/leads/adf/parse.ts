/**
 * ADF (Auto-lead Data Format 1.0) to a lead. Real ADF is often not valid XML, so the
 * document is read leniently (./xml.ts) and mapped field by field; anything odd becomes a
 * warning. Only three things make a document not a lead: it is not XML at all, it has no
 * <adf>/<prospect>, or the customer gave no way to reach them (no name, email or phone).
 */
import { readCustomer, readProvider, readVendor } from "./people";
import { type AdfLead, type AdfParseResult, type AdfVehicle, VEHICLE_INTERESTS } from "./schema";
import { clean, cleanBlock, parseAdfDate, parseAmount, parseVin, parseYear, type Warn } from "./values";
import { childElements, findAll, firstChild, readXml, textOf, type XmlDocument, type XmlElement } from "./xml";

export { AdfLeadSchema, type AdfLead, type AdfParseResult, type AdfProblem } from "./schema";

type Interest = (typeof VEHICLE_INTERESTS)[number];

const INTERESTS: Record<string, Interest> = {
  buy: "buy",
  purchase: "buy",
  lease: "lease",
  sell: "sell",
  tradein: "trade-in",
  trade: "trade-in",
  testdrive: "test-drive",
};

function readInterest(raw: string | undefined, warn: Warn): Interest {
  if (raw === undefined || raw.trim() === "") return "buy";
  const interest = INTERESTS[raw.toLowerCase().replace(/[\s_-]/g, "")];
  if (interest) return interest;
  warn(`vehicle interest '${raw}' is not one ADF knows; read as buy`);
  return "buy";
}

function readVehicleStatus(raw: string | undefined, warn: Warn): "new" | "used" {
  const s = (raw ?? "").trim().toLowerCase();
  if (s === "" || s === "new") return "new";
  if (["used", "cpo", "certified", "preowned", "pre-owned"].includes(s)) return "used";
  warn(`vehicle status '${raw}' is neither new nor used; read as new`);
  return "new";
}

/** The first price that reads as a number, whatever its type (quote, offer, msrp…). */
function readPrice(vehicle: XmlElement, warn: Warn): number | null {
  for (const el of childElements(vehicle, "price")) {
    const price = parseAmount(clean(textOf(el)), "price", warn);
    if (price !== null) return price;
  }
  return null;
}

function readVehicle(el: XmlElement, warn: Warn): AdfVehicle {
  const field = (name: string) => clean(textOf(firstChild(el, name)));
  const odometer = parseAmount(field("odometer"), "odometer", warn);
  return {
    interest: readInterest(el.attrs.interest, warn),
    status: readVehicleStatus(el.attrs.status, warn),
    year: parseYear(field("year"), warn),
    make: field("make"),
    model: field("model"),
    trim: field("trim"),
    vin: parseVin(field("vin"), warn),
    stock: field("stock"),
    price: readPrice(el, warn),
    odometer: odometer === null ? null : Math.round(odometer),
    comments: cleanBlock(textOf(firstChild(el, "comments"))),
  };
}

/** The provider's lead id: sequence="1" if numbered, else the first. */
function readExternalId(prospect: XmlElement): AdfLead["externalId"] {
  const ids = childElements(prospect, "id").filter((el) => clean(textOf(el)) !== null);
  const el = ids.find((i) => i.attrs.sequence === "1") ?? ids[0];
  const value = clean(textOf(el));
  return el && value ? { value, source: clean(el.attrs.source) } : null;
}

function readStatus(prospect: XmlElement, warn: Warn): "new" | "resend" {
  const raw = (prospect.attrs.status ?? "").trim().toLowerCase();
  if (raw === "" || raw === "new") return "new";
  if (raw === "resend") return "resend";
  warn(`prospect status '${prospect.attrs.status ?? ""}' is neither new nor resend; read as new`);
  return "new";
}

/** The prospect to read: the first one of the first <adf>, or a bare <prospect>. */
function findProspect(doc: XmlDocument, warn: Warn): XmlElement | null {
  const adfs = findAll(doc.root, "adf");
  if (adfs.length > 1) warn(`${adfs.length} <adf> documents; only the first was read`);
  const adf = adfs[0];
  const prospects = findAll(adf ?? doc.root, "prospect");
  if (!adf && prospects.length > 0) warn("no <adf> element around the <prospect>; read it anyway");
  if (prospects.length > 1) warn(`${prospects.length} <prospect> elements; only the first was read`);
  return prospects[0] ?? null;
}

const fail = (path: string, message: string): AdfParseResult => ({ ok: false, problems: [{ path, message }] });

/** Reads an ADF document into a lead, with warnings for everything that had to be repaired or guessed. */
export function parseAdf(xml: string): AdfParseResult {
  const doc = readXml(xml);
  if (doc.elementCount === 0) return fail("(root)", "not XML: no elements found");
  const found = new Set<string>(doc.warnings);
  const warn: Warn = (m) => void found.add(m);
  const prospect = findProspect(doc, warn);
  if (!prospect) return fail("adf.prospect", "no <adf> or <prospect> element found");
  const customerEl = firstChild(prospect, "customer");
  if (!customerEl) return fail("adf.prospect.customer", "no <customer>: a lead needs someone to contact");
  const customer = readCustomer(customerEl, warn);
  if (!customer.name && !customer.email && !customer.phone) {
    return fail("adf.prospect.customer.contact", "the customer has no name, email or phone");
  }
  const vehicles = childElements(prospect, "vehicle").map((v) => readVehicle(v, warn));
  const comments = [customer.comments, ...vehicles.map((v) => v.comments)].filter((c): c is string => c !== null);
  const lead: AdfLead = {
    externalId: readExternalId(prospect),
    status: readStatus(prospect, warn),
    requestDate: parseAdfDate(clean(textOf(firstChild(prospect, "requestdate"))), "requestdate", warn),
    vehicles,
    customer,
    vendor: readVendor(firstChild(prospect, "vendor"), warn),
    provider: readProvider(firstChild(prospect, "provider")),
    comments: comments.length > 0 ? comments.join("\n\n") : null,
  };
  return { ok: true, lead, warnings: [...found] };
}
