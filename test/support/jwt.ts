/** Test CDS Client: an asymmetric key pair, a JWKS served over local HTTP, and a token signer. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';

export interface TestIssuer {
  iss: string;
  jwksUrl: string;
  kid: string;
  privateKey: KeyLike;
  /** sign a token; override claims/header freely (undefined removes a claim) */
  sign(opts: { aud: string; claims?: Record<string, unknown>; header?: Record<string, unknown>; key?: KeyLike }): Promise<string>;
  jwksRequests(): number;
  close(): Promise<void>;
}

export async function startTestIssuer(iss = 'https://ehr.example.org'): Promise<TestIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('ES384');
  const kid = randomUUID();
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'ES384', use: 'sig' };
  let requests = 0;
  const server = http.createServer((_req, res) => {
    requests++;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  return {
    iss,
    jwksUrl,
    kid,
    privateKey,
    async sign({ aud, claims = {}, header = {}, key }) {
      const now = Math.floor(Date.now() / 1000);
      const payload: Record<string, unknown> = { iss, sub: 'ehr-client', aud, iat: now, exp: now + 300, jti: randomUUID(), ...claims };
      for (const k of Object.keys(payload)) if (payload[k] === undefined) delete payload[k];
      // SignJWT sets claims from the payload as given (no automatic iat/exp)
      return new SignJWT(payload).setProtectedHeader({ alg: 'ES384', kid, typ: 'JWT', ...header } as never).sign(key ?? privateKey);
    },
    jwksRequests: () => requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** A JWT with alg "none" (no signature), hand-built since jose refuses to make one. */
export function unsecuredToken(payload: Record<string, unknown>): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.`;
}
