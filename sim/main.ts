/**
 * CLI: `tsx sim/main.ts [--port 8790] [--host 127.0.0.1]` starts the provider simulator
 * and runs until SIGINT or SIGTERM.
 */
import { parseArgs } from "node:util";
import { startSim } from "./server.ts";

const { values } = parseArgs({
  options: { port: { type: "string", default: process.env.AUTERITY_SIM_PORT ?? "8790" }, host: { type: "string", default: "127.0.0.1" } },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`invalid --port ${values.port}`);
  process.exit(2);
}
const sim = await startSim({ port, host: values.host });
console.log(`provider simulator listening on ${sim.url}`);
console.log(`  OpenAI:    ${sim.url}/openai/v1`);
console.log(`  Anthropic: ${sim.url}/anthropic`);
console.log(`  control:   ${sim.url}/_sim`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await sim.close();
  process.exit(0);
}
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
