/** Budget windows in words ("Monthly", "Rolling 7 days"), the choices offered, and the limit field. */
import { ApiError } from "../../api/client";
const UNITS: Record<string, [string, string]> = { m: ["minute", "minutes"], h: ["hour", "hours"], d: ["day", "days"] };

export function windowLabel(window: string): string {
  if (window === "day") return "Daily";
  if (window === "month") return "Monthly";
  const m = /^(\d+)([mhd])$/.exec(window);
  const unit = m ? UNITS[m[2] as string] : undefined;
  if (!m || !unit) return window;
  return `Rolling ${m[1]} ${m[1] === "1" ? unit[0] : unit[1]}`;
}

/** What "it will last the …" refers to. */
export function windowNoun(window: string): string {
  if (window === "day") return "day";
  if (window === "month") return "month";
  return "window";
}

export const WINDOWS = [
  { value: "day", label: "Each day (calendar, your time zone)" },
  { value: "month", label: "Each month (calendar, your time zone)" },
  { value: "1h", label: "Rolling hour" },
  { value: "24h", label: "Rolling 24 hours" },
  { value: "7d", label: "Rolling 7 days" },
  { value: "30d", label: "Rolling 30 days" },
];

export const ACTIONS = [
  { value: "hard", label: "Refuse calls (hard limit, HTTP 402)" },
  { value: "soft", label: "Allow calls and notify (soft limit)" },
  { value: "degrade", label: "Switch to a cheaper model (degrade)" },
];

/** The typed limit in USD, or a validation error for the field when left empty. */
export function limitOf(text: string): number {
  if (text.trim() === "") throw new ApiError(400, "validation_failed", "Enter a limit in USD", undefined, [{ path: "limitUsd", message: "Enter a limit in USD" }]);
  return Number(text);
}
