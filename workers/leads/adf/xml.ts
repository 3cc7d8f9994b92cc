/**
 * A lenient XML reader for ADF as lead providers really send it. Workers have no DOMParser,
 * and a strict parser would refuse half the leads a dealership receives: unescaped `&`,
 * HTML entities, mixed-case tags, unquoted attributes, tags never closed, text around the
 * document. This reader repairs what it can and says what it repaired in `warnings`.
 *
 * Element and attribute names are lower-cased and lose any namespace prefix, so callers
 * match `prospect` whatever the provider wrote.
 */
import { decodeEntities } from "./entities";

export type XmlElement = { name: string; attrs: Record<string, string>; children: XmlNode[] };
export type XmlNode = XmlElement | string;

export type XmlDocument = {
  /** A synthetic element named "#document" holding everything read. */
  root: XmlElement;
  elementCount: number;
  /** Processing instructions such as `<?xml …?>` and `<?adf version="1.0"?>`, by name. */
  instructions: { name: string; attrs: Record<string, string> }[];
  warnings: string[];
};

type Token =
  | { kind: "text"; value: string }
  | { kind: "open"; name: string; attrs: Record<string, string>; selfClosing: boolean }
  | { kind: "close"; name: string }
  | { kind: "pi"; name: string; attrs: Record<string, string> };

type Warn = (message: string) => void;

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_.:-]/;
const SPACE = /\s/;

function localName(raw: string): string {
  const lower = raw.toLowerCase();
  const colon = lower.lastIndexOf(":");
  return colon >= 0 ? lower.slice(colon + 1) : lower;
}

function readName(s: string, from: number): number {
  let i = from;
  while (i < s.length && NAME_CHAR.test(s.charAt(i))) i++;
  return i;
}

function skipSpace(s: string, from: number): number {
  let i = from;
  while (i < s.length && SPACE.test(s.charAt(i))) i++;
  return i;
}

/** The value starting at `i` (just after `=`): quoted, or unquoted up to a space or `>`. */
function readAttributeValue(s: string, i: number, warn: Warn): { value: string; next: number } {
  const quote = s.charAt(i);
  if (quote === '"' || quote === "'") {
    const close = s.indexOf(quote, i + 1);
    const stop = close < 0 ? s.length : close;
    return { value: decodeEntities(s.slice(i + 1, stop), warn), next: stop + 1 };
  }
  let k = i;
  while (k < s.length && !/[\s>]/.test(s.charAt(k))) k++;
  let value = s.slice(i, k);
  // `part=first/>`: the slash closes the tag, it is not part of the value.
  if (value.endsWith("/") && s.charAt(k) === ">") {
    value = value.slice(0, -1);
    k--;
  }
  warn("attribute values without quotes were read up to the next space");
  return { value: decodeEntities(value, warn), next: k };
}

/** Reads attributes from `from` up to the tag's end; returns them, where the tag ends, and whether it self-closes. */
function readAttributes(s: string, from: number, warn: Warn): { attrs: Record<string, string>; end: number; selfClosing: boolean } {
  const attrs: Record<string, string> = {};
  let i = from;
  for (;;) {
    i = skipSpace(s, i);
    if (i >= s.length) return { attrs, end: s.length, selfClosing: false };
    const c = s.charAt(i);
    if (c === ">") return { attrs, end: i + 1, selfClosing: false };
    if (c === "/" && s.charAt(i + 1) === ">") return { attrs, end: i + 2, selfClosing: true };
    // A tag that runs into the next one (`<a x="1"<b>`): end it here and let the next tag be read.
    if (c === "<") return { attrs, end: i, selfClosing: false };
    let j = i;
    while (j < s.length && !/[\s=/>"'<]/.test(s.charAt(j))) j++;
    if (j === i) {
      i++;
      continue;
    }
    const name = localName(s.slice(i, j));
    i = skipSpace(s, j);
    if (s.charAt(i) !== "=") {
      attrs[name] = "";
      continue;
    }
    const { value, next } = readAttributeValue(s, skipSpace(s, i + 1), warn);
    attrs[name] = value;
    i = next;
  }
}

/** Reads the markup at `<` (index i); returns the token (or null to skip it) and where reading continues. */
function readMarkup(s: string, i: number, warn: Warn): { token: Token | null; next: number } {
  const ahead = s.slice(i, i + 9).toUpperCase();
  if (ahead.startsWith("<!--")) {
    const end = s.indexOf("-->", i + 4);
    if (end < 0) warn("a comment was never closed; the rest of the document was skipped");
    return { token: null, next: end < 0 ? s.length : end + 3 };
  }
  if (ahead === "<![CDATA[") {
    const end = s.indexOf("]]>", i + 9);
    if (end < 0) warn("a CDATA section was never closed; it runs to the end of the document");
    return { token: { kind: "text", value: s.slice(i + 9, end < 0 ? s.length : end) }, next: end < 0 ? s.length : end + 3 };
  }
  if (ahead.startsWith("<!")) {
    const end = s.indexOf(">", i);
    return { token: null, next: end < 0 ? s.length : end + 1 };
  }
  if (ahead.startsWith("<?")) {
    const end = s.indexOf("?>", i);
    const stop = end < 0 ? s.length : end;
    const nameEnd = readName(s, i + 2);
    const attrs = readAttributes(`${s.slice(nameEnd, stop)}>`, 0, () => undefined).attrs;
    return { token: { kind: "pi", name: localName(s.slice(i + 2, nameEnd)), attrs }, next: end < 0 ? s.length : end + 2 };
  }
  if (ahead.startsWith("</") && NAME_START.test(s.charAt(i + 2))) {
    const nameEnd = readName(s, i + 2);
    const end = s.indexOf(">", nameEnd);
    const next = s.indexOf("<", nameEnd);
    const stop = end < 0 || (next >= 0 && next < end) ? (next < 0 ? s.length : next) : end + 1;
    return { token: { kind: "close", name: localName(s.slice(i + 2, nameEnd)) }, next: stop };
  }
  if (NAME_START.test(s.charAt(i + 1))) {
    const nameEnd = readName(s, i + 1);
    const { attrs, end, selfClosing } = readAttributes(s, nameEnd, warn);
    return { token: { kind: "open", name: localName(s.slice(i + 1, nameEnd)), attrs, selfClosing }, next: end };
  }
  // "<" that starts no markup ("price < 30k" in a comment): it is text.
  warn("a '<' that starts no tag was read as text");
  return { token: { kind: "text", value: "<" }, next: i + 1 };
}

function* tokens(s: string, warn: Warn): Generator<Token> {
  let i = 0;
  while (i < s.length) {
    const lt = s.indexOf("<", i);
    const textEnd = lt < 0 ? s.length : lt;
    if (textEnd > i) yield { kind: "text", value: decodeEntities(s.slice(i, textEnd), warn) };
    if (lt < 0) return;
    const { token, next } = readMarkup(s, lt, warn);
    if (token) yield token;
    i = next;
  }
}

/** Pops the open elements down to the innermost `name`; a close tag nothing matches is dropped. */
function closeElement(stack: XmlElement[], name: string, warn: Warn): void {
  for (let depth = stack.length - 1; depth > 0; depth--) {
    if (stack[depth]?.name !== name) continue;
    const unclosed = stack.splice(depth).slice(1).map((e) => `<${e.name}>`);
    if (unclosed.length > 0) warn(`${unclosed.join(", ")} closed by </${name}>`);
    return;
  }
  warn(`a stray </${name}> with no open <${name}> was ignored`);
}

/** Reads `input` into a tree, repairing what a strict parser would refuse. Never throws. */
export function readXml(input: string): XmlDocument {
  const found = new Set<string>();
  const warn: Warn = (m) => void found.add(m);
  const root: XmlElement = { name: "#document", attrs: {}, children: [] };
  const stack: XmlElement[] = [root];
  const instructions: XmlDocument["instructions"] = [];
  let elementCount = 0;
  for (const token of tokens(input.replace(/^\uFEFF/, ""), warn)) {
    const top = stack[stack.length - 1] ?? root;
    if (token.kind === "text") {
      const last = top.children[top.children.length - 1];
      if (typeof last === "string") top.children[top.children.length - 1] = last + token.value;
      else top.children.push(token.value);
    } else if (token.kind === "open") {
      const el: XmlElement = { name: token.name, attrs: token.attrs, children: [] };
      top.children.push(el);
      elementCount++;
      if (!token.selfClosing) stack.push(el);
    } else if (token.kind === "close") {
      closeElement(stack, token.name, warn);
    } else {
      instructions.push({ name: token.name, attrs: token.attrs });
    }
  }
  if (stack.length > 1) warn(`unclosed ${stack.slice(1).map((e) => `<${e.name}>`).join(", ")} closed at the end of the document`);
  return { root, elementCount, instructions, warnings: [...found] };
}

/** The element children of `el`, optionally only those named `name`. */
export function childElements(el: XmlElement, name?: string): XmlElement[] {
  return el.children.filter((c): c is XmlElement => typeof c !== "string" && (name === undefined || c.name === name));
}

export function firstChild(el: XmlElement | null | undefined, name: string): XmlElement | null {
  return el ? (childElements(el, name)[0] ?? null) : null;
}

/** Every element named `name` under `el`, in document order (iterative: deep nesting cannot overflow the stack). */
export function findAll(el: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const pending: XmlElement[] = [...childElements(el)].reverse();
  while (pending.length > 0) {
    const next = pending.pop();
    if (!next) break;
    if (next.name === name) out.push(next);
    pending.push(...childElements(next).reverse());
  }
  return out;
}

/** All the text under `el`, as written (entities decoded, CDATA included). */
export function textOf(el: XmlElement | null | undefined): string {
  if (!el) return "";
  let out = "";
  const pending: XmlNode[] = [...el.children].reverse();
  while (pending.length > 0) {
    const node = pending.pop();
    if (node === undefined) break;
    if (typeof node === "string") out += node;
    else pending.push(...[...node.children].reverse());
  }
  return out;
}
