/**
 * Deterministic text and token counting. A reply is a pure function of its seed (model +
 * conversation), so tests and caches see the same answer for the same request.
 */

/** FNV-1a 32-bit hash: cheap and stable across runs and machines. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Token estimate used everywhere (about four characters a token), so usage is consistent. */
export function countTokens(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(text.length / 4);
}

/** Fixed cost of an image part, whatever its size. */
export const IMAGE_TOKENS = 256;
/** Per-message framing cost, as chat formats add role markers around each message. */
export const MESSAGE_OVERHEAD_TOKENS = 3;

const SENTENCES = [
  "Our team at the dealership can help you with the next steps.",
  "A service advisor can confirm availability and pricing for your vehicle.",
  "We have several certified pre-owned options that may fit your budget.",
  "You can schedule a test drive online or by calling the showroom.",
  "Financing offers depend on credit approval and the model year you choose.",
  "Routine maintenance keeps your warranty valid and your vehicle running smoothly.",
  "Trade-in values are based on mileage, condition and current market demand.",
  "Please let us know a convenient time and we will reserve a bay for you.",
  "Our parts department stocks genuine components for most makes and models.",
  "Loaner vehicles are available for longer repairs, subject to availability.",
];

/** A short topic phrase taken from the user's words (first few words, punctuation trimmed). */
export function topicOf(userText: string): string {
  const words = userText.replace(/\s+/g, " ").trim().split(" ").slice(0, 8).join(" ");
  const cleaned = words.replace(/[.?!,;:]+$/, "");
  return cleaned === "" ? "your request" : `"${cleaned}"`;
}

/** The assistant's deterministic reply to `userText`, varied by `seed`. */
export function replyText(userText: string, seed: string): string {
  const h = hash32(seed);
  const picks = [SENTENCES[h % 10], SENTENCES[(h >>> 4) % 10], SENTENCES[(h >>> 8) % 10]];
  const unique = [...new Set(picks)];
  return `Thanks for reaching out about ${topicOf(userText)}. ${unique.join(" ")} Is there anything else I can help you with today?`;
}

/** The reply to a conversation whose last turn carried tool results. */
export function toolResultReply(result: string): string {
  const shown = result.length > 200 ? `${result.slice(0, 200)}…` : result;
  return `Based on the tool result ${shown}, here is a summary for you. Let me know if you need anything else.`;
}

/** Cuts `text` to at most `maxTokens` tokens by the same estimator that counts them. */
export function truncateToTokens(text: string, maxTokens: number): { text: string; truncated: boolean } {
  if (countTokens(text) <= maxTokens) return { text, truncated: false };
  return { text: text.slice(0, maxTokens * 4), truncated: true };
}

/** Cuts `text` before the earliest stop sequence it contains. */
export function applyStop(text: string, stops: readonly string[]): { text: string; stop: string | null } {
  let best = -1;
  let found: string | null = null;
  for (const s of stops) {
    if (s === "") continue;
    const at = text.indexOf(s);
    if (at >= 0 && (best < 0 || at < best)) {
      best = at;
      found = s;
    }
  }
  return found === null ? { text, stop: null } : { text: text.slice(0, best), stop: found };
}

/** Splits text into stream pieces of a few words each; joining them gives back `text`. */
export function splitChunks(text: string, targetChars = 16): string[] {
  const out: string[] = [];
  let cur = "";
  for (const word of text.split(/(?<= )/)) {
    cur += word;
    if (cur.length >= targetChars) {
      out.push(cur);
      cur = "";
    }
  }
  if (cur !== "") out.push(cur);
  return out;
}

/** Splits text into fixed-size pieces (JSON fragments have no spaces to split on). */
export function sliceChunks(text: string, size = 12): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}
