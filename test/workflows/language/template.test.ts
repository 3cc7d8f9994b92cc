import { describe, expect, it } from "vitest";
import { stepErrorOf } from "../../../workers/workflows/steps/errors";
import { readPath, renderTemplate, TemplateError, templatePaths } from "../../../workers/workflows/template";

const data = {
  input: {
    leadId: "lead_1",
    customer: { name: "dana reyes", email: "dana@example.com", phone: null, empty: "" },
    vehicles: [
      { year: 2024, make: "Toyota", model: "RAV4" },
      { year: 2019, make: "Honda", model: "Civic" },
    ],
    count: 3,
    urgent: true,
    "first-visit": "yes",
    "odd key": 1,
    requestedAt: "2025-03-14T15:30:00Z",
  },
  steps: { draft: { text: "Hi Dana" }, score: { score: 82, grade: "hot" } },
  run: { id: "run_1", workflowId: "wf_1", version: 2, startedAt: 1_741_966_200_000 },
  tenant: { id: "ten_1", name: "Sunrise Toyota", timezone: "America/Chicago" },
};

function errorOf(template: string, d: unknown = data): TemplateError {
  try {
    renderTemplate(template, d);
  } catch (e) {
    if (e instanceof TemplateError) return e;
    throw e;
  }
  throw new Error(`expected a TemplateError for ${template}`);
}

describe("renderTemplate: paths and types", () => {
  it("keeps the value's type when the string is exactly one template", () => {
    expect(renderTemplate("{{ input.count }}", data)).toBe(3);
    expect(renderTemplate("{{input.urgent}}", data)).toBe(true);
    expect(renderTemplate("{{ input.customer.phone }}", data)).toBeNull();
    expect(renderTemplate("{{ input.vehicles[0] }}", data)).toEqual({ year: 2024, make: "Toyota", model: "RAV4" });
    expect(renderTemplate("{{ input.missing }}", data)).toBeUndefined();
  });

  it("stringifies inside longer text: objects as JSON, null and missing as empty", () => {
    expect(renderTemplate("Score {{ steps.score.score }}/100", data)).toBe("Score 82/100");
    expect(renderTemplate("v={{ input.vehicles[1] }}", data)).toBe('v={"year":2019,"make":"Honda","model":"Civic"}');
    expect(renderTemplate("[{{ input.customer.phone }}][{{ input.nope.deeper }}]", data)).toBe("[][]");
    expect(renderTemplate(" {{ input.count }}", data)).toBe(" 3");
    expect(renderTemplate("{{ input.urgent }}{{ input.count }}", data)).toBe("true3");
  });

  it("reads [n] indexes, negative indexes, dotted digits, quoted keys, hyphenated names and length", () => {
    expect(renderTemplate("{{ input.vehicles[1].make }}", data)).toBe("Honda");
    expect(renderTemplate("{{ input.vehicles[-1].model }}", data)).toBe("Civic");
    expect(renderTemplate("{{ input.vehicles.0.model }}", data)).toBe("RAV4");
    expect(renderTemplate('{{ input["odd key"] }}', data)).toBe(1);
    expect(renderTemplate("{{ input.first-visit }}", data)).toBe("yes");
    expect(renderTemplate("{{ input.vehicles.length }}", data)).toBe(2);
    expect(renderTemplate("{{ steps.draft.text.length }}", data)).toBe(7);
    expect(renderTemplate("{{ input.vehicles[5].make }}", data)).toBeUndefined();
  });

  it("never reads inherited properties", () => {
    expect(renderTemplate("{{ input.constructor }}", data)).toBeUndefined();
    expect(renderTemplate("{{ input.__proto__ }}", data)).toBeUndefined();
    expect(renderTemplate("{{ input.customer.toString }}", data)).toBeUndefined();
  });

  it("walks objects and arrays, leaving keys and non-strings alone", () => {
    const rendered = renderTemplate({ "{{ input.leadId }}": "{{ input.leadId }}", list: ["{{ input.count }}", 4, null, false], n: 1 }, data);
    expect(rendered).toEqual({ "{{ input.leadId }}": "lead_1", list: [3, 4, null, false], n: 1 });
  });

  it("keeps a __proto__ key as a plain key", () => {
    const rendered = renderTemplate(JSON.parse('{"__proto__": {"polluted": "{{ input.leadId }}"}}'), data);
    expect(Object.keys(rendered as object)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(rendered)).toBe(Object.prototype);
    expect(JSON.stringify(rendered)).toBe('{"__proto__":{"polluted":"lead_1"}}');
  });

  it("does not render templates that arrive inside the data", () => {
    const d = { input: { comments: "{{ tenant.id }} please" }, tenant: { id: "ten_secret" } };
    expect(renderTemplate("Customer wrote: {{ input.comments }}", d)).toBe("Customer wrote: {{ tenant.id }} please");
    expect(renderTemplate("{{ input.comments }}", d)).toBe("{{ tenant.id }} please");
  });

  it("leaves text without templates, and stray closing braces, as written", () => {
    expect(renderTemplate("no templates }} here {", data)).toBe("no templates }} here {");
    expect(renderTemplate('{{ "{{" }} literal', data)).toBe("{{ literal");
  });
});

describe("renderTemplate: filters", () => {
  it("default applies to missing, null and empty values only", () => {
    expect(renderTemplate('{{ input.missing | default: "there" }}', data)).toBe("there");
    expect(renderTemplate('{{ input.customer.phone | default: "n/a" }}', data)).toBe("n/a");
    expect(renderTemplate('{{ input.customer.empty | default: "none" }}', data)).toBe("none");
    expect(renderTemplate("{{ input.missing | default: 0 }}", data)).toBe(0);
    expect(renderTemplate('{{ input.count | default: "x" }}', data)).toBe(3);
    expect(renderTemplate("{{ input.urgent | default: false }}", data)).toBe(true);
  });

  it("json, upper, lower, trim, first_name and truncate", () => {
    expect(renderTemplate("{{ input.vehicles[0] | json }}", data)).toBe('{"year":2024,"make":"Toyota","model":"RAV4"}');
    expect(renderTemplate("{{ input.missing | json }}", data)).toBe("null");
    expect(renderTemplate("{{ input.vehicles[0].make | upper }}", data)).toBe("TOYOTA");
    expect(renderTemplate("{{ input.vehicles[0].model | lower }}", data)).toBe("rav4");
    expect(renderTemplate("[{{ 'padded  ' | trim }}]", data)).toBe("[padded]");
    expect(renderTemplate("Hi {{ input.customer.name | first_name }},", data)).toBe("Hi Dana,");
    expect(renderTemplate("{{ 'Reyes, Dana' | first_name }}", data)).toBe("Dana");
    expect(renderTemplate("{{ 'Mr. JOHN SMITH' | first_name }}", data)).toBe("John");
    expect(renderTemplate("{{ 'McKenzie Hall' | first_name }}", data)).toBe("McKenzie");
    expect(renderTemplate("{{ input.missing | first_name | default: 'there' }}", data)).toBe("there");
    expect(renderTemplate("{{ 'Thanks for your interest' | truncate: 10 }}", data)).toBe("Thanks fo…");
    expect(renderTemplate("{{ 'short' | truncate: 10 }}", data)).toBe("short");
    expect(renderTemplate("{{ '🚗🚗🚗🚗' | truncate: 3 }}", data)).toBe("🚗🚗…");
  });

  it("date: ISO by default or long US English, from ISO strings or epoch ms, in UTC", () => {
    expect(renderTemplate("{{ run.startedAt | date }}", data)).toBe("2025-03-14T15:30:00.000Z");
    expect(renderTemplate('{{ input.requestedAt | date: "long" }}', data)).toBe("March 14, 2025");
    expect(renderTemplate('{{ run.startedAt | date: "iso" }}', data)).toBe("2025-03-14T15:30:00.000Z");
    expect(renderTemplate('{{ input.missing | date | default: "soon" }}', data)).toBe("soon");
  });

  it("chains filters left to right", () => {
    expect(renderTemplate("{{ input.customer.name | first_name | upper | truncate: 3 }}", data)).toBe("DA…");
  });
});

describe("renderTemplate: errors", () => {
  it.each([
    ["Hi {{ input.name", "unclosed {{", 3],
    ["Hi {{ }}", "empty {{ }}", 6],
    ["{{ input.name | shout }}", 'unknown filter "shout"', 16],
    ["{{ input.name | constructor }}", 'unknown filter "constructor"', 16],
    ["{{ input..name }}", "expected a name", 9],
    ["{{ input.vehicles[x] }}", 'expected [n] or ["key"]', 18],
    ["{{ input.name extra }}", 'unexpected "e"', 14],
    ["{{ input.n | truncate }}", 'filter "truncate" takes 1 argument(s)', 13],
    ["{{ input.n | truncate: 0 }}", "truncate needs a whole number of characters, at least 1", 13],
    ['{{ input.n | date: "short" }}', 'date takes "iso" or "long"', 13],
    ["{{ input.n | default: bare }}", 'filter "default" expects a quoted string, a number, true, false or null', 22],
    ["{{ input.n | upper: 1 }}", 'filter "upper" takes 0 argument(s)', 13],
  ])("%s → %s", (template, reason, position) => {
    const err = errorOf(template);
    expect(err.reason).toBe(reason);
    expect(err.position).toBe(position);
    expect(err.template).toBe(template);
    expect(err.message).toContain(`at position ${position}`);
  });

  it("reports a value the date filter cannot read", () => {
    const err = errorOf("{{ input.customer.name | date }}");
    expect(err.reason).toBe('date cannot read "dana reyes" as a date');
  });

  it("is a permanent step failure, so the engine does not retry it", () => {
    expect(stepErrorOf(errorOf("{{ nope"))).toMatchObject({ code: "invalid_template", retryable: false });
  });

  it("fails the same way every time (the compiled form is cached)", () => {
    expect(errorOf("{{ input.x | nope }}").reason).toBe('unknown filter "nope"');
    expect(errorOf("{{ input.x | nope }}").reason).toBe('unknown filter "nope"');
  });

  it("shows an excerpt around the problem for long templates", () => {
    const err = errorOf(`${"x".repeat(300)}{{ bad | nope }}${"y".repeat(300)}`);
    expect(err.message.length).toBeLessThan(250);
    expect(err.message).toContain("nope");
  });
});

describe("templatePaths", () => {
  it("lists every path read, once, in canonical form", () => {
    const def = {
      prompt: "Hi {{ input.customer.name | first_name }}, about the {{ input.vehicles.0.model }} ({{ steps.score.score }})",
      to: "{{ input.customer.email }}",
      nested: [{ x: "{{ steps.draft.text }}" }, "{{ steps.score.score }}", '{{ input["odd key"] }}', '{{ "literal" }}'],
      n: 5,
    };
    expect(templatePaths(def)).toEqual(["input.customer.name", "input.vehicles[0].model", "steps.score.score", "input.customer.email", "steps.draft.text", 'input["odd key"]']);
  });

  it("throws TemplateError for malformed templates", () => {
    expect(() => templatePaths({ a: "{{ steps.x | nope }}" })).toThrow(TemplateError);
  });
});

describe("readPath", () => {
  it("reads a path like templates do, and refuses anything else", () => {
    expect(readPath(data, "steps.score.grade")).toBe("hot");
    expect(readPath(data, "input.vehicles[1].model")).toBe("Civic");
    expect(() => readPath(data, "steps.score | upper")).toThrow(TemplateError);
    expect(() => readPath(data, "steps..x")).toThrow(TemplateError);
  });
});
