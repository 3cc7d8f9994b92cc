/**
 * Prompt-injection phrases: a small curated list, matched against text that has been
 * lower-cased, stripped of zero-width characters and had its whitespace collapsed, so
 * "Ignore\u200b  ALL previous\ninstructions" reads as one phrase. Every pattern uses
 * literal single spaces and only bounded, un-nested repetition.
 */
import type { Span } from "./pii";

const ZERO_WIDTH = /[\u00ad\u200b-\u200f\u2060\ufeff]/g;
const WHITESPACE = /\s+/g;

/** What the injection patterns read: lower case, no zero-width characters, single spaces. */
export function normalizeForInjection(text: string): string {
  return text.replace(ZERO_WIDTH, "").replace(WHITESPACE, " ").toLowerCase();
}

const WORD = "[a-z]{1,20}";

const PATTERNS: readonly RegExp[] = [
  // Overriding what came before.
  new RegExp(
    `\\b(?:ignore|disregard|forget|skip|override|bypass) (?:all |any |the |your |my |these |those )?(?:of )?(?:the |your |my )?` +
      `(?:previous|prior|preceding|above|earlier|original|initial|system|existing)(?: ${WORD})? ` +
      `(?:instructions?|prompts?|rules|directions|guidelines|directives|context|messages|constraints)\\b`,
    "g",
  ),
  /\b(?:ignore|disregard|forget) (?:everything|all) (?:above|before this|you (?:were|have been) told)\b/g,
  // Asking for the hidden prompt.
  new RegExp(
    `\\b(?:reveal|show|print|repeat|output|display|dump|leak|expose|tell me|give me|what (?:is|are|was|were)) (?:me |us )?` +
      `(?:your|the|all|any) (?:full |entire |exact |complete |original |hidden |secret |initial |verbatim )?` +
      `(?:system prompt|system message|system instructions|initial instructions|hidden instructions|developer message|` +
      `developer instructions|original instructions|instructions above|prompt above)`,
    "g",
  ),
  // Jailbreak personas.
  /\b(?:dan mode|do anything now|developer mode (?:enabled|on|activated)|jailbreak mode|(?:aim|stan|dude) mode)\b/g,
  /\byou are (?:now )?(?:dan|jailbroken|unfiltered|unrestricted|uncensored|an unrestricted|an unfiltered|an uncensored)\b/g,
  // Role-play that removes the rules.
  new RegExp(
    `\\b(?:pretend|act|behave|roleplay|role-play) (?:as if )?(?:you are|you're|to be|as) (?:an? )?(?:${WORD} )?` +
      `(?:ai|assistant|model|chatbot|character|persona) (?:with no|without|free of|that ignores|who ignores) (?:any )?` +
      `(?:restrictions|rules|limits|limitations|filters|guidelines|policies)\\b`,
    "g",
  ),
  /\b(?:from now on|starting now|for the rest of this conversation),? you (?:are|will be|will act as|must act as) (?:an? )?(?:unrestricted|unfiltered|uncensored|evil|rogue)\b/g,
  /\byou are no longer (?:bound by|restricted by|limited by|required to follow|an ai|an assistant)\b/g,
  /\b(?:system override|admin override|sudo mode|god mode)\b/g,
];

// Chat-template tokens and role headers smuggled into user text to fake a turn.
const DELIMITERS: readonly string[] = [
  "<|im_start|>",
  "<|im_end|>",
  "<|system|>",
  "<|endoftext|>",
  "<|eot_id|>",
  "<|start_header_id|>",
  "[inst]",
  "[/inst]",
  "<<sys>>",
  "<</sys>>",
  "<system>",
  "</system>",
  "### system:",
  "### instruction:",
];
const ROLE_HEADER = /(?:^|\n)[ \t]{0,8}(?:system|developer)[ \t]{0,4}:|\n\n(?:human|assistant):/g;

const MAX_SAMPLE = 80;

function sample(s: string): string {
  return s.length > MAX_SAMPLE ? `${s.slice(0, MAX_SAMPLE - 1)}…` : s;
}

/**
 * Injection phrases in `text`. Offsets refer to the normalized text, so these spans name
 * what was found; they are never used to cut the original.
 */
export function findInjections(text: string, out: Span[]): void {
  const lower = text.toLowerCase();
  for (const token of DELIMITERS) {
    const at = lower.indexOf(token);
    if (at !== -1) out.push({ kind: "injection", start: at, end: at + token.length, sample: token });
  }
  for (const m of lower.matchAll(ROLE_HEADER)) {
    out.push({ kind: "injection", start: m.index, end: m.index + m[0].length, sample: m[0].trim() });
  }
  const flat = normalizeForInjection(text);
  for (const pattern of PATTERNS) {
    for (const m of flat.matchAll(pattern)) {
      out.push({ kind: "injection", start: m.index, end: m.index + m[0].length, sample: sample(m[0]) });
    }
  }
}

/** The regexes above, for the test that keeps them free of nested repetition. */
export const INJECTION_PATTERNS: readonly RegExp[] = [...PATTERNS, ROLE_HEADER, ZERO_WIDTH, WHITESPACE];
