import { describe, expect, it } from "vitest";
import { CHUNK_CHARS, CHUNK_OVERLAP, chunkCsv, chunkDocument, chunkMarkdown, splitText } from "../../workers/knowledge/chunk";
import { parseCsv } from "../../workers/knowledge/csv";
import { tokenize } from "../../workers/knowledge/lexical";
import { AppError } from "../../workers/errors";

const words = (n: number, seed: string) => Array.from({ length: n }, (_, i) => `${seed}${i}`).join(" ");

describe("Markdown chunking", () => {
  it("keeps the heading path as each chunk's title", () => {
    const md = "Intro line.\n\n# Service FAQ\n\n## Tires\n\nRotate every 5,000 miles.\n\n### Winter tires\n\nMount by December.\n\n## Oil\n\nEvery 7,500 miles.\n";
    expect(chunkMarkdown(md)).toEqual([
      { title: null, text: "Intro line." },
      { title: "Service FAQ > Tires", text: "Rotate every 5,000 miles." },
      { title: "Service FAQ > Tires > Winter tires", text: "Mount by December." },
      { title: "Service FAQ > Oil", text: "Every 7,500 miles." },
    ]);
  });

  it("does not read a # inside a code fence as a heading", () => {
    const chunks = chunkMarkdown("# Setup\n\n```sh\n# not a heading\nnpm start\n```\n");
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toMatchObject({ title: "Setup" });
    expect(chunks[0]?.text).toContain("# not a heading");
  });

  it("cuts a long section into windows of about 800 characters that overlap their neighbours", () => {
    const body = words(400, "w");
    const pieces = splitText(body);
    expect(pieces.length).toBeGreaterThan(2);
    for (const p of pieces) expect(p.length).toBeLessThanOrEqual(CHUNK_CHARS);
    for (const p of pieces.slice(0, -1)) expect(p.length).toBeGreaterThan(CHUNK_CHARS / 2);
    for (let i = 1; i < pieces.length; i++) {
      const prevTail = pieces[i - 1]?.slice(-CHUNK_OVERLAP / 2) ?? "";
      // The next window starts inside the previous one's last ~100 characters, at a word start.
      expect(pieces[i]?.slice(0, CHUNK_OVERLAP + 20)).toContain(prevTail.trim().split(" ").at(-1));
      expect(pieces[i]).toMatch(/^w\d+/);
    }
    // Nothing is lost: every word appears in some chunk.
    for (const w of body.split(" ")) expect(pieces.some((p) => p.split(" ").includes(w))).toBe(true);
  });

  it("prefers paragraph breaks to cutting mid-paragraph", () => {
    const para1 = words(130, "a");
    const para2 = words(130, "b");
    const pieces = splitText(`${para1}\n\n${para2}`);
    expect(pieces[0]).toBe(para1);
  });
});

describe("CSV chunking", () => {
  it("makes one chunk per vehicle row, keeping header names so a row reads as text", () => {
    const csv = 'Year,Make,Model,Trim,Color,Mileage,Price,Stock\r\n2021,Honda,CR-V,EX,Red,"32,000","$24,500",H1234\r\n2019,Ford,F-150,XLT,,"58,100","$29,995",F9981\r\n';
    expect(chunkCsv(csv)).toEqual([
      { title: "Row 1", text: "Year: 2021; Make: Honda; Model: CR-V; Trim: EX; Color: Red; Mileage: 32,000; Price: $24,500; Stock: H1234" },
      { title: "Row 2", text: "Year: 2019; Make: Ford; Model: F-150; Trim: XLT; Mileage: 58,100; Price: $29,995; Stock: F9981" },
    ]);
  });

  it("reads quoted fields with commas, doubled quotes and newlines", () => {
    expect(parseCsv('a,b\n"x, y","say ""hi""\nthere"\n\n')).toEqual([
      ["a", "b"],
      ["x, y", 'say "hi"\nthere'],
    ]);
  });

  it("refuses a CSV without data rows", () => {
    expect(() => chunkDocument("csv", "Year,Make,Model\n")).toThrow(AppError);
  });
});

describe("tokens for lexical search", () => {
  it("stems word forms together and joins hyphenated model names", () => {
    expect(tokenize("rotating")).toEqual(tokenize("rotate"));
    expect(tokenize("rotation")).toEqual(tokenize("rotate"));
    expect(tokenize("tires")).toEqual(tokenize("tire"));
    expect(tokenize("Honda CR-V")).toEqual(expect.arrayContaining(["honda", "crv"]));
    expect(tokenize("how should I do it")).toEqual([]);
  });
});
