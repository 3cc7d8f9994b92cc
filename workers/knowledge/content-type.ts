/**
 * Which kind of document a body is, from its media type (and name): Markdown, CSV, plain
 * text, or text extracted from a PDF. A PDF itself is refused with what to send instead.
 */
import type { KnowledgeDocumentKind } from "../../d1/schema";
import { AppError } from "../errors";

const KINDS: Record<string, KnowledgeDocumentKind> = {
  "text/plain": "text",
  "text/markdown": "markdown",
  "text/x-markdown": "markdown",
  "text/csv": "csv",
  "application/csv": "csv",
};

/** The media types a document may be uploaded as. */
export const DOCUMENT_MEDIA_TYPES = Object.keys(KINDS);

const PDF_REFUSAL =
  "PDF files are not parsed here: extract the text (e.g. pdftotext) and send it as text/plain, naming the document *.pdf to mark it as PDF text";

/** The document kind of a body sent as `mediaType`; anything else is a 415 naming what is accepted. */
export function documentKind(mediaType: string, name: string, text: string): KnowledgeDocumentKind {
  const type = mediaType.split(";")[0]?.trim().toLowerCase() ?? "";
  if (type === "application/pdf" || text.startsWith("%PDF-")) throw new AppError("unsupported_media_type", PDF_REFUSAL);
  const kind = KINDS[type];
  if (!kind) throw new AppError("unsupported_media_type", `Documents are accepted as ${DOCUMENT_MEDIA_TYPES.join(", ")}, not ${type || "a body without a content type"}`);
  // NUL never occurs in text; it does in every binary format.
  if (text.includes("\u0000")) throw new AppError("unsupported_media_type", "The document is binary; send its text");
  if (kind === "text" && /\.pdf$/i.test(name)) return "pdf_text";
  if (kind === "text" && /\.(md|markdown)$/i.test(name)) return "markdown";
  return kind;
}
