/**
 * SSRF guard for the EHR-supplied `fhirServer`: the URL comes from the caller, so we refuse to let it
 * point us at our own network (loopback, private ranges, link-local, cloud metadata) unless the host is
 * explicitly allow-listed (development / test servers). Checked twice: on the URL (literal IPs, which
 * skip DNS) and on every resolved address in undici's `connect.lookup` (which also stops DNS rebinding).
 */
import dns from 'node:dns';
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

export interface FhirServerPolicy {
  requireHttps: boolean;
  allowedHosts: readonly string[];
}

/**
 * Parse and check a fhirServer URL. WHATWG URL parsing already turns numeric forms such as
 * `http://2130706433/` or `http://0x7f.1/` into dotted IPv4, so literal-IP checks see the real address.
 */
export function checkFhirServerUrl(raw: string, policy: FhirServerPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new PbhError('PBH_ERR_FHIR_SERVER_FORBIDDEN', 'not an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new PbhError('PBH_ERR_FHIR_SERVER_FORBIDDEN', 'scheme must be http(s)');
  }
  if (url.username || url.password) throw new PbhError('PBH_ERR_FHIR_SERVER_FORBIDDEN', 'credentials in URL');
  if (policy.requireHttps && url.protocol !== 'https:') {
    throw new PbhError('PBH_ERR_FHIR_SERVER_FORBIDDEN', 'https is required');
  }
  const host = normaliseHost(url.hostname);
  if (isAllowListed(host, policy.allowedHosts)) return url;
  if (host === 'localhost' || host.endsWith('.localhost')) {
    throw new PbhError('PBH_ERR_FHIR_SERVER_FORBIDDEN', 'loopback host');
  }
  if (net.isIP(unwrapMappedIpv4(host)) && isForbiddenAddress(host)) {
    throw new PbhError('PBH_ERR_FHIR_SERVER_FORBIDDEN', 'private or reserved address');
  }
  return url;
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
        const e = Object.assign(new Error('fhirServer resolves only to forbidden addresses'), { code: 'PBH_SSRF_BLOCKED' });
        return callback(e, '', 4);
      }
      if ((options as dns.LookupOptions).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      callback(null, list[0].address, list[0].family);
    });
  };
}
