/**
 * Runs in Node before the Workers tests: starts the simulators they call over loopback.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const port = Number(process.env.AUTERITY_SIM_PORT);
  if (!port) throw new Error("AUTERITY_SIM_PORT is not set (vitest.config.ts sets it)");
  // The simulators register here as sim/ grows; nothing to start yet.
  return async () => {};
}
