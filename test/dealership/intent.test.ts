import { describe, expect, it } from "vitest";
import { intent, INTENTS, type Intent } from "../../workers/dealership/intent";

/** Messages the way customers write them to dealerships, labelled by hand. */
const LABELLED: [string, Intent][] = [
  ["What are your hours on Sunday?", "faq"],
  ["Where are you located? I need directions from the airport.", "faq"],
  ["What documents do I need to bring to pick up my car?", "faq"],
  ["Do you have a shuttle or loaner cars while I wait?", "faq"],
  ["What time do you close tonight?", "faq"],
  ["¿Cuál es su horario el sábado?", "faq"],
  ["Can I schedule a test drive of the Highlander on Saturday?", "booking"],
  ["I need to book an oil change and tire rotation for next week.", "booking"],
  ["Is there an appointment available tomorrow morning for my 30k service?", "booking"],
  ["I'd like to reschedule my service appointment to Friday.", "booking"],
  ["Quiero agendar una cita para una prueba de manejo.", "booking"],
  ["Can I come in Thursday after work to drive it?", "booking"],
  ["What's the out the door price on the 2024 RAV4 XLE?", "sales"],
  ["Is the silver Camry on your website still available?", "sales"],
  ["How much would you give me for my trade in? It's a 2017 Civic with 60k miles.", "sales"],
  ["What lease deals do you have on the CR-V? I want a low monthly payment.", "sales"],
  ["I'm pre-approved with my credit union, can you beat 5.9% APR?", "sales"],
  ["¿Cuánto cuesta la Tacoma? Tengo $3,000 de enganche.", "sales"],
  ["Is there a recall on my 2019 Tacoma's airbags?", "support"],
  ["My check engine light came on, is it covered under warranty?", "support"],
  ["What's the repair status of my car? It's been in the shop since Monday.", "support"],
  ["There's a grinding noise from the brakes and the car won't start some mornings.", "support"],
  ["Mi carro no funciona, la luz de motor está prendida.", "support"],
  ["I want to speak to a manager right now.", "escalation"],
  ["If this isn't fixed I'm calling my lawyer and filing a complaint with the BBB.", "escalation"],
  ["This is ridiculous, I want a refund for the extended warranty.", "escalation"],
  ["You people are scammers, I'm leaving a bad review everywhere.", "escalation"],
  ["Quiero hablar con el gerente, esto es una estafa.", "escalation"],
  ["Nobody has called me back in 3 days. Unacceptable. Who is in charge there?", "escalation"],
  ["I'm going to report you to the attorney general under the lemon law.", "escalation"],
];

describe("intent on labelled dealership messages", () => {
  it("labels at least 90 % correctly", () => {
    const wrong = LABELLED.filter(([text, label]) => intent(text).intent !== label);
    expect(1 - wrong.length / LABELLED.length).toBeGreaterThanOrEqual(0.9);
    expect(wrong.map(([text]) => `${text} → ${intent(text).intent}`)).toEqual([]);
  });

  it("covers every intent and answers confidences in 0..1 with a score for each intent", () => {
    expect(new Set(LABELLED.map(([, l]) => l))).toEqual(new Set(INTENTS));
    for (const [text] of LABELLED) {
      const r = intent(text);
      expect(r.confidence).toBeGreaterThan(0);
      expect(r.confidence).toBeLessThanOrEqual(1);
      expect(Object.keys(r.scores).sort()).toEqual([...INTENTS].sort());
      expect(r.signals.length).toBeGreaterThan(0);
    }
  });
});

describe("intent rules", () => {
  it("ignores negated cues: 'I don't need financing, just the hours'", () => {
    const r = intent("I don't need financing, what are your hours?");
    expect(r.intent).toBe("faq");
    expect(r.scores.sales).toBe(0);
    expect(r.signals).toContain('ignored "financing" (negated by "dont")');
  });

  it("longer phrases win: 'what time do you open' is an FAQ, 'what time' alone leans to booking", () => {
    expect(intent("What time do you open?").intent).toBe("faq");
    expect(intent("What time works for a test drive?").intent).toBe("booking");
  });

  it("a decisive escalation cue wins even when another intent scores higher", () => {
    const r = intent("The transmission is broken again, the check engine light is on, the warranty should cover it, or my attorney will.");
    expect(r.scores.support).toBeGreaterThan(r.scores.escalation);
    expect(r.intent).toBe("escalation");
    expect(r.signals.at(-1)).toContain("escalation wins");
  });

  it("angry language adds to escalation; calm language does not", () => {
    const angry = intent("What the hell, my car is still not ready, this is bullshit");
    expect(angry.signals).toContain("escalation +2 angry language");
    expect(angry.intent).toBe("escalation");
    expect(intent("Is my car ready yet? Thanks").intent).toBe("support");
  });

  it("more evidence means more confidence; a split message means less", () => {
    const one = intent("Do you have the RAV4 in stock?").confidence;
    const many = intent("Do you have the RAV4 in stock? What's the out the door price, and can I lease it?").confidence;
    const split = intent("What's the price, and can I schedule a test drive?").confidence;
    expect(many).toBeGreaterThan(one);
    expect(split).toBeLessThan(many);
  });

  it("a message with no cues is a general question with zero confidence", () => {
    expect(intent("ok")).toEqual({ intent: "faq", confidence: 0, signals: ["no cues found: treated as a general question"], scores: { faq: 0, booking: 0, sales: 0, support: 0, escalation: 0 } });
    expect(intent("").confidence).toBe(0);
  });

  it("a tie goes to the intent that needs a person sooner", () => {
    const r = intent("recall appointment");
    expect(r.scores.support).toBe(r.scores.booking);
    expect(r.intent).toBe("support");
  });
});
