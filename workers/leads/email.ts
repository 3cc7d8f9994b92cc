/**
 * Finds the ADF in a lead e-mail. Lead providers and dealer websites mail ADF to the
 * dealership's CRM address: as a text/xml or application/xml part, as an attachment, or
 * pasted into a plain-text body, inside nested multiparts and forwarded messages, in
 * quoted-printable or base64, in UTF-8 or Latin-1.
 */
import { binaryString, decodeText } from "./charset";
import { looksLikeEmail, type MimeEntity, parseHeaderValue, splitEntity, splitMultipart, transferDecode } from "./mime";

export type EmailAdf = { ok: true; xml: string; part: string; warnings: string[] } | { ok: false; problem: string };

type Leaf = { type: string; charset: string | null; filename: string | null; encoding: string | undefined; body: string };

/** Multiparts nest a few levels in practice (mixed > alternative > related); deeper is a mail bomb. */
const MAX_DEPTH = 12;
const ADF_TAG = /<(adf|prospect)[\s>]/i;

function collectLeaves(entity: MimeEntity, depth: number, out: Leaf[]): void {
  if (depth > MAX_DEPTH) return;
  const contentType = parseHeaderValue(entity.headers.get("content-type"), "text/plain");
  const encoding = entity.headers.get("content-transfer-encoding");
  const boundary = contentType.params.get("boundary");
  if (contentType.type.startsWith("multipart/") && boundary) {
    for (const part of splitMultipart(entity.body, boundary)) collectLeaves(splitEntity(part), depth + 1, out);
    return;
  }
  if (contentType.type === "message/rfc822") {
    const inner = transferDecode(entity.body, encoding);
    if (inner) collectLeaves(splitEntity(binaryString(inner)), depth + 1, out);
    return;
  }
  const disposition = parseHeaderValue(entity.headers.get("content-disposition"), "inline");
  const filename = disposition.params.get("filename") ?? contentType.params.get("name") ?? null;
  out.push({ type: contentType.type, charset: contentType.params.get("charset") ?? null, filename, encoding, body: entity.body });
}

/** XML parts and .xml/.adf attachments first, then plain text, then anything else, HTML last. */
function rank(leaf: Leaf): number {
  if (/[/+]xml$/.test(leaf.type) || /\.(xml|adf)$/i.test(leaf.filename ?? "")) return 0;
  if (leaf.type === "text/plain") return 1;
  return leaf.type === "text/html" ? 3 : 2;
}

function describe(leaf: Leaf): string {
  return leaf.filename ? `${leaf.type} part '${leaf.filename}'` : `${leaf.type} part`;
}

/** The ADF inside surrounding text: from its declaration (or <adf>) to the last </adf>. */
export function sliceAdf(text: string): string | null {
  const tag = ADF_TAG.exec(text);
  if (!tag) return null;
  const decl = /<\?(xml|adf)\b/i.exec(text);
  const start = decl && decl.index < tag.index ? decl.index : tag.index;
  const close = text.toLowerCase().lastIndexOf("</adf>");
  const end = close >= start ? close + "</adf>".length : text.length;
  return text.slice(start, end).trim();
}

/** Extracts the ADF document from a raw e-mail (RFC 822 headers and body, MIME or not). */
export function extractAdfFromEmail(raw: string | Uint8Array): EmailAdf {
  const bytes = typeof raw === "string" ? new TextEncoder().encode(raw) : raw;
  const text = binaryString(bytes).replace(/^\xEF\xBB\xBF/, "").replace(/^\s+/, "").replace(/^From [^\n]*\n/, "");
  if (!looksLikeEmail(text)) return { ok: false, problem: "not an e-mail: it does not start with RFC 822 headers" };
  const leaves: Leaf[] = [];
  collectLeaves(splitEntity(text), 0, leaves);
  const ordered = leaves.map((leaf, i) => ({ leaf, i })).sort((a, b) => rank(a.leaf) - rank(b.leaf) || a.i - b.i);
  const warnings: string[] = [];
  for (const { leaf } of ordered) {
    const decodedBytes = transferDecode(leaf.body, leaf.encoding);
    if (!decodedBytes) {
      warnings.push(`the ${describe(leaf)} is not valid base64; skipped`);
      continue;
    }
    const decoded = decodeText(decodedBytes, leaf.charset);
    const xml = sliceAdf(decoded.text);
    if (xml === null) continue;
    if (decoded.warning) warnings.push(`${describe(leaf)}: ${decoded.warning}`);
    return { ok: true, xml, part: describe(leaf), warnings };
  }
  return { ok: false, problem: `no part of the e-mail contains ADF (<adf>…</adf>); looked at ${leaves.length} part(s)` };
}
