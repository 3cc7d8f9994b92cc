/**
 * parseAdf on the samples and on every kind of messy ADF lead providers send: what comes
 * out, what is warned about, and the few things that make a document not a lead.
 */
import { describe, expect, it } from "vitest";
import { AdfLeadSchema, type AdfLead, parseAdf } from "../../workers/leads/adf/parse";
import { adf, samples } from "./helpers";

function lead(xml: string): { lead: AdfLead; warnings: string[] } {
  const result = parseAdf(xml);
  if (!result.ok) throw new Error(`expected a lead, got ${JSON.stringify(result.problems)}`);
  AdfLeadSchema.parse(result.lead);
  return result;
}

function problems(xml: string) {
  const result = parseAdf(xml);
  if (result.ok) throw new Error("expected problems, got a lead");
  return result.problems;
}

describe("the clean sample (samples/adf/new-lead.xml)", () => {
  it("maps every ADF field", () => {
    const { lead: l, warnings } = lead(samples.newLead);
    expect(warnings).toEqual([]);
    expect(l.externalId).toEqual({ value: "AT-2024-0517-88412", source: "AutoTrader" });
    expect(l.status).toBe("new");
    expect(l.requestDate).toBe("2024-05-17T15:30:00.000Z");
    expect(l.vehicles).toEqual([
      { interest: "buy", status: "new", year: 2024, make: "Toyota", model: "RAV4", trim: "XLE", vin: "2T3P1RFV8RC123456", stock: "T24117", price: 32450, odometer: 12, comments: "Prefers Blueprint or Magnetic Gray." },
    ]);
    expect(l.customer).toMatchObject({
      name: "Dana Reyes",
      firstName: "Dana",
      lastName: "Reyes",
      email: "dana.reyes@example.com",
      phone: "(555) 013-2468",
      phoneType: "cellphone",
      contactPreference: "email",
      address: { street: "1420 Mesa Verde Dr", city: "Phoenix", region: "AZ", postalCode: "85016", country: "US" },
      timeframe: { description: "Within a week", earliestDate: null, latestDate: null },
    });
    expect(l.customer.comments).toMatch(/still available\?.*test drive this weekend/);
    expect(l.vendor).toEqual({ name: "Sunrise Toyota", contact: { name: "Internet Sales", email: "internet@sunrisetoyota.example", phone: "(555) 010-7000" } });
    expect(l.provider).toEqual({ name: "AutoTrader", service: "New car lead", url: "https://www.autotrader.com" });
    expect(l.comments).toBe(`${l.customer.comments}\n\nPrefers Blueprint or Magnetic Gray.`);
  });

  it("reads the resend sample as a resend of the same lead", () => {
    const original = lead(samples.newLead).lead;
    const resend = lead(samples.resendLead).lead;
    expect(resend.status).toBe("resend");
    expect({ ...resend, status: "new" }).toEqual(original);
  });
});

describe("the messy sample (samples/adf/messy-lead.xml)", () => {
  it("reads through a BOM, stray text, mixed case, unquoted attributes, &nbsp;, CDATA, a bare & and unclosed tags", () => {
    expect(samples.messyLead.charCodeAt(0)).toBe(0xfeff);
    const { lead: l, warnings } = lead(samples.messyLead);
    expect(l.customer).toMatchObject({ name: "Marcus O'Neil", firstName: "Marcus", lastName: "O'Neil", email: "marcus.oneil@example.net", phone: "555.014.9912", phoneType: "voice" });
    expect(l.vehicles[0]).toMatchObject({ interest: "test-drive", status: "used", year: 2021, make: "Honda", model: "CR-V", vin: "5J6RW2H85ML004321", price: 27995, odometer: 31204 });
    expect(l.customer.comments).toBe("Trade-in: 2015 Civic, <120k miles> & clean title. Call after 5pm! Also asking about AT&T wifi & warranty.");
    expect(l.requestDate).toBe("2024-05-18T16:15:00.000Z");
    expect(l.provider).toMatchObject({ name: "Cars.com", service: "Used car lead" });
    expect(l.vendor.name).toBe("Sunrise Honda");
    expect(l.externalId).toBeNull();
    expect(warnings).toEqual(expect.arrayContaining([
      "attribute values without quotes were read up to the next space",
      "an '&' that starts no entity was read as text",
      "<provider>, <service> closed by </prospect>",
    ]));
  });
});

describe("messy documents, one repair at a time", () => {
  it("needs neither an XML declaration nor <?adf?>", () => {
    const { lead: l } = lead("<adf><prospect><customer><contact><name>Ann Park</name></contact></customer></prospect></adf>");
    expect(l.customer).toMatchObject({ name: "Ann Park", firstName: "Ann", lastName: "Park", email: null, phone: null });
    expect(l.vehicles).toEqual([]);
  });

  it("decodes HTML entities and numeric references; keeps unknown ones as written", () => {
    const { lead: l, warnings } = lead(adf({ customer: "<customer><contact><name>Zo&euml; &#66;ell&#x65;</name><email>z@example.com</email></contact><comments>Caf&eacute;&nbsp;&mdash; 5&percnt; &amp; more</comments></customer>" }));
    expect(l.customer.name).toBe("Zo&euml; Belle");
    expect(l.customer.comments).toBe("Café — 5&percnt; & more");
    expect(warnings).toEqual(expect.arrayContaining(["unknown entity &euml; kept as text", "unknown entity &percnt; kept as text"]));
  });

  it("reads CDATA verbatim, markup included", () => {
    const { lead: l } = lead(adf({ customer: "<customer><contact><name>Al Gray</name></contact><comments><![CDATA[<b>Call me</b> & text]]></comments></customer>" }));
    expect(l.customer.comments).toBe("<b>Call me</b> & text");
  });

  it("reads a document cut off before its closing tags", () => {
    const { lead: l, warnings } = lead('<adf><prospect><id source="Edmunds">E-1</id><customer><contact><name part="first">Kim</name><name part="last">Tran</name><phone>555 010 2222');
    expect(l.customer).toMatchObject({ name: "Kim Tran", phone: "555 010 2222" });
    expect(l.externalId).toEqual({ value: "E-1", source: "Edmunds" });
    expect(warnings).toContain("unclosed <adf>, <prospect>, <customer>, <contact>, <phone> closed at the end of the document");
  });

  it("ignores a close tag nothing opened, and a '<' that starts no tag", () => {
    const { lead: l, warnings } = lead(adf({ customer: "<customer></b><contact><name>Jo Ray</name></contact><comments>budget < 30k</comments></customer>" }));
    expect(l.customer.comments).toBe("budget < 30k");
    expect(warnings).toEqual(expect.arrayContaining(["a stray </b> with no open <b> was ignored", "a '<' that starts no tag was read as text"]));
  });

  it("takes the first of several prospects and says so", () => {
    const two = `<adf><prospect><customer><contact><name>First One</name></contact></customer></prospect><prospect><customer><contact><name>Second One</name></contact></customer></prospect></adf>`;
    const { lead: l, warnings } = lead(two);
    expect(l.customer.name).toBe("First One");
    expect(warnings).toContain("2 <prospect> elements; only the first was read");
  });

  it("reads ADF pasted into the text of an e-mail", () => {
    const { lead: l } = lead(`Hi team, new lead below.\n\n${adf({ customer: "<customer><contact><name>Lou Diaz</name></contact></customer>" })}\n\nThanks,\nthe lead router`);
    expect(l.customer.name).toBe("Lou Diaz");
  });

  it("reads a bare <prospect> without <adf> around it, with a warning", () => {
    const { lead: l, warnings } = lead("<prospect><customer><contact><email>solo@example.com</email></contact></customer></prospect>");
    expect(l.customer.email).toBe("solo@example.com");
    expect(warnings).toContain("no <adf> element around the <prospect>; read it anyway");
  });

  it("matches tags and attributes whatever their case or namespace prefix", () => {
    const { lead: l } = lead('<ADF><a:PROSPECT STATUS="RESEND"><CUSTOMER><CONTACT><NAME PART="FIRST">Eve</NAME><NAME PART="last">Moss</NAME></CONTACT></CUSTOMER></a:PROSPECT></ADF>');
    expect(l.status).toBe("resend");
    expect(l.customer.name).toBe("Eve Moss");
  });
});

describe("field mapping", () => {
  it("builds the full name from parts, or splits a full name (also 'Last, First')", () => {
    const name = (xml: string) => lead(adf({ customer: `<customer><contact>${xml}<email>n@example.com</email></contact></customer>` })).lead.customer;
    expect(name('<name part="first">Dana</name><name part="last">Reyes</name>')).toMatchObject({ name: "Dana Reyes", firstName: "Dana", lastName: "Reyes" });
    expect(name('<name part="full">Dana Maria Reyes</name>')).toMatchObject({ name: "Dana Maria Reyes", firstName: "Dana", lastName: "Reyes" });
    expect(name("<name>Reyes, Dana</name>")).toMatchObject({ name: "Reyes, Dana", firstName: "Dana", lastName: "Reyes" });
    expect(name("<name>Cher</name>")).toMatchObject({ name: "Cher", firstName: "Cher", lastName: null });
  });

  it("prefers the preferred and the non-fax phone, and the primary contact", () => {
    const { lead: l } = lead(adf({ customer: `<customer>
      <contact><name>Other Person</name><email>other@example.com</email></contact>
      <contact primarycontact="1"><name>Main Person</name><phone type="fax">555-000-1111</phone><phone type="voice">555-000-2222</phone>
      <phone type="cellphone" preferredcontact="1">555-000-3333</phone></contact></customer>` }));
    expect(l.customer).toMatchObject({ name: "Main Person", email: null, phone: "555-000-3333", phoneType: "cellphone", contactPreference: "phone" });
  });

  it("normalises vehicle interest and status, and reads every vehicle", () => {
    const vehicle = (interest: string, status: string) => `<vehicle interest="${interest}" status="${status}"><make>X</make></vehicle>`;
    const { lead: l, warnings } = lead(adf({ vehicle: [vehicle("Trade In", "Used"), vehicle("lease", "CPO"), vehicle("SELL", ""), vehicle("TestDrive", "new"), vehicle("rent", "broken")].join("") }));
    expect(l.vehicles.map((v) => [v.interest, v.status])).toEqual([["trade-in", "used"], ["lease", "used"], ["sell", "new"], ["test-drive", "new"], ["buy", "new"]]);
    expect(warnings).toEqual(expect.arrayContaining(["vehicle interest 'rent' is not one ADF knows; read as buy", "vehicle status 'broken' is neither new nor used; read as new"]));
  });

  it("reads prices, odometers, years and VINs as providers write them, warning about what it cannot read", () => {
    const { lead: l, warnings } = lead(adf({ vehicle: '<vehicle><year>24</year><vin>abc</vin><price type="msrp">call us</price><price type="quote">$31,200.50</price><odometer>12,345 mi</odometer></vehicle>' }));
    expect(l.vehicles[0]).toMatchObject({ year: null, vin: "ABC", price: 31200.5, odometer: 12345 });
    expect(warnings).toEqual(expect.arrayContaining(["vehicle year '24' is not a year; ignored", "VIN 'abc' is not a 17-character VIN; kept as written", "price 'call us' is not a number; ignored"]));
  });

  it("reads request dates in ISO with and without a zone, and US style; refuses impossible ones", () => {
    const date = (d: string) => lead(adf({ requestDate: d }));
    expect(date("2024-05-17T10:30:00-05:00").lead.requestDate).toBe("2024-05-17T15:30:00.000Z");
    expect(date("2024-05-17 10:30:00").lead.requestDate).toBe("2024-05-17T10:30:00.000Z");
    expect(date("2024-05-17").lead.requestDate).toBe("2024-05-17T00:00:00.000Z");
    expect(date("12/01/2024 12:05 AM").lead.requestDate).toBe("2024-12-01T00:05:00.000Z");
    const bad = date("2024-02-31T10:00:00");
    expect(bad.lead.requestDate).toBeNull();
    expect(bad.warnings).toContain("requestdate '2024-02-31T10:00:00' is not a date; ignored");
  });

  it("drops an email that is not one (with a warning) but keeps the lead when a phone remains", () => {
    const { lead: l, warnings } = lead(adf({ customer: "<customer><contact><email>none given</email><phone>555 010 9999</phone></contact></customer>" }));
    expect(l.customer).toMatchObject({ email: null, phone: "555 010 9999", name: null });
    expect(warnings).toContain("email 'none given' is not an email address; ignored");
  });

  it("reads a prospect status it does not know as new, with a warning", () => {
    const { lead: l, warnings } = lead(adf({ status: "duplicate" }));
    expect(l.status).toBe("new");
    expect(warnings).toContain("prospect status 'duplicate' is neither new nor resend; read as new");
  });
});

describe("what cannot be a lead", () => {
  it("text that is not XML at all", () => {
    expect(problems("Hello, I would like a car.")).toEqual([{ path: "(root)", message: "not XML: no elements found" }]);
    expect(problems("")).toEqual([{ path: "(root)", message: "not XML: no elements found" }]);
  });

  it("XML without <adf> or <prospect>", () => {
    expect(problems("<html><body><p>lead</p></body></html>")).toEqual([{ path: "adf.prospect", message: "no <adf> or <prospect> element found" }]);
  });

  it("a prospect without a customer", () => {
    expect(problems("<adf><prospect><vehicle><make>Kia</make></vehicle></prospect></adf>")).toEqual([{ path: "adf.prospect.customer", message: "no <customer>: a lead needs someone to contact" }]);
  });

  it("a customer with no name, no usable email and no phone", () => {
    const xml = adf({ customer: "<customer><contact><email>not-an-email</email><phone>n/a</phone></contact><comments>hi</comments></customer>" });
    expect(problems(xml)).toEqual([{ path: "adf.prospect.customer.contact", message: "the customer has no name, email or phone" }]);
  });
});
