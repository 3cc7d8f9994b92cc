/**
 * SSRF: which webhook URLs are refused, under the production policy and the local one.
 */
import { describe, expect, it } from "vitest";
import { checkWebhookUrl, LOCAL_POLICY, parseIpv6, STRICT_POLICY, urlPolicyFor } from "../../workers/webhooks/url-policy";

const reason = (url: string, policy = STRICT_POLICY) => {
  const r = checkWebhookUrl(url, policy);
  return r.ok ? null : r.reason;
};

describe("production policy", () => {
  it.each([
    ["https://crm.example.com/hooks", "https://crm.example.com/hooks"],
    ["https://CRM.Example.com:8443/a?b=c", "https://crm.example.com:8443/a?b=c"],
    ["https://8.8.8.8/hook", "https://8.8.8.8/hook"],
    ["https://[2606:4700:4700::1111]/hook", "https://[2606:4700:4700::1111]/hook"],
  ])("allows public https %s", (url, normalised) => {
    const r = checkWebhookUrl(url, STRICT_POLICY);
    expect(r.ok && r.url.href).toBe(normalised);
  });

  it.each([
    ["http://crm.example.com/hooks", "webhook URLs must use https"],
    ["ftp://crm.example.com/", "scheme ftp: is not allowed; use https"],
    ["javascript:alert(1)", "scheme javascript: is not allowed; use https"],
    ["not a url", "not a valid absolute URL"],
    ["https://user:pw@crm.example.com/", "credentials in the URL are not allowed"],
    [`https://crm.example.com/${"a".repeat(2100)}`, "URL is longer than 2048 characters"],
  ])("refuses %s", (url, why) => {
    expect(reason(url)).toBe(why);
  });

  it.each([
    ["https://127.0.0.1/", "a loopback address"],
    ["https://127.1.2.3/", "a loopback address"],
    ["https://2130706433/", "a loopback address"], // decimal form of 127.0.0.1
    ["https://0x7f.0.0.1/", "a loopback address"],
    ["https://0.0.0.0/", "a 'this network' address"],
    ["https://10.1.2.3/", "a private address"],
    ["https://172.16.0.1/", "a private address"],
    ["https://172.31.255.255/", "a private address"],
    ["https://192.168.1.10/", "a private address"],
    ["https://100.64.0.1/", "a carrier-grade NAT address"],
    ["https://169.254.10.10/", "a link-local address"],
    ["https://224.0.0.1/", "a multicast address"],
    ["https://[::1]/", "a loopback address"],
    ["https://[::]/", "an unspecified address"],
    ["https://[fc00::1]/", "a unique-local IPv6 address"],
    ["https://[fd12:3456::1]/", "a unique-local IPv6 address"],
    ["https://[fe80::1]/", "a link-local IPv6 address"],
    ["https://[::ffff:127.0.0.1]/", "an IPv4-mapped IPv6 address"],
    ["https://[::ffff:8.8.8.8]/", "an IPv4-mapped IPv6 address"],
    ["https://[64:ff9b::a00:1]/", "a private address"], // NAT64 of 10.0.0.1
    ["https://[2002:c0a8:101::1]/", "a private address"], // 6to4 of 192.168.1.1
    ["https://localhost/", "a local host name"],
    ["https://api.localhost/", "a local host name"],
    ["https://printer.local/", "a local host name"],
    ["https://db.internal/", "a local host name"],
    ["https://localhost./", "a local host name"],
    ["https://intranet/", "a single-label host name"],
  ])("refuses the non-public target %s", (url, what) => {
    expect(reason(url)).toBe(`${new URL(url).hostname.replace(/\.$/, "")} is ${what}`);
  });

  it("allows the edges just outside private ranges", () => {
    for (const url of ["https://172.15.255.255/", "https://172.32.0.0/", "https://100.63.255.255/", "https://100.128.0.0/", "https://11.0.0.1/"]) {
      expect(reason(url), url).toBeNull();
    }
  });
});

describe("cloud metadata hosts", () => {
  it.each(["http://169.254.169.254/latest/meta-data/", "https://metadata.google.internal/computeMetadata/v1/", "http://metadata/", "http://169.254.170.2/v2/credentials", "http://100.100.100.200/", "http://[fd00:ec2::254]/"])(
    "refuses %s under both policies",
    (url) => {
      for (const policy of [STRICT_POLICY, LOCAL_POLICY]) expect(reason(url, policy)).toMatch(/is a cloud metadata address$/);
    },
  );
});

describe("development and test policy", () => {
  it("allows http and local receivers, for local partners and the simulator", () => {
    for (const url of ["http://127.0.0.1:8790/partner/x", "http://localhost:3000/hooks", "http://[::1]:8080/", "http://10.0.0.5/hooks", "https://crm.example.com/"]) {
      expect(reason(url, LOCAL_POLICY), url).toBeNull();
    }
  });

  it("still refuses what is never a webhook target", () => {
    expect(reason("ftp://127.0.0.1/", LOCAL_POLICY)).toBe("scheme ftp: is not allowed; use https");
    expect(reason("http://u:p@127.0.0.1/", LOCAL_POLICY)).toBe("credentials in the URL are not allowed");
  });

  it("is chosen only for development and test", () => {
    expect(urlPolicyFor("development")).toBe(LOCAL_POLICY);
    expect(urlPolicyFor("test")).toBe(LOCAL_POLICY);
    for (const e of ["production", "staging", "", "Development"]) expect(urlPolicyFor(e)).toBe(STRICT_POLICY);
  });
});

describe("parseIpv6", () => {
  it("expands compressed and dotted forms, and refuses malformed ones", () => {
    expect(parseIpv6("::1")).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    expect(parseIpv6("2001:db8::8:800:200c:417a")).toEqual([0x2001, 0xdb8, 0, 0, 8, 0x800, 0x200c, 0x417a]);
    expect(parseIpv6("::ffff:10.0.0.1")).toEqual([0, 0, 0, 0, 0, 0xffff, 0x0a00, 1]);
    for (const bad of ["1::2::3", "12345::", "1:2:3:4:5:6:7", "g::1", "::ffff:300.1.1.1"]) expect(parseIpv6(bad), bad).toBeNull();
  });
});
