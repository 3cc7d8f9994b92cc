/**
 * `{{ path | filter: "arg" }}` templates over a run's data. Only strings written in the
 * definition are templates: values pulled in from the data are never rendered again, so a
 * customer who types "{{ tenant.id }}" into a form gets those characters back, nothing more.
 * Each distinct string is compiled once (cached per isolate); rendering is a walk, no eval.
 */
import { StepFailure } from "./steps/errors";

type Literal = string | number | boolean | null;
type Segment = string | number;
type Filter = { name: string; args: Literal[]; at: number };
type Expr = { path: Segment[] | null; literal: Literal; filters: Filter[] };
type Compiled = { parts: (string | Expr)[]; whole: Expr | null };

/** A malformed template, an unknown filter, or a value a filter cannot take. Never worth a retry. */
export class TemplateError extends StepFailure {
  constructor(
    readonly template: string,
    readonly position: number,
    readonly reason: string,
  ) {
    super("invalid_template", `${reason} at position ${position} of template ${JSON.stringify(excerpt(template, position))}`, false);
    this.name = "TemplateError";
  }
}

function excerpt(template: string, position: number): string {
  if (template.length <= 120) return template;
  const from = Math.max(0, position - 50);
  return `${from > 0 ? "…" : ""}${template.slice(from, from + 100)}…`;
}

const LONG_DATE = new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeZone: "UTC" });

function asText(v: unknown): string {
  if (v === undefined || v === null) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return JSON.stringify(v) ?? "";
}

function firstName(v: unknown): string {
  const words = asText(v).trim();
  // "Reyes, Dana" is how many CRMs and ADF feeds write a full name.
  const ordered = words.includes(",") ? words.slice(words.indexOf(",") + 1) : words;
  const parts = ordered.split(/\s+/).filter((w) => w && !/^(mr|mrs|ms|miss|dr|sr|sra|srta|prof)\.?$/i.test(w));
  const first = parts[0] ?? "";
  const cased = first === first.toUpperCase() || first === first.toLowerCase();
  return cased ? first.charAt(0).toUpperCase() + first.slice(1).toLowerCase() : first;
}

function truncate(v: unknown, n: number): string {
  const chars = Array.from(asText(v));
  return chars.length <= n ? chars.join("") : `${chars.slice(0, n - 1).join("").trimEnd()}…`;
}

type FilterSpec = { args: [number, number]; check?: (args: Literal[]) => string | null; apply: (v: unknown, args: Literal[], t: string, pos: number) => unknown };

const FILTERS: Record<string, FilterSpec> = {
  default: { args: [1, 1], apply: (v, [d]) => (v === undefined || v === null || v === "" ? d : v) },
  json: { args: [0, 0], apply: (v) => JSON.stringify(v ?? null) },
  upper: { args: [0, 0], apply: (v) => asText(v).toUpperCase() },
  lower: { args: [0, 0], apply: (v) => asText(v).toLowerCase() },
  trim: { args: [0, 0], apply: (v) => asText(v).trim() },
  first_name: { args: [0, 0], apply: firstName },
  truncate: {
    args: [1, 1],
    check: ([n]) => (typeof n === "number" && Number.isInteger(n) && n >= 1 ? null : "truncate needs a whole number of characters, at least 1"),
    apply: (v, [n]) => truncate(v, Number(n)),
  },
  date: {
    args: [0, 1],
    check: ([f]) => (f === undefined || f === "iso" || f === "long" ? null : 'date takes "iso" or "long"'),
    apply: (v, [f], t, pos) => formatDate(v, f === "long" ? "long" : "iso", t, pos),
  },
};

function formatDate(v: unknown, format: "iso" | "long", template: string, pos: number): unknown {
  if (v === undefined || v === null || v === "") return v;
  const d = typeof v === "number" || typeof v === "string" ? new Date(v) : null;
  if (!d || Number.isNaN(d.getTime())) throw new TemplateError(template, pos, `date cannot read ${JSON.stringify(v)} as a date`);
  return format === "long" ? LONG_DATE.format(d) : d.toISOString();
}

const NAME = /[A-Za-z_$](?:[\w$]|-(?=[\w$]))*/y;
const STRING = /"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'/y;
const NUMBER = /-?\d+(?:\.\d+)?(?![\w.])/y;
const KEYWORD = /(true|false|null)(?![\w$-])/y;
const DIGITS = /\d+/y;
const SPACE = /\s*/y;

// A cursor over one template string; every error it raises carries the position.
class Parser {
  i = 0;
  constructor(readonly s: string) {}
  fail(reason: string, at = this.i): never {
    throw new TemplateError(this.s, at, reason);
  }
  match(re: RegExp): RegExpExecArray | null {
    re.lastIndex = this.i;
    const m = re.exec(this.s);
    if (m) this.i += m[0].length;
    return m;
  }
  eat(token: string): boolean {
    this.match(SPACE);
    if (!this.s.startsWith(token, this.i)) return false;
    this.i += token.length;
    return true;
  }
  word(): string {
    return this.match(NAME)?.[0] ?? this.fail("expected a name");
  }
  literal(): Literal | undefined {
    this.match(SPACE);
    const str = this.match(STRING);
    if (str) return (str[1] ?? str[2] ?? "").replace(/\\(.)/g, "$1");
    const num = this.match(NUMBER);
    if (num) return Number(num[0]);
    const word = this.match(KEYWORD);
    return word ? (word[1] === "null" ? null : word[1] === "true") : undefined;
  }
  path(): Segment[] {
    const segs: Segment[] = [this.word()];
    for (;;) {
      if (this.s[this.i] === ".") {
        this.i++;
        segs.push(this.match(DIGITS)?.[0] ?? this.word());
      } else if (this.s[this.i] === "[") {
        const at = ++this.i;
        const key = this.literal();
        if (!(typeof key === "string" || (typeof key === "number" && Number.isInteger(key))) || !this.eat("]")) this.fail('expected [n] or ["key"]', at);
        segs.push(key);
      } else return segs;
    }
  }
  filter(): Filter {
    this.match(SPACE);
    const at = this.i;
    const name = this.word();
    const spec = Object.hasOwn(FILTERS, name) ? FILTERS[name] : undefined;
    if (!spec) this.fail(`unknown filter "${name}"`, at);
    const args: Literal[] = [];
    if (this.eat(":")) {
      do {
        const arg = this.literal();
        if (arg === undefined) this.fail(`filter "${name}" expects a quoted string, a number, true, false or null`);
        args.push(arg);
      } while (this.eat(","));
    }
    const [min, max] = spec.args;
    if (args.length < min || args.length > max) this.fail(`filter "${name}" takes ${min === max ? min : `${min} to ${max}`} argument(s)`, at);
    const problem = spec.check?.(args);
    if (problem) this.fail(problem, at);
    return { name, args, at };
  }
  // One `{{ … }}` opened at `open`; `this.i` points just after the braces.
  expr(open: number): Expr {
    this.match(SPACE);
    if (this.s.startsWith("}}", this.i)) this.fail("empty {{ }}");
    const literal = this.literal();
    const path = literal === undefined ? this.path() : null;
    const filters: Filter[] = [];
    while (this.eat("|")) filters.push(this.filter());
    if (!this.eat("}}")) this.fail(this.i >= this.s.length ? "unclosed {{" : `unexpected ${JSON.stringify(this.s[this.i])}`, this.i >= this.s.length ? open : this.i);
    return { path, literal: literal ?? null, filters };
  }
}

function compile(template: string): Compiled {
  const p = new Parser(template);
  const parts: (string | Expr)[] = [];
  let text = 0;
  for (let open = template.indexOf("{{"); open !== -1; open = template.indexOf("{{", p.i)) {
    if (open > text) parts.push(template.slice(text, open));
    p.i = open + 2;
    parts.push(p.expr(open));
    text = p.i;
  }
  if (text < template.length) parts.push(template.slice(text));
  const only = parts.length === 1 ? parts[0] : undefined;
  return { parts, whole: typeof only === "object" ? only : null };
}

const CACHE_LIMIT = 5_000;
const cache = new Map<string, Compiled | TemplateError>();

function compiled(template: string): Compiled {
  let entry = cache.get(template);
  if (!entry) {
    try {
      entry = compile(template);
    } catch (e) {
      if (!(e instanceof TemplateError)) throw e;
      entry = e;
    }
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(template, entry);
  }
  if (entry instanceof TemplateError) throw entry;
  return entry;
}

// The value at `segs` in `data`: own properties only, [n] on arrays (negative counts from the end), `length` of arrays and strings.
function lookup(data: unknown, segs: readonly Segment[]): unknown {
  let cur = data;
  for (const seg of segs) {
    if (Array.isArray(cur) || typeof cur === "string") {
      const n = typeof seg === "number" ? seg : /^\d+$/.test(seg) ? Number(seg) : Number.NaN;
      if (seg === "length") cur = cur.length;
      else if (Array.isArray(cur) && Number.isInteger(n)) cur = cur[n < 0 ? cur.length + n : n];
      else return undefined;
    } else if (cur !== null && typeof cur === "object" && Object.hasOwn(cur, String(seg))) {
      cur = (cur as Record<string, unknown>)[String(seg)];
    } else return undefined;
  }
  return cur;
}

function evaluate(e: Expr, data: unknown, template: string): unknown {
  let v = e.path ? lookup(data, e.path) : e.literal;
  for (const f of e.filters) v = FILTERS[f.name]?.apply(v, f.args, template, f.at);
  return v;
}

function renderString(template: string, data: unknown): unknown {
  if (!template.includes("{{")) return template;
  const c = compiled(template);
  if (c.whole) return evaluate(c.whole, data, template);
  let out = "";
  for (const part of c.parts) out += typeof part === "string" ? part : asText(evaluate(part, data, template));
  return out;
}

/**
 * Renders every string in a JSON value against `data`. A string that is exactly one
 * `{{ … }}` keeps the value's type (object, number, null; undefined when missing); inside
 * longer text, objects become JSON and null or missing values become "". Object keys are
 * not templates. Throws TemplateError for malformed templates and unknown filters.
 */
export function renderTemplate(value: unknown, data: unknown): unknown {
  if (typeof value === "string") return renderString(value, data);
  if (Array.isArray(value)) return value.map((v) => renderTemplate(v, data));
  // fromEntries defines own properties, so a "__proto__" key stays a key.
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderTemplate(v, data)]));
  return value;
}

function pathText(segs: readonly Segment[]): string {
  return segs.map((s, i) => (typeof s === "number" ? `[${s}]` : /^[A-Za-z_$][\w$-]*$/.test(s) ? `${i ? "." : ""}${s}` : /^\d+$/.test(s) ? `[${s}]` : `[${JSON.stringify(s)}]`)).join("");
}

function collect(value: unknown, into: Set<string>): void {
  if (typeof value === "string") {
    if (!value.includes("{{")) return;
    for (const part of compiled(value).parts) if (typeof part === "object" && part.path) into.add(pathText(part.path));
  } else if (Array.isArray(value)) for (const v of value) collect(v, into);
  else if (value !== null && typeof value === "object") for (const v of Object.values(value)) collect(v, into);
}

/** Every data path the templates in `value` read, e.g. `steps.draft.text`, `input.vehicles[0].make`; throws TemplateError like renderTemplate. */
export function templatePaths(value: unknown): string[] {
  const into = new Set<string>();
  collect(value, into);
  return [...into];
}

/** The value at a dotted path (`steps.score.score`, `input.vehicles[0].make`), as templates read it. */
export function readPath(data: unknown, path: string): unknown {
  const c = compiled(`{{ ${path} }}`);
  if (!c.whole?.path || c.whole.filters.length) throw new TemplateError(path, 0, "expected a path such as steps.score.score");
  return lookup(data, c.whole.path);
}
