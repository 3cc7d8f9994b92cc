import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "../../workers/auth/passwords";

describe("password hashes", () => {
  it("are PBKDF2-SHA256 with the iteration count, a 16-byte salt and a 32-byte hash", async () => {
    const stored = await hashPassword("correct horse battery");
    const [scheme, hash, iterations, salt, digest] = stored.split("$");
    expect([scheme, hash, iterations]).toEqual(["pbkdf2", "sha256", "100000"]);
    expect(atob(salt ?? "").length).toBe(16);
    expect(atob(digest ?? "").length).toBe(32);
  });

  it("salt every hash, so one password hashes differently twice", async () => {
    expect(await hashPassword("same password here")).not.toBe(await hashPassword("same password here"));
  });

  it("verify the right password and refuse a wrong one", async () => {
    const stored = await hashPassword("correct horse battery");
    expect(await verifyPassword("correct horse battery", stored)).toBe(true);
    expect(await verifyPassword("correct horse batterY", stored)).toBe(false);
    expect(await verifyPassword("", stored)).toBe(false);
  });

  it("still verify hashes made with fewer iterations", async () => {
    const stored = await hashPassword("legacy password", 1000);
    expect(stored).toContain("$1000$");
    expect(await verifyPassword("legacy password", stored)).toBe(true);
  });

  it("never match a malformed or tampered stored value", async () => {
    const stored = await hashPassword("correct horse battery");
    const tampered = stored.replace("$100000$", "$100001$");
    for (const bad of ["", "plaintext", "pbkdf2$sha1$1000$AAAA$AAAA", tampered, `${stored}x`]) {
      expect(await verifyPassword("correct horse battery", bad)).toBe(false);
    }
  });
});
