import { describe, expect, it } from "vitest";
import { inspectText, type GuardPolicy } from "../../../workers/gateway/guard";
import { luhnValid, maskDigits, ssnValid } from "../../../workers/gateway/guard/pii";

const ALL: GuardPolicy = { mode: "redact", injection: true, pii: { email: true, phone: true, card: true, ssn: true } };

function found(text: string, policy: GuardPolicy = ALL): { kind: string; sample: string }[] {
  return inspectText(text, policy).findings.map(({ kind, sample }) => ({ kind, sample }));
}

function kinds(text: string): string[] {
  return found(text).map((f) => f.kind);
}

describe("email detector", () => {
  it("finds addresses with dots, plus tags, subdomains and hyphens, masked", () => {
    expect(found("Write john.doe+leads@smith-motors.example.com or pat@b.co today")).toEqual([
      { kind: "email", sample: "j***@s***.com" },
      { kind: "email", sample: "p***@b***.co" },
    ]);
    expect(inspectText("mailto:ana@dealer.example.", ALL).redacted).toBe("mailto:[REDACTED:EMAIL].");
  });

  it("ignores near-misses: no domain dot, one-letter TLD, empty parts, handles", () => {
    for (const text of ["user@localhost", "@handle on social", "foo@bar.c", "x@.com", "a@b..com", "@@@", "price @ 25.00", "a@-dealer.com"]) {
      expect(kinds(text), text).toEqual([]);
    }
  });

  it("refuses a local part longer than 64 characters", () => {
    expect(kinds(`${"a".repeat(65)}@dealer.example`)).toEqual([]);
    expect(kinds(`${"a".repeat(64)}@dealer.example`)).toEqual(["email"]);
  });
});

describe("card detector", () => {
  it("finds Luhn-valid numbers of 13-19 digits, bare or grouped with spaces or dashes", () => {
    expect(found("Visa 4111 1111 1111 1111, MC 5555-5555-5555-4444, Amex 3782 822463 10005, bare 6011111111111117")).toEqual([
      { kind: "card", sample: "**** **** **** 1111" },
      { kind: "card", sample: "****-****-****-4444" },
      { kind: "card", sample: "**** ****** *0005" },
      { kind: "card", sample: "************1117" },
    ]);
    expect(kinds("Visa 13: 4222222222222")).toEqual(["card"]);
  });

  it("ignores Luhn-invalid numbers, odd groupings, too few or too many digits, all zeros", () => {
    expect(luhnValid("4111111111111112")).toBe(false);
    for (const text of [
      "4111 1111 1111 1112",
      "Stock numbers 12345 67890 11121",
      "411111111111", // 12 digits
      "41111111111111111111", // 20 digits
      "0000 0000 0000 0000",
      "4111 1111-1111 1111", // mixed separators
      "VIN1HGCM82633A004352",
      "ref 4111111111111111abc",
      "pi is 3.4111111111111111",
    ]) {
      expect(kinds(text), text).toEqual([]);
    }
  });

  it("finds the card inside a longer run of digit groups", () => {
    expect(found("cards 4111 1111 1111 1111 2 and more")).toEqual([{ kind: "card", sample: "**** **** **** 1111" }]);
  });
});

describe("SSN detector", () => {
  it("finds separated SSNs, and bare nine digits only after an SSN label", () => {
    expect(found("SSN 536-22-8106 and 536 22 8106; ssn: 536228106; social security number is 536228106")).toEqual([
      { kind: "ssn", sample: "***-**-8106" },
      { kind: "ssn", sample: "*** ** 8106" },
      { kind: "ssn", sample: "*****8106" },
      { kind: "ssn", sample: "*****8106" },
    ]);
  });

  it("applies the area, group and serial rules", () => {
    expect(ssnValid("536", "22", "8106")).toBe(true);
    for (const text of ["000-12-3456", "666-12-3456", "912-12-3456", "536-00-8106", "536-22-0000"]) {
      expect(kinds(text), text).toEqual([]);
    }
  });

  it("ignores nine bare digits without a label, mixed separators and longer dashed numbers", () => {
    for (const text of ["order 536228106", "536-22 8106", "12-536-22-8106", "536-22-8106-7", "zip 53622-8106"]) {
      expect(kinds(text), text).toEqual([]);
    }
  });
});

describe("phone detector", () => {
  it("finds NANP numbers in the usual shapes and E.164 numbers", () => {
    expect(found("Call (312) 555-0142, 312.555.0142, +1 312 555 0142, 1-800-555-0199, 3125550142 or +44 20 7946 0958")).toEqual([
      { kind: "phone", sample: "(***) ***-0142" },
      { kind: "phone", sample: "***.***.0142" },
      { kind: "phone", sample: "+* *** *** 0142" },
      { kind: "phone", sample: "*-***-***-0199" },
      { kind: "phone", sample: "******0142" },
      { kind: "phone", sample: "+** ** **** 0958" },
    ]);
  });

  it("ignores dates, times, timestamps and numbers that break NANP rules", () => {
    for (const text of [
      "Delivered 2024-06-15",
      "on 06/15/2024 at 10:30",
      "2024.06.15 10:30:00",
      "created 1718409600", // a Unix timestamp: area code 171 cannot exist
      "batch 20240615103000",
      "911-555-1234", // N11 is a service code, not an area code
      "312-111-4567",
      "012-555-0142",
      "555-0142",
      "+0 20 7946 0958",
    ]) {
      expect(kinds(text), text).toEqual([]);
    }
  });
});

describe("masking and policy switches", () => {
  it("keeps the last four digits and the separators", () => {
    expect(maskDigits("4111-1111-1111-1111")).toBe("****-****-****-1111");
    expect(maskDigits("12")).toBe("12");
  });

  it("looks only for the kinds the policy turns on", () => {
    const text = "pat@dealer.example, (312) 555-0142, 4111 1111 1111 1111, 536-22-8106";
    expect(kinds(text)).toEqual(["email", "phone", "card", "ssn"]);
    const onlyCards: GuardPolicy = { ...ALL, pii: { email: false, phone: false, card: true, ssn: false } };
    expect(found(text, onlyCards).map((f) => f.kind)).toEqual(["card"]);
  });

  it("redacts each kind with its own label", () => {
    const text = "pat@dealer.example, (312) 555-0142, 4111 1111 1111 1111, 536-22-8106.";
    expect(inspectText(text, ALL).redacted).toBe("[REDACTED:EMAIL], [REDACTED:PHONE], [REDACTED:CARD], [REDACTED:SSN].");
  });
});
