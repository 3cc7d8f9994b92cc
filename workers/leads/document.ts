/**
 * What a lead provider posted, as ADF text: an XML document, or an e-mail the ADF must be
 * dug out of. Lead systems label bodies loosely (text/plain for XML, octet-stream for
 * e-mail), so the content decides unless the label is unambiguous.
 */
import { AppError } from "../errors";
import { binaryString, decodeText, xmlDeclaredEncoding } from "./charset";
import { extractAdfFromEmail } from "./email";
import { looksLikeEmail, parseHeaderValue } from "./mime";

export type LeadDocument = { kind: "xml" | "email"; xml: string; warnings: string[] };

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/;
const XML_TYPE = /^(application|text)\/([\w.-]+\+)?xml$/;
const ADF_TAG = /<(adf|prospect)[\s>]/i;

function kindOf(bytes: Uint8Array, mediaType: string): "xml" | "email" | null {
  if (JSON_TYPE.test(mediaType)) return null;
  if (mediaType === "message/rfc822") return "email";
  const text = binaryString(bytes).replace(/^(\xEF\xBB\xBF|\xFF\xFE|\xFE\xFF)/, "").trimStart();
  if (text.startsWith("<")) return "xml";
  if (text.startsWith("{") || text.startsWith("[")) return null;
  if (looksLikeEmail(text)) return "email";
  if (XML_TYPE.test(mediaType) || ADF_TAG.test(text)) return "xml";
  return null;
}

function notALead(path: string, message: string): AppError {
  return new AppError("validation_failed", `This is not a lead: ${message}`, [{ path, message }]);
}

/**
 * Reads the posted body into ADF text. Throws unsupported_media_type (415) for a body that
 * is neither XML nor e-mail (JSON, say), validation_failed (400) for an empty body or an
 * e-mail with no ADF in it.
 */
export function readLeadDocument(bytes: Uint8Array, contentType: string | null): LeadDocument {
  if (bytes.length === 0) throw notALead("(body)", "the body is empty; send the ADF document or the lead e-mail");
  const media = parseHeaderValue(contentType ?? undefined, "");
  const kind = kindOf(bytes, media.type);
  if (kind === null) {
    throw new AppError("unsupported_media_type", `Send ADF as XML (application/xml, text/xml) or as an e-mail (message/rfc822); this body is neither${media.type ? ` (${media.type})` : ""}`);
  }
  if (kind === "email") {
    const found = extractAdfFromEmail(bytes);
    if (!found.ok) throw notALead("(email)", found.problem);
    return { kind, xml: found.xml, warnings: found.warnings };
  }
  const decoded = decodeText(bytes, media.params.get("charset") ?? xmlDeclaredEncoding(bytes));
  return { kind, xml: decoded.text, warnings: decoded.warning ? [decoded.warning] : [] };
}
