/**
 * Which web pages may use a widget. Origins are stored normalised (scheme, host, port as
 * the browser sends them in the Origin header), so checking one is an exact match.
 */
import { AppError } from "../errors";

/** Where "*" (any website) is acceptable: only a developer's own machine. */
export function wildcardAllowed(environment: string): boolean {
  return environment === "development";
}

function invalid(index: number, message: string): AppError {
  const path = `allowedOrigins.${index}`;
  return new AppError("validation_failed", `${path}: ${message}`, [{ path, message }]);
}

/** `https://Dealer.example/` → `https://dealer.example`; refuses paths, queries and other schemes. */
export function normaliseOrigin(raw: string, index: number): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid(index, "must be an origin such as https://www.dealer.example");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw invalid(index, "must be an http or https origin");
  if ((url.pathname !== "/" && url.pathname !== "") || url.search || url.hash || url.username || url.password) {
    throw invalid(index, "must be an origin only (scheme, host and port), without a path, query or credentials");
  }
  return url.origin;
}

/** Validates and de-duplicates a widget's allowed origins. */
export function normaliseOrigins(raw: string[], environment: string): string[] {
  const out = new Set<string>();
  raw.forEach((value, i) => {
    if (value.trim() === "*") {
      if (!wildcardAllowed(environment)) throw invalid(i, "'*' (any website) is only allowed in development; list the dealer's sites");
      out.add("*");
      return;
    }
    out.add(normaliseOrigin(value.trim(), i));
  });
  return [...out];
}

/**
 * Whether a request from `origin` may use the widget. The Worker's own origin (the preview
 * page) always may; "*" counts only while running in development, so a widget saved there
 * stops working everywhere once deployed.
 */
export function originAllowed(allowed: readonly string[], origin: string, selfOrigin: string, environment: string): boolean {
  if (origin === selfOrigin) return true;
  if (allowed.includes("*") && wildcardAllowed(environment)) return true;
  return allowed.includes(origin);
}
