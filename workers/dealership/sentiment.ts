/**
 * Sentiment of a customer's message from a lexicon and a few rules, in the spirit of
 * VADER: negation within three words flips and dampens a cue ("not happy"), degree words
 * scale it ("very", "a bit"), a cue in capitals counts more, the clause after "but"
 * outweighs the one before, and exclamation marks push the total further. The sum maps
 * to -1..1 by x / sqrt(x² + 15). Every cue that counted is listed in `signals`.
 */
import { CONTRAST, DEGREE, EMOJI, FEELINGS, MASKED_PROFANITY, type Feeling } from "./sentiment-lexicon";
import { BOUNDARY, coveredBy, findCues, negatorBefore, tokenize, type CueMatch, type Tokens } from "./text";

export const SENTIMENT_LABELS = ["positive", "neutral", "negative"] as const;
export type SentimentLabel = (typeof SENTIMENT_LABELS)[number];
export type Sentiment = { label: SentimentLabel; score: number; signals: string[]; anger: boolean };

const NEGATION = -0.74;
const CAPS = 1.3;
const BEFORE_CONTRAST = 0.5;
const AFTER_CONTRAST = 1.5;
const EXCLAMATION = 0.3;
const SHOUTING = 1.2;
const NEUTRAL_BAND = 0.05;

const round = (x: number, places = 2) => Math.round(x * 10 ** places) / 10 ** places;

/** Mostly capitals: a shouted message, where single capitalised words no longer stand out. */
export function isShouting(text: string): boolean {
  const letters = text.replace(/[^\p{L}]/gu, "");
  const upper = letters.replace(/[^\p{Lu}]/gu, "").length;
  return letters.length >= 12 && upper / letters.length > 0.6;
}

function degreeBefore(words: readonly string[], start: number, taken: ReadonlySet<number>): { factor: number; word: string | null } {
  let factor = 1;
  let word: string | null = null;
  for (let k = start - 1; k >= start - 2 && k >= 0; k--) {
    const w = words[k] ?? BOUNDARY;
    const f = Object.hasOwn(DEGREE, w) ? DEGREE[w] : undefined;
    if (taken.has(k) || f === undefined) break;
    factor *= f;
    word = w;
  }
  return { factor, word };
}

type Scored = { weight: number; signal: string; anger: boolean };

function scoreCue(m: CueMatch<Feeling>, t: Tokens, taken: ReadonlySet<number>, contrastAt: number, shouting: boolean): Scored {
  const said = t.words.slice(m.start, m.end).join(" ");
  const notes: string[] = [];
  let weight = m.cue.data.weight;
  const degree = degreeBefore(t.words, m.start, taken);
  if (degree.word) {
    weight *= degree.factor;
    notes.push(`${degree.factor > 1 ? "strengthened" : "softened"} by "${degree.word}"`);
  }
  const negator = negatorBefore(t.words, m.start, taken);
  if (negator) {
    weight *= NEGATION;
    notes.push(`negated by "${negator}"`);
  }
  if (!shouting && t.caps.slice(m.start, m.end).some(Boolean)) {
    weight *= CAPS;
    notes.push("in capitals");
  }
  if (contrastAt >= 0) {
    weight *= m.start < contrastAt ? BEFORE_CONTRAST : AFTER_CONTRAST;
    notes.push(m.start < contrastAt ? `before "${t.words[contrastAt]}"` : `after "${t.words[contrastAt]}"`);
  }
  const anger = !!m.cue.data.anger && !negator;
  if (anger) notes.push("anger");
  const signal = `${weight >= 0 ? "+" : ""}${round(weight, 1)} "${said}"${notes.length ? ` (${notes.join(", ")})` : ""}`;
  return { weight, signal, anger };
}

function lastContrast(words: readonly string[], taken: ReadonlySet<number>): number {
  for (let k = words.length - 1; k >= 0; k--) if (!taken.has(k) && CONTRAST.has(words[k] ?? "")) return k;
  return -1;
}

function rawSignals(text: string): { sum: number; signals: string[]; anger: boolean } {
  let sum = 0;
  let anger = false;
  const signals: string[] = [];
  for (const [re, weight, name] of EMOJI) {
    const n = Math.min(3, text.match(re)?.length ?? 0);
    if (!n) continue;
    sum += weight * n;
    signals.push(`${weight > 0 ? "+" : ""}${weight * n} ${name}${n > 1 ? ` ×${n}` : ""}`);
    if (name === "angry emoji") anger = true;
  }
  const masked = text.match(MASKED_PROFANITY);
  if (masked) {
    sum -= 3 * Math.min(3, masked.length);
    signals.push(`${-3 * Math.min(3, masked.length)} profanity "${masked[0]}" (anger)`);
    anger = true;
  }
  return { sum, signals, anger };
}

/** The tone of `text`: label, score in -1..1 and the cues behind it; `anger` when angry words or profanity were used. */
export function sentiment(text: string): Sentiment {
  const t = tokenize(text);
  const all = findCues(t.words, FEELINGS);
  const taken = coveredBy(all);
  const matches = all.filter((m) => m.cue.data.weight !== 0);
  const contrastAt = lastContrast(t.words, taken);
  const shouting = isShouting(text);
  const raw = rawSignals(text);
  let sum = raw.sum;
  let anger = raw.anger;
  const signals: string[] = [];
  for (const m of matches) {
    const s = scoreCue(m, t, taken, contrastAt, shouting);
    sum += s.weight;
    anger ||= s.anger;
    signals.push(s.signal);
  }
  signals.push(...raw.signals);
  const bangs = Math.min(4, text.split("!").length - 1);
  if (bangs && sum !== 0) {
    sum += Math.sign(sum) * EXCLAMATION * bangs;
    signals.push(`exclamation${bangs > 1 ? ` ×${bangs}` : ""} (stronger)`);
  }
  if (shouting && sum !== 0) {
    sum *= SHOUTING;
    anger ||= sum < 0;
    signals.push(`written in capitals (stronger${sum < 0 ? ", anger" : ""})`);
  }
  const score = round(sum / Math.sqrt(sum * sum + 15), 3);
  const label: SentimentLabel = score >= NEUTRAL_BAND ? "positive" : score <= -NEUTRAL_BAND ? "negative" : "neutral";
  return { label, score, signals, anger };
}
