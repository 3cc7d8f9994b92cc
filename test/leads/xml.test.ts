/**
 * The lenient XML reader under the ADF parser: what it makes of markup a strict parser
 * would refuse.
 */
import { describe, expect, it } from "vitest";
import { childElements, findAll, readXml, textOf, type XmlElement } from "../../workers/leads/adf/xml";

function only(xml: string, name: string): XmlElement {
  const [el] = findAll(readXml(xml).root, name);
  if (!el) throw new Error(`no <${name}>`);
  return el;
}

describe("readXml", () => {
  it("reads attributes in double, single and no quotes, valueless ones, and entities in values", () => {
    const el = only(`<price type='quote' currency=USD checked source="A &amp; B"/>`, "price");
    expect(el.attrs).toEqual({ type: "quote", currency: "USD", checked: "", source: "A & B" });
  });

  it("keeps a '>' inside a quoted attribute and ends a self-closing unquoted one", () => {
    expect(only(`<a title="x > y">t</a>`, "a").attrs.title).toBe("x > y");
    const doc = readXml("<r><a v=1/><b>t</b></r>");
    expect(childElements(findAll(doc.root, "r")[0] ?? doc.root).map((e) => e.name)).toEqual(["a", "b"]);
    expect(doc.warnings).toEqual(["attribute values without quotes were read up to the next space"]);
  });

  it("records processing instructions and skips comments and doctypes", () => {
    const doc = readXml('<?xml version="1.0"?><?ADF VERSION="1.0"?><!DOCTYPE adf><!-- note --><adf>x</adf>');
    expect(doc.instructions).toEqual([{ name: "xml", attrs: { version: "1.0" } }, { name: "adf", attrs: { version: "1.0" } }]);
    expect(doc.elementCount).toBe(1);
    expect(textOf(findAll(doc.root, "adf")[0])).toBe("x");
  });

  it("closes what a later close tag implies, and says which tags it closed", () => {
    const doc = readXml("<a><b><c>text</a><d/>");
    expect(findAll(doc.root, "d")).toHaveLength(1);
    expect(childElements(doc.root).map((e) => e.name)).toEqual(["a", "d"]);
    expect(doc.warnings).toEqual(["<b>, <c> closed by </a>"]);
  });

  it("ends a tag that runs into the next one", () => {
    const doc = readXml('<a x="1"<b>in b</b></a>');
    expect(textOf(findAll(doc.root, "b")[0])).toBe("in b");
    expect(doc.elementCount).toBe(2);
  });

  it("reads an unclosed comment or CDATA to the end, with a warning", () => {
    expect(readXml("<a>x<!-- never closed <b/>").warnings).toContain("a comment was never closed; the rest of the document was skipped");
    const cdata = readXml("<a><![CDATA[raw <b> text");
    expect(textOf(findAll(cdata.root, "a")[0])).toBe("raw <b> text");
    expect(cdata.warnings).toContain("a CDATA section was never closed; it runs to the end of the document");
  });

  it("handles very deep nesting without running out of stack", () => {
    const depth = 50_000;
    const doc = readXml(`${"<n>".repeat(depth)}deep${"</n>".repeat(depth)}`);
    expect(doc.elementCount).toBe(depth);
    expect(findAll(doc.root, "n")).toHaveLength(depth);
    expect(textOf(doc.root)).toBe("deep");
  });

  it("finds nothing in text without markup", () => {
    const doc = readXml("just words & symbols < 5");
    expect(doc.elementCount).toBe(0);
    expect(textOf(doc.root)).toBe("just words & symbols < 5");
  });
});
