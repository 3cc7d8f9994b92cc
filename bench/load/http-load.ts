/**
 * Load generator process for non-streamed calls: autocannon against one URL, a warm-up
 * then a measured run. Latency is taken from every 2xx response with sub-millisecond
 * precision (autocannon's own histogram keeps whole milliseconds). Prints one JSON line.
 *
 *   node --import tsx bench/load/http-load.ts '<HttpLoadSpec as JSON>'
 */
import autocannon, { type Result } from "autocannon";
import { Samples } from "../lib/stats.ts";
import { httpLoadSpec, type HttpLoadSpec } from "./protocol.ts";

const MAX_SAMPLES = 2_000_000;

function once(spec: HttpLoadSpec, durationSec: number, samples: Samples | null): Promise<{ result: Result; elapsedMs: number; ok: number }> {
  return new Promise((resolve, reject) => {
    let ok = 0;
    const started = performance.now();
    const instance = autocannon(
      { url: spec.url, method: "POST", headers: spec.headers, body: spec.body, connections: spec.connections, duration: durationSec, timeout: 30 },
      (err, result) => (err ? reject(err) : resolve({ result, elapsedMs: performance.now() - started, ok })),
    );
    instance.on("response", (_client: unknown, status: number, _bytes: number, ms: number) => {
      if (status < 200 || status >= 300) return;
      ok++;
      samples?.add(ms);
    });
  });
}

async function main(): Promise<void> {
  const spec = httpLoadSpec.parse(JSON.parse(process.argv[2] ?? "{}"));
  const warmupOk = spec.warmupSec > 0 ? (await once(spec, spec.warmupSec, null)).ok : 0;
  const samples = new Samples(MAX_SAMPLES);
  const { result, elapsedMs, ok } = await once(spec, spec.durationSec, samples);
  const seconds = elapsedMs / 1000;
  process.stdout.write(
    `${JSON.stringify({
      connections: spec.connections,
      warmupOk,
      seconds: Math.round(seconds * 100) / 100,
      ok,
      rps: Math.round(ok / seconds),
      latencyMs: samples.summary(),
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([k, v]) => [k, v.count])),
    })}\n`,
  );
}

await main();
