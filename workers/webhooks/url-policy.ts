/**
 * Which URLs the platform will POST webhooks to. A pure function of the URL and a policy:
 * outside development and test, only https to public addresses; cloud metadata hosts are
 * refused everywhere. Names are checked as written; Cloudflare's fetch itself refuses
 * private addresses a public name resolves to, which covers DNS rebinding in production.
 */

export type UrlPolicy = {
  /** Plain http allowed (local receivers). */
  allowHttp: boolean;
  /** Loopback, private, link-local, CGNAT and unique-local targets allowed. */
  allowPrivate: boolean;
};

export const STRICT_POLICY: UrlPolicy = { allowHttp: false, allowPrivate: false };
export const LOCAL_POLICY: UrlPolicy = { allowHttp: true, allowPrivate: true };

/** The policy for an ENVIRONMENT value: relaxed only for development and test. */
export function urlPolicyFor(environment: string): UrlPolicy {
  return environment === "development" || environment === "test" ? LOCAL_POLICY : STRICT_POLICY;
}

export type UrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

const METADATA_HOSTS = new Set(["metadata", "metadata.google.internal", "instance-data", "instance-data.ec2.internal", "169.254.169.254", "169.254.170.2", "100.100.100.200", "[fd00:ec2::254]"]);
const LOCAL_SUFFIXES = [".localhost", ".local", ".internal", ".localdomain", ".home.arpa"];

type Range = readonly [base: number, bits: number, label: string];

const ip4 = (a: number, b: number, c: number, d: number) => ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;

const IPV4_BLOCKED: Range[] = [
  [ip4(0, 0, 0, 0), 8, "a 'this network' address"],
  [ip4(10, 0, 0, 0), 8, "a private address"],
  [ip4(100, 64, 0, 0), 10, "a carrier-grade NAT address"],
  [ip4(127, 0, 0, 0), 8, "a loopback address"],
  [ip4(169, 254, 0, 0), 16, "a link-local address"],
  [ip4(172, 16, 0, 0), 12, "a private address"],
  [ip4(192, 0, 0, 0), 24, "a reserved address"],
  [ip4(192, 0, 2, 0), 24, "a documentation address"],
  [ip4(192, 168, 0, 0), 16, "a private address"],
  [ip4(198, 18, 0, 0), 15, "a benchmarking address"],
  [ip4(198, 51, 100, 0), 24, "a documentation address"],
  [ip4(203, 0, 113, 0), 24, "a documentation address"],
  [ip4(224, 0, 0, 0), 4, "a multicast address"],
  [ip4(240, 0, 0, 0), 4, "a reserved address"],
];

function parseIpv4(host: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  const [a = 0, b = 0, c = 0, d = 0] = parts;
  return ip4(a, b, c, d);
}

function inRange(addr: number, [base, bits]: Range): boolean {
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return (addr & mask) >>> 0 === (base & mask) >>> 0;
}

/** Why an IPv4 address is not public, or null when it is. */
export function classifyIpv4(addr: number): string | null {
  return IPV4_BLOCKED.find((r) => inRange(addr, r))?.[2] ?? null;
}

/** Expands an IPv6 literal (no brackets) into eight 16-bit groups; null if malformed. */
export function parseIpv6(text: string): number[] | null {
  let s = text.toLowerCase();
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (tail?.[1]) {
    const v4 = parseIpv4(tail[1]);
    if (v4 === null) return null;
    s = `${s.slice(0, -tail[1].length)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const halves = s.split("::");
  if (halves.length > 2) return null;
  const groups = (h: string | undefined) => (h ? h.split(":") : []);
  const head = groups(halves[0]);
  const rest = groups(halves[1]);
  const fill = halves.length === 2 ? 8 - head.length - rest.length : 0;
  if (fill < 0 || (halves.length === 1 && head.length !== 8)) return null;
  const all = [...head, ...Array<string>(fill).fill("0"), ...rest];
  if (all.length !== 8 || all.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return null;
  return all.map((g) => parseInt(g, 16));
}

/** Why an IPv6 address is not public, or null when it is. */
export function classifyIpv6(g: number[]): string | null {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const embedded = ((g6 << 16) | g7) >>> 0;
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0) {
    if (g5 === 0xffff) return "an IPv4-mapped IPv6 address";
    if (g5 === 0) return g6 === 0 && g7 <= 1 ? (g7 === 1 ? "a loopback address" : "an unspecified address") : "an IPv4-compatible IPv6 address";
  }
  if ((g0 & 0xfe00) === 0xfc00) return "a unique-local IPv6 address";
  if ((g0 & 0xffc0) === 0xfe80 || (g0 & 0xffc0) === 0xfec0) return "a link-local IPv6 address";
  if ((g0 & 0xff00) === 0xff00) return "a multicast address";
  if (g0 === 0x2001 && g1 === 0x0db8) return "a documentation address";
  if (g0 === 0x0100 && g1 === 0 && g2 === 0 && g3 === 0) return "a discard-only address";
  // NAT64 and 6to4 carry an IPv4 address that is what the packet really reaches.
  if (g0 === 0x0064 && g1 === 0xff9b) return classifyIpv4(embedded);
  if (g0 === 0x2002) return classifyIpv4(((g1 << 16) | g2) >>> 0);
  return null;
}

/** Why a host name is local, or null when it may be public. */
function classifyName(host: string): string | null {
  if (host === "localhost" || LOCAL_SUFFIXES.some((s) => host.endsWith(s))) return "a local host name";
  if (!host.includes(".")) return "a single-label host name";
  return null;
}

function hostProblem(host: string): string | null {
  if (host.startsWith("[")) {
    const groups = parseIpv6(host.slice(1, -1));
    return groups ? classifyIpv6(groups) : "a malformed IPv6 address";
  }
  const v4 = parseIpv4(host);
  return v4 === null ? classifyName(host) : classifyIpv4(v4);
}

/** Checks a webhook target URL against `policy`; says why when it is refused. */
export function checkWebhookUrl(raw: string, policy: UrlPolicy): UrlCheck {
  if (raw.length > 2048) return { ok: false, reason: "URL is longer than 2048 characters" };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: "not a valid absolute URL" };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, reason: `scheme ${url.protocol} is not allowed; use https` };
  if (url.username || url.password) return { ok: false, reason: "credentials in the URL are not allowed" };
  // WHATWG URL has already lower-cased the host and turned numeric forms (0x7f.1, 2130706433) into dotted IPv4.
  const host = url.hostname.replace(/\.$/, "");
  if (METADATA_HOSTS.has(host)) return { ok: false, reason: `${host} is a cloud metadata address` };
  if (url.protocol === "http:" && !policy.allowHttp) return { ok: false, reason: "webhook URLs must use https" };
  const problem = hostProblem(host);
  if (problem && !policy.allowPrivate) return { ok: false, reason: `${host} is ${problem}` };
  return { ok: true, url };
}
