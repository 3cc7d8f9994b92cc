/**
 * Entity decoding for the lenient XML reader. Providers paste HTML into ADF, so the HTML
 * entities people actually type are known here, and a bare `&` (AT&T, "Parts & Service")
 * stays a literal `&` instead of failing the document.
 */

const NAMED: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: "\u00A0",
  copy: "\u00A9",
  reg: "\u00AE",
  trade: "\u2122",
  deg: "\u00B0",
  hellip: "\u2026",
  mdash: "\u2014",
  ndash: "\u2013",
  lsquo: "\u2018",
  rsquo: "\u2019",
  ldquo: "\u201C",
  rdquo: "\u201D",
  bull: "\u2022",
  middot: "\u00B7",
  cent: "\u00A2",
  pound: "\u00A3",
  euro: "\u20AC",
  yen: "\u00A5",
  sect: "\u00A7",
  times: "\u00D7",
  frac12: "\u00BD",
  laquo: "\u00AB",
  raquo: "\u00BB",
  eacute: "\u00E9",
  egrave: "\u00E8",
  aacute: "\u00E1",
  iacute: "\u00ED",
  oacute: "\u00F3",
  uacute: "\u00FA",
  ntilde: "\u00F1",
  uuml: "\u00FC",
  ouml: "\u00F6",
  auml: "\u00E4",
  ccedil: "\u00E7",
  Eacute: "\u00C9",
  Ntilde: "\u00D1",
};

const ENTITY = /&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?/g;

function fromCodePoint(code: number): string | null {
  const valid = code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
  return valid ? String.fromCodePoint(code) : null;
}

function decodeOne(body: string): string | null {
  if (body.startsWith("#x") || body.startsWith("#X")) return fromCodePoint(Number.parseInt(body.slice(2), 16));
  if (body.startsWith("#")) return fromCodePoint(Number.parseInt(body.slice(1), 10));
  return NAMED[body] ?? NAMED[body.toLowerCase()] ?? null;
}

/** Decodes entities in `text`; anything that is not a known entity stays as written. */
export function decodeEntities(text: string, warn: (message: string) => void): string {
  if (!text.includes("&")) return text;
  let entities = 0;
  const out = text.replace(ENTITY, (match, body: string) => {
    // Without the ";" only the five XML entities count ("&amp" yes, "&Co" no).
    if (!match.endsWith(";") && !["amp", "lt", "gt", "quot", "apos"].includes(body.toLowerCase())) return match;
    const decoded = decodeOne(body);
    entities++;
    if (decoded === null) {
      warn(`unknown entity ${match} kept as text`);
      return match;
    }
    return decoded;
  });
  const ampersands = (text.match(/&/g) ?? []).length;
  if (ampersands > entities) warn("an '&' that starts no entity was read as text");
  return out;
}
