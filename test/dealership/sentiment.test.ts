import { describe, expect, it } from "vitest";
import { sentiment, type SentimentLabel } from "../../workers/dealership/sentiment";

/** Messages the way customers write them to dealerships, labelled by hand. */
const LABELLED: [string, SentimentLabel][] = [
  ["Great service today, thank you Maria for getting me in and out so fast!", "positive"],
  ["Highly recommend this dealership. No pressure, fair price, and the finance guy was honest.", "positive"],
  ["I got ripped off on my trade-in and the truck turned out to be a lemon.", "negative"],
  ["Still waiting for someone to call me back about my repair. Third time asking.", "negative"],
  ["What are your service hours on Saturday?", "neutral"],
  ["Is the 2024 RAV4 XLE still available? What's your best price?", "neutral"],
  ["I am not happy with how long this is taking.", "negative"],
  ["The car is not bad at all for the price.", "positive"],
  ["Salesman was friendly but the finance office was a nightmare, hidden fees everywhere.", "negative"],
  ["This is RIDICULOUS. Nobody called me back and my car has been in the shop for 2 weeks!!!", "negative"],
  ["Couldn't be happier with my new Tacoma, thanks to the whole team :)", "positive"],
  ["Please send me the out the door price and the trade-in value for my 2017 Civic.", "neutral"],
  ["Muy buen servicio, todos fueron muy amables. ¡Gracias!", "positive"],
  ["Pésimo servicio, nadie me llamó y sigo esperando mi carro.", "negative"],
  ["No estoy contento con la reparación.", "negative"],
  ["Can I schedule an oil change for Tuesday morning?", "neutral"],
  ["Worst dealership experience ever, would not recommend. Total bait and switch.", "negative"],
  ["The team went above and beyond to find me the right SUV. 5 stars!", "positive"],
  ["My check engine light came on again after the last visit.", "neutral"],
  ["wtf, you charged me twice for the same repair", "negative"],
];

describe("sentiment on labelled dealership messages", () => {
  it("labels at least 90 % correctly", () => {
    const wrong = LABELLED.filter(([text, label]) => sentiment(text).label !== label);
    expect(wrong.map(([text]) => `${text} → ${sentiment(text).label}`)).toEqual([]);
    expect(1 - wrong.length / LABELLED.length).toBeGreaterThanOrEqual(0.9);
  });

  it("keeps the score within -1..1 and matching the label", () => {
    for (const [text] of LABELLED) {
      const s = sentiment(text);
      expect(s.score).toBeGreaterThanOrEqual(-1);
      expect(s.score).toBeLessThanOrEqual(1);
      if (s.label === "neutral") expect(Math.abs(s.score)).toBeLessThan(0.05);
      else expect(Math.sign(s.score)).toBe(s.label === "positive" ? 1 : -1);
    }
  });
});

describe("sentiment rules", () => {
  it("negation flips a cue and says so: 'not happy', 'not bad', Spanish 'no estoy contento'", () => {
    const notHappy = sentiment("I am not happy");
    expect(notHappy.label).toBe("negative");
    expect(notHappy.signals.join()).toContain('"happy" (negated by "not")');
    expect(sentiment("I am happy").label).toBe("positive");
    expect(sentiment("not bad").label).toBe("positive");
    expect(sentiment("The staff weren't helpful").label).toBe("negative");
    expect(sentiment("No estoy contento").signals.join()).toContain('negated by "no"');
  });

  it("negation does not reach across a clause or into fixed phrases", () => {
    expect(sentiment("No, I am happy with it").label).toBe("positive");
    expect(sentiment("No pressure at all, no problem with the paperwork").label).toBe("positive");
    expect(sentiment("Never again.").label).toBe("negative");
  });

  it("intensifiers strengthen, softeners weaken", () => {
    const plain = sentiment("I was disappointed").score;
    const very = sentiment("I was very disappointed").score;
    const bit = sentiment("I was a bit disappointed").score;
    expect(very).toBeLessThan(plain);
    expect(bit).toBeGreaterThan(plain);
    expect(bit).toBeLessThan(0);
    expect(sentiment("I was very disappointed").signals.join()).toContain('strengthened by "very"');
  });

  it("exclamation marks and capitals push the score further", () => {
    expect(sentiment("Great service!!!").score).toBeGreaterThan(sentiment("Great service").score);
    expect(sentiment("The wait was TERRIBLE").score).toBeLessThan(sentiment("The wait was terrible").score);
    expect(sentiment("Thanks!").signals).toContain("exclamation (stronger)");
  });

  it("the clause after 'but' outweighs the one before", () => {
    const s = sentiment("The salesman was nice but I got ripped off");
    expect(s.label).toBe("negative");
    expect(s.signals.join()).toContain('(before "but")');
    expect(sentiment("The wait was long and slow but the service was great").label).toBe("positive");
  });

  it("car-buying phrases count as one cue", () => {
    expect(sentiment("ripped off").signals).toEqual(['-3.5 "ripped off"']);
    expect(sentiment("still waiting").signals).toEqual(['-2.5 "still waiting"']);
    expect(sentiment("great service").signals).toEqual(['+3.5 "great service"']);
    expect(sentiment("this car is a lemon").label).toBe("negative");
  });

  it("anger and profanity are flagged, masked or not", () => {
    expect(sentiment("This is unacceptable").anger).toBe(true);
    expect(sentiment("what the f*** is going on").anger).toBe(true);
    expect(sentiment("I'm not angry, just curious").anger).toBe(false);
    expect(sentiment("WHY HAS NOBODY CALLED ME BACK ABOUT MY CAR").anger).toBe(true);
    expect(sentiment("Thanks for the quick oil change").anger).toBe(false);
  });

  it("questions about price or hours stay neutral even with 'best' or 'good' in them", () => {
    expect(sentiment("Good morning, what's the best price on the Camry?").label).toBe("neutral");
    expect(sentiment("").label).toBe("neutral");
    expect(sentiment("").signals).toEqual([]);
  });

  it("words that name JavaScript internals are just words", () => {
    expect(sentiment("constructor toString hasOwnProperty great").score).toBe(sentiment("great").score);
  });

  it("scores a long e-mail quickly and the same way every time", () => {
    const long = LABELLED.map(([t]) => t).join(" ").repeat(5);
    expect(sentiment(long)).toEqual(sentiment(long));
  });
});
