/**
 * SSRF guard for every outbound call, first of all the EHR-supplied `fhirServer`: that URL comes from the
 * caller, so we refuse to let it point us at our own network (loopback, private ranges, link-local, cloud metadata) unless the host is
 * explicitly allow-listed (development / test servers). Checked twice: on the URL (literal IPs, which
 * skip DNS) and on every resolved address in undici's `connect.lookup` (which also stops DNS rebinding).
 */
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { LookupFunction } from 'node:net';
import { PbhError } from '../errors';

const blocked = new net.BlockList();
for (const [prefix, bits] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, incl. 169.254.169.254 cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved + broadcast
] as const) {
  blocked.addSubnet(prefix, bits, 'ipv4');
}
for (const [prefix, bits] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96], // NAT64 can reach IPv4 internals
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
  ['fd00:ec2::254', 128], // AWS IPv6 metadata
] as const) {
  blocked.addSubnet(prefix, bits, 'ipv6');
}

/** `::ffff:127.0.0.1` (and the hex form `::ffff:7f00:1`) reach IPv4 hosts: judge them as IPv4. */
export function unwrapMappedIpv4(ip: string): string {
  const lower = ip.toLowerCase().replace(/^\[|\]$/g, '');
  const dotted = /^(?:0{0,4}:){0,5}:?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1];
  const hex = /^(?:0{0,4}:){0,5}:?ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex) {
    const hi = parseInt(hex[1], 16);
    const lo = parseInt(hex[2], 16);
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return lower;
}

/** true for addresses a hook must never make us call: loopback, private, link-local, metadata, ... */
export function isForbiddenAddress(address: string): boolean {
  const ip = unwrapMappedIpv4(address);
  const family = net.isIP(ip);
  if (family === 4) return blocked.check(ip, 'ipv4');
  if (family === 6) return blocked.check(ip, 'ipv6');
  return true; // not an IP at all: refuse rather than guess
}

const normaliseHost = (host: string): string => host.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');

export function isAllowListed(host: string, allowedHosts: readonly string[]): boolean {
  if (allowedHosts.includes('*')) return true;
  const h = normaliseHost(host);
  return allowedHosts.some((a) => normaliseHost(a) === h || unwrapMappedIpv4(a) === unwrapMappedIpv4(h));
}

/**
 * The one outbound policy for every call this service makes (the EHR's FHIR server, the issuers' JWKS):
 * https when required (the production default), no credentials in the URL, and no loopback / private /
 * link-local / metadata address — by name, by literal IP, and (in `guardedLookup`) by every resolved
 * address — unless the host is on the explicit allow-list.
 */
export interface OutboundPolicy {
  requireHttps: boolean;
  allowedHosts: readonly string[];
}
/** the fhirServer policy is the outbound policy */
export type FhirServerPolicy = OutboundPolicy;

/** The policy from configuration: PBH_REQUIRE_HTTPS_FHIR (on in production) and PBH_FHIR_ALLOWED_HOSTS. */
export function outboundPolicy(config: { requireHttpsFhir: boolean; fhirAllowedHosts: readonly string[] }): OutboundPolicy {
  return { requireHttps: config.requireHttpsFhir, allowedHosts: config.fhirAllowedHosts };
}

/**
 * Why the policy refuses this URL (undefined: allowed, and `url` is set). WHATWG URL parsing already turns
 * numeric forms such as `http://2130706433/` or `http://0x7f.1/` into dotted IPv4, so literal-IP checks
 * see the real address.
 */
export function outboundUrlProblem(raw: string, policy: OutboundPolicy): { problem: string } | { url: URL } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { problem: 'not an absolute URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { problem: 'scheme must be http(s)' };
  if (url.username || url.password) return { problem: 'credentials in URL' };
  if (policy.requireHttps && url.protocol !== 'https:') return { problem: 'https is required' };
  const host = normaliseHost(url.hostname);
  if (isAllowListed(host, policy.allowedHosts)) return { url };
  if (host === 'localhost' || host.endsWith('.localhost')) return { problem: 'loopback host' };
  if (net.isIP(unwrapMappedIpv4(host)) && isForbiddenAddress(host)) return { problem: 'private or reserved address' };
  return { url };
}

/** Parse and check a fhirServer URL against the outbound policy (400 PBH_ERR_FHIR_SERVER_FORBIDDEN if refused). */
export function checkFhirServerUrl(raw: string, policy: FhirServerPolicy): URL {
  const checked = outboundUrlProblem(raw, policy);
  if ('problem' in checked) throw new PbhError('PBH_ERR_FHIR_SERVER_FORBIDDEN', checked.problem);
  return checked.url;
}

/**
 * A node:http(s) Agent for URLs the policy allowed (libraries that take an Agent, such as jose's remote
 * JWKS): its connections resolve names through `guardedLookup`, so a name that resolves — or later
 * re-resolves — to a forbidden address fails to connect.
 */
export function guardedAgent(url: URL, policy: OutboundPolicy): http.Agent {
  // no keep-alive: keys are fetched rarely (cached), and an idle socket would outlive the app
  const options = { lookup: guardedLookup(policy.allowedHosts), keepAlive: false };
  return url.protocol === 'https:' ? new https.Agent(options) : new http.Agent(options);
}

/**
 * A `lookup` for undici's connector that drops forbidden resolved addresses (unless the host is
 * allow-listed), so a public name that resolves — or later re-resolves — to an internal address fails.
 */
export function guardedLookup(allowedHosts: readonly string[]): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 4);
      const list = (addresses as dns.LookupAddress[]).filter(
        (a) => isAllowListed(hostname, allowedHosts) || !isForbiddenAddress(a.address),
      );
      if (list.length === 0) {
        const e = Object.assign(new Error('the host resolves only to forbidden addresses'), { code: 'PBH_SSRF_BLOCKED' });
        return callback(e, '', 4);
      }
      if ((options as dns.LookupOptions).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      callback(null, list[0].address, list[0].family);
    });
  };
}
