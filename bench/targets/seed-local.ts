/**
 * Seeds the local state `wrangler dev --persist-to <dir>` uses (migrations must already be
 * applied): one tenant and one gateway key. Prints `{"gatewayKey": ...}`.
 *
 *   node --import tsx bench/targets/seed-local.ts <persist dir>
 */
import { join } from "node:path";
import { getPlatformProxy } from "wrangler";
import { seedTenant } from "./seed.ts";

const dir = process.argv[2];
if (!dir) throw new Error("usage: seed-local.ts <persist dir>");
// wrangler keeps its local state under <persist-to>/v3; the proxy takes the path as is.
const proxy = await getPlatformProxy<{ DB: D1Database }>({ configPath: "wrangler.toml", persist: { path: join(dir, "v3") } });
try {
  const seeded = await seedTenant(proxy.env.DB);
  process.stdout.write(`${JSON.stringify({ gatewayKey: seeded.gatewayKey })}\n`);
} finally {
  await proxy.dispose();
}
