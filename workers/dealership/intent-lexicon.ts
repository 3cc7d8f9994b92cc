/**
 * Cues for what a customer wants, each with the intent it points to and a weight
 * (1 = a hint, 3 = a clear ask, 4 = decisive). Longer phrases win over their words, so
 * "what time do you open" is an FAQ even though "what time" leans towards booking.
 */
import { lexicon } from "./text";

export const INTENTS = ["faq", "booking", "sales", "support", "escalation"] as const;
export type Intent = (typeof INTENTS)[number];
export type IntentCue = { intent: Intent; weight: number };

const CUES: Record<Intent, Record<string, number>> = {
  booking: {
    "test drive": 3, "test driving": 3, "test drove": 2, testdrive: 3, "drive it": 1.5, appointment: 3, appointments: 3, appt: 3,
    schedule: 2.5, scheduling: 2.5, reschedule: 3, book: 2, booking: 2, reserve: 1.5, "come in": 1.5, "come by": 1.5,
    "stop by": 1.5, "bring it in": 2, "drop it off": 2, "drop off": 1.5, "oil change": 2.5, "tire rotation": 2.5,
    "service visit": 3, maintenance: 1.5, "time slot": 2, slot: 1.5, "what time": 1, "are you available": 1.5, tomorrow: 0.5,
    today: 0.5, weekend: 0.5, monday: 0.5, tuesday: 0.5, wednesday: 0.5, thursday: 0.5, friday: 0.5, saturday: 0.5, sunday: 0.5,
    cita: 3, agendar: 3, programar: 2.5, "prueba de manejo": 3, manejarlo: 2, "cambio de aceite": 2.5, mantenimiento: 1.5,
    manana: 0.5, sabado: 0.5, domingo: 0.5,
  },
  sales: {
    price: 2.5, prices: 2.5, pricing: 2.5, priced: 2, quote: 3, "best price": 3, "out the door": 3.5, otd: 3.5, "trade in": 2.5,
    trade: 2, "trading in": 2.5, "financ*": 2.5, lease: 2.5, leasing: 2.5, "monthly payment": 3, "monthly payments": 3,
    payment: 1.5, payments: 1.5, apr: 2.5, "interest rate": 2, "down payment": 3, msrp: 2.5, "discount*": 2, "rebate*": 2.5,
    "incentive*": 2, deal: 1.5, "in stock": 2.5, available: 1.5, availability: 2, "still available": 3, inventory: 2,
    "for sale": 2, buy: 2, buying: 2, purchase: 2, "interested in": 2, "how much": 2.5, credit: 1.5, "pre approved": 2,
    preapproved: 2, "kelley blue book": 2, kbb: 2, "cash offer": 2.5, "sell my car": 2.5, "what colors": 1.5, precio: 2.5,
    precios: 2.5, "cuanto cuesta": 2.5, cotizacion: 3, financiamiento: 2.5, enganche: 3, mensualidad: 3, mensualidades: 3,
    pagos: 1.5, disponible: 2, comprar: 2, credito: 1.5, "a cuenta": 2,
  },
  support: {
    recall: 3, recalls: 3, warranty: 3, "extended warranty": 3, broken: 2, broke: 1.5, "check engine": 3.5, "engine light": 3,
    "warning light": 3, "light is on": 2, "light came on": 2.5, repair: 2, repairs: 2, repaired: 2, "repair status": 3.5,
    "status of my": 2.5, "still in the shop": 2.5, "be ready": 2.5, ready: 1, "not working": 2.5, "doesnt work": 2.5,
    "stopped working": 2.5, noise: 2, "leak*": 2, "wont start": 3, "wont turn on": 2.5, issue: 1, problem: 1, problems: 1,
    "under warranty": 3, covered: 1.5, "on order": 2, parts: 1.5, battery: 1.5, brakes: 1.5, transmission: 1.5, "defect*": 2,
    "service advisor": 2, diagnostic: 2, diagnosis: 2, garantia: 3, reparacion: 2.5, "no funciona": 3, "luz de motor": 3,
    descompuesto: 2.5, ruido: 2, falla: 2,
  },
  escalation: {
    manager: 3, "general manager": 3.5, supervisor: 3, owner: 2, lawyer: 4, attorney: 4, "legal action": 4, lawsuit: 4, sue: 4,
    suing: 4, complaint: 3, "file a complaint": 4, bbb: 4, "better business bureau": 4, refund: 3, "money back": 3,
    "attorney general": 4, "consumer protection": 4, "lemon law": 4, "speak to someone": 2, "in charge": 2, corporate: 2,
    "bad review": 2.5, "leave a review": 1, "ripped off": 2, scam: 2.5, "never again": 2, "still waiting": 1.5,
    abogado: 4, demanda: 3.5, demandar: 4, queja: 3, gerente: 3, reembolso: 3, devolucion: 2.5, "hablar con alguien": 2,
  },
  faq: {
    hours: 3, "what time do you open": 3.5, "what time do you close": 3.5, "when do you open": 3.5, "when do you close": 3.5,
    "are you open": 3, open: 1.5, closed: 1.5, location: 2.5, located: 2.5, address: 2.5, directions: 3, "where are you": 2.5,
    "how do i get": 2, parking: 2, documents: 2.5, "what do i need to bring": 3, "what should i bring": 3, paperwork: 2,
    "drivers license": 2, "proof of insurance": 2.5, shuttle: 2.5, loaner: 1.5, wifi: 2, "do you accept": 2, "do you offer": 1.5,
    "speak spanish": 2.5, horario: 3, horas: 2, "donde estan": 3, "donde se encuentran": 3, direccion: 2.5, ubicacion: 2.5,
    abren: 3, cierran: 3, documentos: 2.5, "que necesito": 2, "hablan espanol": 3,
  },
};

export const INTENT_CUES = lexicon<IntentCue>(
  INTENTS.flatMap((intent) => Object.entries(CUES[intent]).map(([phrase, weight]) => [phrase, { intent, weight }] as const)),
);
