/**
 * The demo credentials npm start prints, kept with the local state (<state>/demo.json).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { z } from "zod";

const demoSchema = z.object({ tenantId: z.string(), tenantName: z.string(), adminEmail: z.string(), adminPassword: z.string(), apiKey: z.string() });
export type DemoCredentials = z.infer<typeof demoSchema>;

export function loadDemo(file: string): DemoCredentials | null {
  if (!existsSync(file)) return null;
  const parsed = demoSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
  return parsed.success ? parsed.data : null;
}

export function saveDemo(file: string, demo: DemoCredentials): void {
  writeFileSync(file, JSON.stringify(demo, null, 2), { mode: 0o600 });
}
