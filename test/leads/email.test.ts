/**
 * Finding the ADF in a lead e-mail: multipart (nested), quoted-printable, base64, Latin-1,
 * attachments, forwarded messages and ADF pasted into a plain-text body.
 */
import { describe, expect, it } from "vitest";
import { parseAdf } from "../../workers/leads/adf/parse";
import { extractAdfFromEmail, type EmailAdf } from "../../workers/leads/email";
import { adf, samples } from "./helpers";

const HEAD = "From: leads@provider.example\r\nTo: crm@dealer.example\r\nSubject: New lead\r\nMIME-Version: 1.0\r\n";

function found(result: EmailAdf): Extract<EmailAdf, { ok: true }> {
  if (!result.ok) throw new Error(`expected ADF, got: ${result.problem}`);
  return result;
}

function customerName(xml: string): string | null {
  const parsed = parseAdf(xml);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.lead.customer.name;
}

const withName = (name: string) => adf({ customer: `<customer><contact><name>${name}</name><email>x@example.com</email></contact></customer>` });

function base64Utf8(text: string): string {
  let binary = "";
  for (const b of new TextEncoder().encode(text)) binary += String.fromCharCode(b);
  return btoa(binary).replace(/.{76}/g, "$&\r\n");
}

describe("the sample e-mail (samples/adf/lead-email.eml)", () => {
  it("finds the quoted-printable text/xml attachment inside nested multiparts and decodes its UTF-8", () => {
    const r = found(extractAdfFromEmail(samples.leadEmail));
    expect(r.part).toBe("text/xml part 'lead.xml'");
    expect(r.xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(r.xml.endsWith("</adf>")).toBe(true);
    const parsed = parseAdf(r.xml);
    if (!parsed.ok) throw new Error("sample did not parse");
    expect(parsed.lead.customer).toMatchObject({ name: "José Martínez", email: "jose.martinez@example.org", phone: "+1 555 014 3377", contactPreference: "phone" });
    expect(parsed.lead.customer.comments).toContain("Evenings are best — I work days.");
    expect(parsed.lead.vehicles.map((v) => `${v.interest} ${v.year} ${v.model}`)).toEqual(["lease 2024 Camry", "trade-in 2017 Altima"]);
  });
});

describe("single-part e-mails", () => {
  it("reads ADF pasted into a plain-text body, without the text around it", () => {
    const r = found(extractAdfFromEmail(`${HEAD}Content-Type: text/plain\r\n\r\nNew lead from the website:\r\n\r\n${withName("Plain Body")}\r\n\r\n-- \r\nLead router`));
    expect(r.xml.startsWith("<?xml")).toBe(true);
    expect(r.xml.endsWith("</adf>")).toBe(true);
    expect(customerName(r.xml)).toBe("Plain Body");
  });

  it("reads an e-mail with no MIME headers at all as plain text", () => {
    const r = found(extractAdfFromEmail(`From: a@b.example\nSubject: lead\n\n${withName("No Mime")}`));
    expect(customerName(r.xml)).toBe("No Mime");
  });

  it("decodes a base64 body", () => {
    const r = found(extractAdfFromEmail(`${HEAD}Content-Type: application/xml; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${base64Utf8(withName("Renée Base"))}\r\n`));
    expect(customerName(r.xml)).toBe("Renée Base");
  });

  it("decodes quoted-printable in Latin-1, soft line breaks included", () => {
    const qp = withName("Fran=E7ois Lef=\r\n=E8vre").replace(/=(?![0-9A-F]{2}|\r\n)/g, "=3D");
    const r = found(extractAdfFromEmail(`${HEAD}Content-Type: text/plain; charset=ISO-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${qp}`));
    expect(customerName(r.xml)).toBe("François Lefèvre");
  });

  it("reads 8-bit Windows-1252 bytes, smart quotes included", () => {
    const xml = withName("Mary \u2018Mo\u2019 O\u2019Hara");
    const bytes = Uint8Array.from([...`${HEAD}Content-Type: text/plain; charset=windows-1252\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${xml}`].map((ch) => ({ "\u2018": 0x91, "\u2019": 0x92 })[ch] ?? ch.charCodeAt(0)));
    expect(customerName(found(extractAdfFromEmail(bytes)).xml)).toBe("Mary \u2018Mo\u2019 O\u2019Hara");
  });

  it("falls back to Windows-1252 when a part claims UTF-8 but is not, and says so", () => {
    const bytes = Uint8Array.from([...`${HEAD}Content-Type: text/plain; charset=utf-8\r\n\r\n${withName("Jos\u00e9 Bad")}`].map((ch) => ch.charCodeAt(0)));
    const r = found(extractAdfFromEmail(bytes));
    expect(customerName(r.xml)).toBe("José Bad");
    expect(r.warnings).toEqual(["text/plain part: the text is not valid UTF-8; it was read as Windows-1252"]);
  });
});

describe("multipart e-mails", () => {
  it("prefers an XML attachment over a text part that merely mentions <adf>", () => {
    const raw = `${HEAD}Content-Type: multipart/mixed; boundary=XYZ\r\n\r\npreamble\r\n--XYZ\r\nContent-Type: text/plain\r\n\r\nWe send <adf> leads.\r\n--XYZ\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="lead.adf"\r\nContent-Transfer-Encoding: base64\r\n\r\n${base64Utf8(withName("From Attachment"))}\r\n--XYZ--\r\nepilogue`;
    const r = found(extractAdfFromEmail(raw));
    expect(r.part).toBe("application/octet-stream part 'lead.adf'");
    expect(customerName(r.xml)).toBe("From Attachment");
  });

  it("walks three levels of nesting and a forwarded message/rfc822", () => {
    const forwarded = `From: router@provider.example\r\nSubject: lead\r\nContent-Type: multipart/alternative; boundary="in"\r\n\r\n--in\r\nContent-Type: text/html\r\n\r\n<p>see text</p>\r\n--in\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${withName("Deep Down")}\r\n--in--\r\n`;
    const raw = `${HEAD}Content-Type: multipart/mixed; boundary="out"\r\n\r\n--out\r\nContent-Type: text/plain\r\n\r\nForwarding a lead.\r\n--out\r\nContent-Type: message/rfc822\r\n\r\n${forwarded}\r\n--out--\r\n`;
    const r = found(extractAdfFromEmail(raw));
    expect(r.part).toBe("text/plain part");
    expect(customerName(r.xml)).toBe("Deep Down");
  });

  it("keeps the last part when the closing boundary is missing", () => {
    const raw = `${HEAD}Content-Type: multipart/mixed; boundary="b1"\r\n\r\n--b1\r\nContent-Type: text/xml\r\n\r\n${withName("No End")}\r\n`;
    expect(customerName(found(extractAdfFromEmail(raw)).xml)).toBe("No End");
  });

  it("skips a part whose base64 is broken and says so, still finding the ADF elsewhere", () => {
    const raw = `${HEAD}Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/xml\r\nContent-Transfer-Encoding: base64\r\n\r\nA\r\n--b\r\nContent-Type: text/plain\r\n\r\n${withName("Second Part")}\r\n--b--`;
    const r = found(extractAdfFromEmail(raw));
    expect(customerName(r.xml)).toBe("Second Part");
    expect(r.warnings).toEqual(["the text/xml part is not valid base64; skipped"]);
  });
});

describe("what is not a lead e-mail", () => {
  it("text without headers", () => {
    expect(extractAdfFromEmail("Just some words\n\nand more")).toEqual({ ok: false, problem: "not an e-mail: it does not start with RFC 822 headers" });
  });

  it("an e-mail with no ADF in any part", () => {
    const raw = `${HEAD}Content-Type: multipart/alternative; boundary=q\r\n\r\n--q\r\nContent-Type: text/plain\r\n\r\nCall me about the truck.\r\n--q\r\nContent-Type: text/html\r\n\r\n<p>Call me</p>\r\n--q--`;
    expect(extractAdfFromEmail(raw)).toEqual({ ok: false, problem: "no part of the e-mail contains ADF (<adf>…</adf>); looked at 2 part(s)" });
  });
});
