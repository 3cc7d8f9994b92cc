/**
 * Allowed-origin rules on their own: what is stored, and what a request's Origin must be.
 */
import { describe, expect, it } from "vitest";
import { AppError } from "../../workers/errors";
import { normaliseOrigins, originAllowed } from "../../workers/widget/origins";

const SELF = "https://auterity.example";

describe("widget origins", () => {
  it("stores origins as browsers send them, without duplicates", () => {
    expect(normaliseOrigins(["https://Dealer.example/", "https://dealer.example:443", "http://localhost:3000"], "production")).toEqual(["https://dealer.example", "http://localhost:3000"]);
  });

  it("accepts '*' only in development", () => {
    expect(normaliseOrigins(["*"], "development")).toEqual(["*"]);
    for (const environment of ["production", "test", "staging"]) expect(() => normaliseOrigins(["*"], environment)).toThrow(AppError);
  });

  it("matches the exact origin, the Worker's own pages, and '*' only while in development", () => {
    expect(originAllowed(["https://dealer.example"], "https://dealer.example", SELF, "production")).toBe(true);
    expect(originAllowed(["https://dealer.example"], "https://shop.dealer.example", SELF, "production")).toBe(false);
    expect(originAllowed(["https://dealer.example"], SELF, SELF, "production")).toBe(true);
    expect(originAllowed(["*"], "https://anyone.example", SELF, "development")).toBe(true);
    expect(originAllowed(["*"], "https://anyone.example", SELF, "production")).toBe(false);
  });
});
