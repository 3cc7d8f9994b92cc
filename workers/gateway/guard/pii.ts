/**
 * Personal data detectors: emails, phone numbers (NANP and E.164), payment cards
 * (Luhn-checked) and US Social Security numbers. Each is linear in the text: emails and
 * cards are found by hand-written scans, the rest by regexes whose only repetition is
 * bounded and never nested, so no input can make them backtrack without end.
 */

export type PiiKind = "email" | "phone" | "card" | "ssn";

/** A match in one text: `[start, end)` in UTF-16 units. */
export type Span = { kind: PiiKind | "injection"; start: number; end: number; sample: string };

const MAX_LOCAL = 64;
const MAX_DOMAIN = 253;

function isLocalChar(c: number): boolean {
  // A-Z a-z 0-9 . _ % + -
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 46 || c === 95 || c === 37 || c === 43 || c === 45;
}

function isDomainChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 46 || c === 45;
}

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
const TLD = /^[a-z]{2,24}$/i;

function validDomain(domain: string): boolean {
  const labels = domain.split(".");
  if (labels.length < 2) return false;
  return TLD.test(labels[labels.length - 1] ?? "") && labels.every((l) => LABEL.test(l));
}

function maskEmail(email: string): string {
  const at = email.indexOf("@");
  const domain = email.slice(at + 1);
  const dot = domain.lastIndexOf(".");
  return `${email[0] ?? ""}***@${domain[0] ?? ""}***${domain.slice(dot)}`;
}

/** Emails: from each '@', grow the local part left and the domain right, then check both. */
export function findEmails(text: string, out: Span[]): void {
  let at = text.indexOf("@");
  while (at !== -1) {
    let start = at;
    while (start > 0 && at - start < MAX_LOCAL && isLocalChar(text.charCodeAt(start - 1))) start--;
    while (start < at && text[start] === ".") start++;
    let end = at + 1;
    while (end < text.length && end - at <= MAX_DOMAIN && isDomainChar(text.charCodeAt(end))) end++;
    const domainTooLong = end < text.length && isDomainChar(text.charCodeAt(end));
    while (end > at + 1 && (text[end - 1] === "." || text[end - 1] === "-")) end--;
    const localOk = start < at && !(start > 0 && isLocalChar(text.charCodeAt(start - 1)) && text[start - 1] !== ".");
    if (localOk && !domainTooLong && validDomain(text.slice(at + 1, end))) {
      out.push({ kind: "email", start, end, sample: maskEmail(text.slice(start, end)) });
    }
    at = text.indexOf("@", Math.max(at + 1, end));
  }
}

/** Every digit but the last four becomes '*'; separators stay, so the shape is still readable. */
export function maskDigits(s: string): string {
  let keep = 4;
  let out = "";
  for (let i = s.length - 1; i >= 0; i--) {
    const ch = s[i] ?? "";
    const digit = ch >= "0" && ch <= "9";
    out = (digit && keep-- <= 0 ? "*" : ch) + out;
  }
  return out;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isWordChar(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** The Luhn checksum of a digit string. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

type Group = { start: number; end: number };

// Digit groups joined by single spaces or dashes, from `i` (a digit) to the run's end.
function digitRun(text: string, i: number): { groups: Group[]; end: number } {
  const groups: Group[] = [];
  let at = i;
  for (;;) {
    const start = at;
    while (at < text.length && isDigit(text.charCodeAt(at))) at++;
    groups.push({ start, end: at });
    const sep = text[at];
    if ((sep === " " || sep === "-") && isDigit(text.charCodeAt(at + 1))) at++;
    else return { groups, end: at };
  }
}

const CARD_MIN = 13;
const CARD_MAX = 19;

// The longest valid card made of whole groups starting at group `g`, or -1. Cards are
// printed as one block, in fours (4-4-4-4, 4-4-4-4-3) or as Amex / Diners 4-6-5 / 4-6-4,
// with one kind of separator; the scan stops as soon as no such shape can follow.
function cardAt(text: string, groups: Group[], g: number): number {
  let digits = "";
  let best = -1;
  let sep = "";
  let shape = "";
  let foursSoFar = true;
  for (let e = g; e < groups.length; e++) {
    const grp = groups[e];
    if (!grp) break;
    const len = grp.end - grp.start;
    if (e === g + 1) sep = text[grp.start - 1] ?? "";
    else if (e > g + 1 && text[grp.start - 1] !== sep) break;
    digits += text.slice(grp.start, grp.end);
    if (digits.length > CARD_MAX) break;
    shape = e === g ? String(len) : `${shape}-${len}`;
    const printed = e === g || foursSoFar || shape === "4-6-5" || shape === "4-6-4";
    if (digits.length >= CARD_MIN && digits[0] !== "0" && printed && luhnValid(digits)) best = e;
    if (len !== 4) foursSoFar = false;
    if (!foursSoFar && shape !== "4-6") break;
  }
  return best;
}

/** Payment cards: 13-19 digits, optionally grouped with spaces or dashes, passing Luhn. */
export function findCards(text: string, out: Span[]): void {
  let i = 0;
  while (i < text.length) {
    if (!isDigit(text.charCodeAt(i)) || (i > 0 && (isWordChar(text.charCodeAt(i - 1)) || text[i - 1] === "." || text[i - 1] === ","))) {
      i++;
      continue;
    }
    const run = digitRun(text, i);
    if (run.end >= text.length || !isWordChar(text.charCodeAt(run.end))) cardsInRun(text, run.groups, out);
    i = run.end + 1;
  }
}

function cardsInRun(text: string, groups: Group[], out: Span[]): void {
  let g = 0;
  while (g < groups.length) {
    const last = cardAt(text, groups, g);
    const first = groups[g];
    const end = groups[last];
    if (last < 0 || !first || !end) {
      g++;
      continue;
    }
    out.push({ kind: "card", start: first.start, end: end.end, sample: maskDigits(text.slice(first.start, end.end)) });
    g = last + 1;
  }
}

// Separated SSNs (one separator used twice), and bare nine digits only when the text says SSN nearby.
const SSN_SEPARATED = /(?<![\w-])(\d{3})([- ])(\d{2})\2(\d{4})(?![\w]|-\d)/g;
const SSN_BARE = /(?<![\w-])(\d{3})(\d{2})(\d{4})(?![\w-])/g;
// The label must lead straight up to the number ("SSN: 536228106", "social security # 536228106").
const SSN_CONTEXT = /\b(?:ssn|ss#|social security(?: number| no\.?)?)(?: is)?[ :#=.-]{0,4}$/i;
const SSN_CONTEXT_CHARS = 32;

/** Area 001-899 except 666, group 01-99, serial 0001-9999: what the SSA has ever issued. */
export function ssnValid(area: string, group: string, serial: string): boolean {
  const a = Number(area);
  return a !== 0 && a !== 666 && a < 900 && group !== "00" && serial !== "0000";
}

/** US Social Security numbers. */
export function findSsns(text: string, out: Span[]): void {
  for (const m of text.matchAll(SSN_SEPARATED)) {
    if (ssnValid(m[1] ?? "", m[3] ?? "", m[4] ?? "")) out.push(ssnSpan(m));
  }
  for (const m of text.matchAll(SSN_BARE)) {
    const before = text.slice(Math.max(0, m.index - SSN_CONTEXT_CHARS), m.index);
    if (SSN_CONTEXT.test(before) && ssnValid(m[1] ?? "", m[2] ?? "", m[3] ?? "")) out.push(ssnSpan(m));
  }
}

function ssnSpan(m: RegExpExecArray): Span {
  return { kind: "ssn", start: m.index, end: m.index + m[0].length, sample: maskDigits(m[0]) };
}

// North American numbers: optional +1, area and exchange codes starting 2-9.
const NANP = /(?<![\w+]|\d[-.])(?:\+?1[ .-]?)?(?:\(([2-9]\d\d)\) ?|([2-9]\d\d)[ .-]?)([2-9]\d\d)[ .-]?(\d{4})(?![\w]|[-.]\d)/g;
// International numbers in E.164 form: '+', a country code not starting with 0 or 1, 8-15 digits in all.
const E164 = /(?<![\w+])\+[2-9](?:[ .-]?\d){7,14}(?![\w]|[-.]\d)/g;

function nanpValid(m: RegExpExecArray): boolean {
  const area = m[1] ?? m[2] ?? "";
  const exchange = m[3] ?? "";
  // N11 codes (211, 411, 911…) are service numbers, never area or exchange codes.
  return area.slice(1) !== "11" && exchange.slice(1) !== "11";
}

/** Phone numbers. */
export function findPhones(text: string, out: Span[]): void {
  for (const m of text.matchAll(NANP)) {
    if (nanpValid(m)) out.push({ kind: "phone", start: m.index, end: m.index + m[0].length, sample: maskDigits(m[0]) });
  }
  for (const m of text.matchAll(E164)) {
    out.push({ kind: "phone", start: m.index, end: m.index + m[0].length, sample: maskDigits(m[0]) });
  }
}

/** The regexes above, for the test that keeps them free of nested repetition. */
export const PII_PATTERNS: readonly RegExp[] = [LABEL, TLD, SSN_SEPARATED, SSN_BARE, SSN_CONTEXT, NANP, E164];
