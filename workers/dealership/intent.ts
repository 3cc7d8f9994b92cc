/**
 * What a customer's message is about: an FAQ, a booking, a sale, a support case, or
 * something a manager must see. Each intent sums the weights of its cues (negated cues
 * count nothing: "I don't need financing"); angry language adds to escalation. The top
 * score wins; a decisive escalation cue (a lawyer, the BBB, a lawsuit) always wins,
 * because that message must reach a person whatever else it asks.
 */
import { INTENT_CUES, INTENTS, type Intent } from "./intent-lexicon";
import { sentiment } from "./sentiment";
import { coveredBy, findCues, negatorBefore, tokenize } from "./text";

export { INTENTS, type Intent } from "./intent-lexicon";

export type IntentResult = { intent: Intent; confidence: number; signals: string[]; scores: Record<Intent, number> };

const ANGER_WEIGHT = 2;
const VERY_NEGATIVE = -0.6;
const DECISIVE = 4;
// On a tie, the intent that needs a person sooner wins.
const PRIORITY: readonly Intent[] = ["escalation", "support", "booking", "sales", "faq"];
// Evidence at which confidence reaches ~63 % of its ceiling: one clear ask.
const EVIDENCE_SCALE = 3;

const round = (x: number) => Math.round(x * 100) / 100;

function emptyScores(): Record<Intent, number> {
  return { faq: 0, booking: 0, sales: 0, support: 0, escalation: 0 };
}

function cueScores(text: string): { scores: Record<Intent, number>; signals: string[]; decisive: boolean } {
  const { words } = tokenize(text);
  const matches = findCues(words, INTENT_CUES);
  const taken = coveredBy(matches);
  const scores = emptyScores();
  const signals: string[] = [];
  let decisive = false;
  for (const m of matches) {
    const said = words.slice(m.start, m.end).join(" ");
    const negator = negatorBefore(words, m.start, taken);
    if (negator) {
      signals.push(`ignored "${said}" (negated by "${negator}")`);
      continue;
    }
    const { intent, weight } = m.cue.data;
    scores[intent] += weight;
    decisive ||= intent === "escalation" && weight >= DECISIVE;
    signals.push(`${intent} +${weight} "${said}"`);
  }
  return { scores, signals, decisive };
}

/** The customer's intent with a confidence (0..1), the raw score of every intent, and the cues that counted. */
export function intent(text: string): IntentResult {
  const { scores, signals, decisive } = cueScores(text);
  const tone = sentiment(text);
  if (tone.anger) {
    scores.escalation += ANGER_WEIGHT;
    signals.push(`escalation +${ANGER_WEIGHT} angry language`);
  } else if (tone.score <= VERY_NEGATIVE) {
    scores.escalation += ANGER_WEIGHT / 2;
    signals.push(`escalation +${ANGER_WEIGHT / 2} very negative tone`);
  }
  const ranked = [...PRIORITY].sort((a, b) => scores[b] - scores[a]);
  const top: Intent = decisive ? "escalation" : (ranked[0] ?? "faq");
  const total = INTENTS.reduce((sum, i) => sum + scores[i], 0);
  for (const i of INTENTS) scores[i] = round(scores[i]);
  if (total === 0) return { intent: "faq", confidence: 0, signals: ["no cues found: treated as a general question"], scores };
  if (decisive && ranked[0] !== "escalation") signals.push("escalation wins: a decisive cue (lawyer, lawsuit, BBB, consumer protection)");
  const confidence = round((scores[top] / total) * (1 - Math.exp(-scores[top] / EVIDENCE_SCALE)));
  return { intent: top, confidence, signals, scores };
}
