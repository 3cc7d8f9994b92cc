/**
 * D1 schema. drizzle-kit turns this file into d1/migrations (wrangler's migrations_dir),
 * so there is one migration tool for one database.
 *
 * Conventions: ids are prefixed random strings (see workers/lib/ids.ts); times are
 * epoch milliseconds; money is integer nano-USD (1e-9 USD) so sums stay exact;
 * every tenant-owned row carries tenant_id and every query filters on it.
 */
export * from "./tables/gateway";
export * from "./tables/platform";
export * from "./tables/webhooks";
export * from "./tables/workflows";
export * from "./tables/leads";
export * from "./tables/training";
export * from "./tables/models";
export * from "./tables/assistants";
export * from "./tables/widgets";
export * from "./tables/knowledge";
export * from "./tables/operations";
