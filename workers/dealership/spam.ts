/**
 * Signs that a lead is not a real shopper: placeholder names, throwaway e-mail domains,
 * fictional phone numbers, keyboard mashing, and link spam in the comments.
 */
import { customerName, commentsOf, phoneDigits, type Lead } from "./lead";
import { fold } from "./text";

export type SpamSignal = { kind: "fake_name" | "throwaway_email" | "fake_phone" | "gibberish" | "spam_content"; detail: string };

const FAKE_NAMES = new Set([
  "test", "testing", "tester", "asdf", "qwerty", "fake", "none", "na", "n/a", "nobody", "anonymous", "anon", "customer", "client",
  "user", "name", "no name", "first last", "firstname lastname", "john doe", "jane doe", "mickey mouse", "donald duck", "xxx",
  "abc", "foo", "foo bar", "blah", "sample", "test test", "test user", "test lead",
]);
const FAKE_NAME_WORDS = new Set(["test", "asdf", "qwerty", "fake", "xxx", "blah", "foo", "sample", "dummy", "spam"]);

const THROWAWAY_DOMAINS = new Set([
  "mailinator.com", "guerrillamail.com", "guerrillamail.net", "sharklasers.com", "10minutemail.com", "tempmail.com", "temp-mail.org",
  "yopmail.com", "trashmail.com", "getnada.com", "dispostable.com", "maildrop.cc", "throwawaymail.com", "fakeinbox.com",
  "mintemail.com", "mailnesia.com", "spamgourmet.com", "emailondeck.com", "tempail.com", "burnermail.io", "mailcatch.com",
  "test.com", "noemail.com", "nomail.com", "none.com", "fake.com", "asdf.com",
]);
const THROWAWAY_LOCALS = new Set(["test", "asdf", "fake", "none", "noreply", "no-reply", "nobody", "qwerty", "spam", "xxx"]);

const KEYBOARD_ROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];
const MASHES = /asdf|fdsa|qwer|zxcv|hjkl/;
const SPAM_CONTENT = /https?:\/\/|www\.|\b(seo|backlinks?|crypto|bitcoin|viagra|casino|click here|earn money|make money|work from home|guest post|rank your website|marketing services)\b/i;

function keyboardRun(word: string, length: number): boolean {
  for (let i = 0; i + length <= word.length; i++) {
    const piece = word.slice(i, i + length);
    const reversed = [...piece].reverse().join("");
    if (KEYBOARD_ROWS.some((row) => row.includes(piece) || row.includes(reversed))) return true;
  }
  return false;
}

/** A word nobody writes: no vowels, six consonants in a row, one letter four times running, or a run along a keyboard row. */
export function looksGibberish(word: string): boolean {
  const w = fold(word);
  if (!/^[a-z]{4,}$/.test(w)) return false;
  return (w.length >= 5 && !/[aeiouy]/.test(w)) || /[^aeiouy]{6}/.test(w) || /(.)\1{3}/.test(w) || MASHES.test(w) || keyboardRun(w, 5);
}

function nameSignals(name: string): SpamSignal[] {
  if (!name) return [];
  const folded = fold(name).replace(/\s+/g, " ").trim();
  const words = folded.split(/[\s,.]+/).filter(Boolean);
  if (FAKE_NAMES.has(folded) || words.some((w) => FAKE_NAME_WORDS.has(w))) return [{ kind: "fake_name", detail: `placeholder name "${name}"` }];
  if (/[\d@]|https?:/.test(folded) || folded.replace(/[^a-z]/g, "").length < 2) return [{ kind: "fake_name", detail: `not a name: "${name}"` }];
  if (words.some(looksGibberish)) return [{ kind: "gibberish", detail: `gibberish name "${name}"` }];
  return [];
}

function emailSignals(email: string | null | undefined): SpamSignal[] {
  const at = email?.lastIndexOf("@") ?? -1;
  if (!email || at < 1) return [];
  const local = email.slice(0, at).toLowerCase();
  const domain = email.slice(at + 1).toLowerCase();
  if (THROWAWAY_DOMAINS.has(domain)) return [{ kind: "throwaway_email", detail: `throwaway e-mail domain ${domain}` }];
  if (THROWAWAY_LOCALS.has(local) || looksGibberish(local)) return [{ kind: "throwaway_email", detail: `throwaway address ${email}` }];
  return [];
}

function phoneSignals(phone: string | null | undefined): SpamSignal[] {
  const d = phone ? phoneDigits(phone) : "";
  if (d.length !== 10) return [];
  const fictional = d.slice(3, 6) === "555" && d.slice(6, 8) === "01";
  if (/^(\d)\1{9}$/.test(d) || "01234567890".includes(d) || "9876543210".includes(d) || fictional || /^[01]/.test(d)) {
    return [{ kind: "fake_phone", detail: `fake phone number ${phone}` }];
  }
  return [];
}

function commentSignals(comments: string): SpamSignal[] {
  const spam = SPAM_CONTENT.exec(comments);
  if (spam) return [{ kind: "spam_content", detail: `spam in comments ("${spam[0]}")` }];
  const words = comments.split(/[^\p{L}]+/u).filter((w) => w.length >= 4);
  const mashed = words.filter(looksGibberish);
  if (mashed.length && mashed.length / words.length >= 0.3) return [{ kind: "gibberish", detail: `gibberish comments ("${mashed[0]}")` }];
  return [];
}

/** Every spam sign found in `lead`, at most one of each kind. */
export function spamSignals(lead: Lead): SpamSignal[] {
  const all = [
    ...nameSignals(customerName(lead)),
    ...emailSignals(lead.customer?.email),
    ...phoneSignals(lead.customer?.phone),
    ...commentSignals(commentsOf(lead)),
  ];
  return all.filter((s, i) => all.findIndex((o) => o.kind === s.kind) === i);
}
