/**
 * What the pipeline read from a message (sentiment, intent, answer quality, lead score),
 * taken out of the API's open `signals` record with the shapes the pipeline writes.
 */
export type Signals = {
  sentiment?: { label: string; score: number };
  intent?: { intent: string; confidence: number };
  quality?: { score: number };
  leadScore?: { score: number; grade: string };
  guard?: { blocked: boolean; kinds: string[] };
};

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
const str = (v: unknown): v is string => typeof v === "string";
const n = (v: unknown): v is number => typeof v === "number";

export function signalsOf(raw: unknown): Signals {
  if (!isObj(raw)) return {};
  const out: Signals = {};
  const { sentiment, intent, quality, leadScore, guard } = raw;
  if (isObj(sentiment) && str(sentiment.label) && n(sentiment.score)) out.sentiment = { label: sentiment.label, score: sentiment.score };
  if (isObj(intent) && str(intent.intent) && n(intent.confidence)) out.intent = { intent: intent.intent, confidence: intent.confidence };
  if (isObj(quality) && n(quality.score)) out.quality = { score: quality.score };
  if (isObj(leadScore) && n(leadScore.score) && str(leadScore.grade)) out.leadScore = { score: leadScore.score, grade: leadScore.grade };
  if (isObj(guard) && typeof guard.blocked === "boolean" && Array.isArray(guard.kinds)) out.guard = { blocked: guard.blocked, kinds: guard.kinds.filter(str) };
  return out;
}
