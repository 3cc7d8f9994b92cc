/**
 * Runs in Node before the Workers tests: starts the provider simulator on the loopback
 * port test/bindings.ts chose, so the Worker's OPENAI_BASE_URL / ANTHROPIC_BASE_URL answer.
 */
import { startSim } from "../sim/server.ts";

export default async function setup(): Promise<() => Promise<void>> {
  const port = Number(process.env.AUTERITY_SIM_PORT);
  if (!port) throw new Error("AUTERITY_SIM_PORT is not set (vitest.config.ts sets it)");
  const sim = await startSim({ port, host: "127.0.0.1" });
  return () => sim.close();
}
