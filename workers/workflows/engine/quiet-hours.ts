/**
 * Quiet hours: an outbound step due between, say, 21:00 and 08:00 in the dealership's
 * zone waits until the end of the window.
 */
import { inHours, localClock } from "../../lib/local-clock";
import type { QuietHours } from "../definition/schema";

const minutesOf = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));

/** When the quiet window around `now` ends (epoch ms), or null when `now` is outside it. */
export function quietUntil(now: number, hours: QuietHours, timeZone: string): number | null {
  const from = minutesOf(hours.start);
  const to = minutesOf(hours.end);
  if (from === to) return null;
  const window = { from, to, text: "" };
  const local = localClock(now, timeZone).minutes;
  if (!inHours(local, window)) return null;
  // To the start of the minute the window ends in; the step re-checks when it wakes.
  const guess = now - (now % 60_000) + minutesUntil(local, to) * 60_000;
  // A clock change inside the window (daylight saving) moves its end by the shift: read the
  // local time at the guess and correct by what is left (or went past). An end the change
  // skips that day keeps the guess, which is already past it.
  const off = minutesUntil(localClock(guess, timeZone).minutes, to);
  const fixed = guess + (off > 720 ? off - 1440 : off) * 60_000;
  return fixed > now && !inHours(localClock(fixed, timeZone).minutes, window) ? fixed : guess;
}

function minutesUntil(local: number, target: number): number {
  return (target - local + 1440) % 1440;
}
