// Portkey's gateway calls @hono/node-server's serve() itself; this stands in for that import
// in Portkey's process only, for two reasons:
// - it listens on 127.0.0.1 alone (Portkey would listen on every interface);
// - with BENCH_PORTKEY_STREAM_FIX=1, it serves with overrideGlobalObjects: false. Portkey
//   1.15.2 declares @hono/node-server ^1.3.3; the 1.19 installed here swaps in a global
//   Response whose headers Portkey's streaming path cannot append to, so every stream fails
//   with "TypeError: immutable" (Portkey-AI/gateway issues #1389 and #1550). Node's own
//   Response, which older versions kept, works.
import { serve as realServe } from "@hono/node-server";

export * from "@hono/node-server";

export function serve(options, listener) {
  const fix = process.env.BENCH_PORTKEY_STREAM_FIX === "1" ? { overrideGlobalObjects: false } : {};
  return realServe({ ...options, hostname: "127.0.0.1", ...fix }, listener);
}
