/**
 * The shape of a lead read from ADF (Auto-lead Data Format 1.0). Every field a provider may
 * leave out is null rather than absent, so consumers (templates, the API, CRMs) can rely on
 * the keys being there.
 */
import { z } from "zod";

const Text = z.string().nullable();

export const VEHICLE_INTERESTS = ["buy", "lease", "sell", "trade-in", "test-drive"] as const;
export const VEHICLE_STATUSES = ["new", "used"] as const;

export const AdfVehicleSchema = z.object({
  interest: z.enum(VEHICLE_INTERESTS),
  status: z.enum(VEHICLE_STATUSES),
  year: z.number().int().nullable(),
  make: Text,
  model: Text,
  trim: Text,
  vin: Text,
  stock: Text,
  /** In the currency of the ADF (almost always USD), as a plain number. */
  price: z.number().nullable(),
  odometer: z.number().int().nullable(),
  comments: Text,
});
export type AdfVehicle = z.infer<typeof AdfVehicleSchema>;

export const AdfAddressSchema = z.object({ street: Text, city: Text, region: Text, postalCode: Text, country: Text });
export type AdfAddress = z.infer<typeof AdfAddressSchema>;

export const AdfTimeframeSchema = z.object({ description: Text, earliestDate: Text, latestDate: Text });

export const AdfCustomerSchema = z.object({
  /** The full name: `<name part="full">`, or the first and last parts joined. */
  name: Text,
  firstName: Text,
  lastName: Text,
  email: Text,
  phone: Text,
  /** voice, cellphone, fax, pager… as the ADF says. */
  phoneType: Text,
  address: AdfAddressSchema.nullable(),
  /** Which channel the customer marked preferred (preferredcontact="1"). */
  contactPreference: z.enum(["email", "phone"]).nullable(),
  timeframe: AdfTimeframeSchema.nullable(),
  comments: Text,
});
export type AdfCustomer = z.infer<typeof AdfCustomerSchema>;

export const AdfContactSchema = z.object({ name: Text, email: Text, phone: Text });

export const AdfVendorSchema = z.object({ name: Text, contact: AdfContactSchema.nullable() });
export type AdfVendor = z.infer<typeof AdfVendorSchema>;

export const AdfProviderSchema = z.object({ name: Text, service: Text, url: Text });
export type AdfProvider = z.infer<typeof AdfProviderSchema>;

export const AdfExternalIdSchema = z.object({ value: z.string(), source: Text });

export const AdfLeadSchema = z.object({
  /** The provider's id of this lead (`<id source="…">`), the key resends are recognised by. */
  externalId: AdfExternalIdSchema.nullable(),
  /** "resend": the provider says it sent this lead before. */
  status: z.enum(["new", "resend"]),
  /** ISO 8601 (UTC) of `<requestdate>`. */
  requestDate: Text,
  vehicles: z.array(AdfVehicleSchema),
  customer: AdfCustomerSchema,
  vendor: AdfVendorSchema,
  provider: AdfProviderSchema,
  /** The customer's comments followed by any vehicle comments. */
  comments: Text,
});
export type AdfLead = z.infer<typeof AdfLeadSchema>;

/** Where a lead that cannot be read went wrong. */
export type AdfProblem = { path: string; message: string };

export type AdfParseResult = { ok: true; lead: AdfLead; warnings: string[] } | { ok: false; problems: AdfProblem[] };
