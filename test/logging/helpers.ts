/**
 * Captures the Worker's log lines: every console method is spied on (the Worker runs in the
 * tests' isolate), and each line is parsed as the JSON object it must be.
 */
import { vi } from "vitest";
import { z } from "zod";

export const LogLine = z
  .object({
    level: z.enum(["debug", "info", "warn", "error"]),
    msg: z.string(),
    time: z.string(),
    requestId: z.string().nullable(),
    tenantId: z.string().nullable(),
  })
  .passthrough();
export type LogLine = z.infer<typeof LogLine>;

const METHODS = ["log", "info", "debug", "warn", "error"] as const;

export type Capture = {
  /** Every line written so far, as written. */
  raw(): string[];
  /** Every line parsed; throws when one is not a JSON log line. */
  lines(): LogLine[];
  restore(): void;
};

/** Starts capturing console output (nothing reaches the terminal until `restore`). */
export function captureLogs(): Capture {
  const raw: string[] = [];
  const spies = METHODS.map((m) =>
    vi.spyOn(console, m).mockImplementation((...args: unknown[]) => {
      raw.push(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" "));
    }),
  );
  return {
    raw: () => [...raw],
    lines: () => raw.map((text) => LogLine.parse(JSON.parse(text))),
    restore: () => {
      for (const s of spies) s.mockRestore();
    },
  };
}
