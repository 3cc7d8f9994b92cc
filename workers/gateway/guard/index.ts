/**
 * The prompt guard: finds personal data and injection attempts in the message text of a
 * request and, by the tenant's policy, lets it through (logging what it found), redacts
 * the personal data, or blocks the request. Injection cannot be redacted away, so in
 * "redact" mode a request carrying one is blocked.
 */
import { AppError } from "../../errors";
import type { JsonObject } from "../translate/json";
import type { WireFormat } from "../translate/types";
import { findInjections } from "./injection";
import { findCards, findEmails, findPhones, findSsns, type Span } from "./pii";
import type { GuardPolicy } from "./policy";
import { pathText, textSlots, withTexts, type PathPart } from "./slots";

export { DEFAULT_GUARD_POLICY, invalidateGuardPolicy, loadGuardPolicy, saveGuardPolicy, type GuardPolicy } from "./policy";

export type GuardKind = "injection" | "email" | "phone" | "card" | "ssn";
export type GuardFinding = { kind: GuardKind; path: string; sample: string };
export type GuardAction = "allow" | "block" | "redact";
export type GuardResult = { action: GuardAction; findings: GuardFinding[]; body: JsonObject };

/** Enough to act on and to show; a request with more is judged on all of them. */
const MAX_FINDINGS = 50;
const DIGIT = /\d/;

function piiSpans(text: string, pii: GuardPolicy["pii"]): Span[] {
  const spans: Span[] = [];
  if (DIGIT.test(text)) {
    if (pii.card) findCards(text, spans);
    if (pii.ssn) findSsns(text, spans);
    if (pii.phone) findPhones(text, spans);
  }
  if (pii.email && text.includes("@")) findEmails(text, spans);
  return nonOverlapping(spans);
}

// Earliest first; where two overlap, the longer one stands for both.
function nonOverlapping(spans: Span[]): Span[] {
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Span[] = [];
  let end = -1;
  for (const s of spans) {
    if (s.start < end) continue;
    out.push(s);
    end = s.end;
  }
  return out;
}

/** `text` with each span replaced by `[REDACTED:KIND]`; spans are sorted and disjoint. */
export function redactSpans(text: string, spans: Span[]): string {
  let out = "";
  let at = 0;
  for (const s of spans) {
    out += `${text.slice(at, s.start)}[REDACTED:${s.kind.toUpperCase()}]`;
    at = s.end;
  }
  return out + text.slice(at);
}

function anyDetector(policy: GuardPolicy): boolean {
  const { email, phone, card, ssn } = policy.pii;
  return policy.injection || email || phone || card || ssn;
}

type Scan = { pii: Span[]; injection: Span[] };

function scanText(text: string, policy: GuardPolicy, lookForInjection: boolean): Scan {
  const injection: Span[] = [];
  if (policy.injection && lookForInjection) findInjections(text, injection);
  return { pii: piiSpans(text, policy.pii), injection };
}

function decide(mode: GuardPolicy["mode"], findings: GuardFinding[], redactable: boolean): GuardAction {
  if (findings.length === 0 || mode === "off" || mode === "log") return "allow";
  if (mode === "block" || findings.some((f) => f.kind === "injection")) return "block";
  return redactable ? "redact" : "allow";
}

/**
 * Inspects a request body of `format`. "redact" answers a copy of the body with personal
 * data replaced in its message text; otherwise `body` is the one given.
 */
export function inspectRequest(format: WireFormat, body: JsonObject, policy: GuardPolicy): GuardResult {
  if (policy.mode === "off" || !anyDetector(policy)) return { action: "allow", findings: [], body };
  const findings: GuardFinding[] = [];
  const changes: { path: PathPart[]; text: string }[] = [];
  for (const slot of textSlots(format, body)) {
    // System prompts and earlier answers are the tenant's and the model's own words.
    const scan = scanText(slot.text, policy, slot.speaker === "user" || slot.speaker === "tool");
    const path = pathText(slot.path);
    for (const s of [...scan.injection, ...scan.pii]) findings.push({ kind: s.kind, path, sample: s.sample });
    if (scan.pii.length > 0) changes.push({ path: slot.path, text: redactSpans(slot.text, scan.pii) });
  }
  const action = decide(policy.mode, findings, changes.length > 0);
  return { action, findings: findings.slice(0, MAX_FINDINGS), body: action === "redact" ? withTexts(body, changes) : body };
}

/** One text as a user would send it: what the policy finds, does, and the text after redaction. */
export function inspectText(text: string, policy: GuardPolicy): { action: GuardAction; findings: GuardFinding[]; redacted: string } {
  const scan = scanText(text, policy, true);
  const findings = [...scan.injection, ...scan.pii].map((s): GuardFinding => ({ kind: s.kind, path: "text", sample: s.sample }));
  const action = decide(policy.mode, findings, scan.pii.length > 0);
  return { action, findings: findings.slice(0, MAX_FINDINGS), redacted: redactSpans(text, scan.pii) };
}

const KIND_NAMES: Record<GuardKind, string> = {
  injection: "a prompt injection attempt",
  email: "an email address",
  phone: "a phone number",
  card: "a payment card number",
  ssn: "a Social Security number",
};

/** The error the call path throws for a blocked request: it names what was found and where. */
export function guardBlockedError(findings: GuardFinding[]): AppError {
  const kinds = [...new Set(findings.map((f) => f.kind))].map((k) => KIND_NAMES[k]);
  const message = `The prompt guard blocked this request: it contains ${kinds.join(", ") || "content the policy forbids"}`;
  return new AppError("guard_blocked", message, findings);
}
