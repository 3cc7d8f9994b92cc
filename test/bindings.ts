/**
 * Bindings for the Worker under test. The provider simulator listens on a free
 * loopback port chosen here; test/global-setup.ts starts it on that port.
 */
import { createServer } from "node:net";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function testBindings(): Promise<Record<string, string>> {
  const simPort = Number(process.env.AUTERITY_SIM_PORT) || (await freePort());
  process.env.AUTERITY_SIM_PORT = String(simPort);
  const sim = `http://127.0.0.1:${simPort}`;
  return {
    ENVIRONMENT: "test",
    JWT_SECRET: "test-jwt-secret-0123456789abcdef0123456789abcdef",
    MASTER_KEY: "test-master-key-0123456789abcdef0123456789abcdef",
    METRICS_TOKEN: "test-metrics-token-0123456789abcdef",
    OPENAI_API_KEY: "sk-sim-openai",
    ANTHROPIC_API_KEY: "sk-ant-sim",
    OPENAI_BASE_URL: `${sim}/openai/v1`,
    ANTHROPIC_BASE_URL: `${sim}/anthropic`,
    TRAINING_PROVIDER_URL: `${sim}/gpu`,
    TRAINING_PROVIDER_API_KEY: "sk-sim-gpu",
    SIM_URL: sim,
  };
}
