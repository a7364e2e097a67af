/** SSRF guard: literal and numeric addresses, mapped IPv6, credentials, https, allow-list, DNS filter. */
import { checkFhirServerUrl, guardedLookup, isForbiddenAddress, unwrapMappedIpv4 } from '../../src/fhir/ssrf';

const strict = { requireHttps: true, allowedHosts: [] as string[] };
const code = (fn: () => unknown) => {
  try {
    fn();
    return 'allowed';
  } catch (e) {
    return (e as { code?: string }).code;
  }
};

test.each([
  'https://127.0.0.1/fhir',
  'https://2130706433/fhir', // 127.0.0.1 as one number
  'https://0x7f.1/fhir',
  'https://017700000001/fhir', // octal
  'https://[::1]/fhir',
  'https://[::ffff:127.0.0.1]/fhir',
  'https://[::ffff:a9fe:a9fe]/fhir', // 169.254.169.254 mapped
  'https://169.254.169.254/latest/meta-data',
  'https://10.1.2.3/fhir',
  'https://192.168.0.10/fhir',
  'https://172.20.0.1/fhir',
  'https://100.64.1.1/fhir',
  'https://0.0.0.0/fhir',
  'https://[fd00::1]/fhir',
  'https://[fe80::1]/fhir',
  'https://localhost/fhir',
  'https://api.localhost/fhir',
])('forbidden: %s', (url) => {
  expect(code(() => checkFhirServerUrl(url, strict))).toBe('PBH_ERR_FHIR_SERVER_FORBIDDEN');
});

test('credentials in the URL, non-http schemes and plain http (when https required) are refused', () => {
  expect(code(() => checkFhirServerUrl('https://user:pw@ehr.example.org/fhir', strict))).toBe('PBH_ERR_FHIR_SERVER_FORBIDDEN');
  expect(code(() => checkFhirServerUrl('file:///etc/passwd', strict))).toBe('PBH_ERR_FHIR_SERVER_FORBIDDEN');
  expect(code(() => checkFhirServerUrl('http://ehr.example.org/fhir', strict))).toBe('PBH_ERR_FHIR_SERVER_FORBIDDEN');
  expect(code(() => checkFhirServerUrl('not a url', strict))).toBe('PBH_ERR_FHIR_SERVER_FORBIDDEN');
});

test('public hosts and addresses are allowed; allow-listed private hosts too', () => {
  expect(checkFhirServerUrl('https://ehr.example.org/fhir/R4', strict).hostname).toBe('ehr.example.org');
  expect(code(() => checkFhirServerUrl('https://8.8.8.8/fhir', strict))).toBe('allowed');
  const dev = { requireHttps: false, allowedHosts: ['localhost', '127.0.0.1'] };
  expect(code(() => checkFhirServerUrl('http://127.0.0.1:8080/fhir', dev))).toBe('allowed');
  expect(code(() => checkFhirServerUrl('http://2130706433:8080/fhir', dev))).toBe('allowed'); // same address
  expect(code(() => checkFhirServerUrl('http://10.0.0.1/fhir', dev))).toBe('PBH_ERR_FHIR_SERVER_FORBIDDEN');
});

test('address classification', () => {
  expect(unwrapMappedIpv4('::ffff:7f00:1')).toBe('127.0.0.1');
  expect(unwrapMappedIpv4('[::ffff:10.0.0.1]')).toBe('10.0.0.1');
  expect(isForbiddenAddress('::ffff:10.0.0.1')).toBe(true);
  expect(isForbiddenAddress('93.184.216.34')).toBe(false);
  expect(isForbiddenAddress('2606:2800:220:1:248:1893:25c8:1946')).toBe(false);
  expect(isForbiddenAddress('not-an-ip')).toBe(true);
});

test('the connect-time lookup drops forbidden resolved addresses (DNS rebinding)', async () => {
  const lookup = guardedLookup([]);
  const err = await new Promise<NodeJS.ErrnoException | null>((resolve) => lookup('localhost', {}, (e) => resolve(e)));
  expect(err?.code).toBe('PBH_SSRF_BLOCKED');
  const allowed = guardedLookup(['localhost']);
  const addr = await new Promise<string>((resolve, reject) => allowed('localhost', {}, (e, a) => (e ? reject(e) : resolve(a as string))));
  expect(['127.0.0.1', '::1']).toContain(addr);
});
