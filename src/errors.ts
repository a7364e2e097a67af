/**
 * One catalogue of the errors this service can answer with (Fastify's lib/errors.js style): a stable
 * code an integration engineer can look up in the README, its HTTP status, and a safe message. Messages
 * never echo request content (it may carry PHI).
 */
export interface ErrorDefinition {
  code: string;
  statusCode: number;
  message: string;
}

const define = <T extends Record<string, Omit<ErrorDefinition, 'code'>>>(defs: T) =>
  Object.fromEntries(Object.entries(defs).map(([code, d]) => [code, { code, ...d }])) as {
    [K in keyof T]: ErrorDefinition;
  };

export const Errors = define({
  PBH_ERR_VALIDATION: { statusCode: 400, message: 'The request body does not match the schema' },
  PBH_ERR_BAD_REQUEST: { statusCode: 400, message: 'The request could not be processed' },
  PBH_ERR_BAD_URL: { statusCode: 400, message: 'The request URL is malformed' },
  PBH_ERR_BAD_JSON: { statusCode: 400, message: 'The request body is not valid JSON' },
  PBH_ERR_JSON_TOO_DEEP: { statusCode: 400, message: 'The request body is nested too deeply' },
  PBH_ERR_HOOK_MISMATCH: { statusCode: 400, message: 'This service does not handle that hook' },
  PBH_ERR_CONTEXT_INVALID: { statusCode: 400, message: 'The hook context is invalid' },
  PBH_ERR_FHIR_SERVER_FORBIDDEN: { statusCode: 400, message: 'fhirServer is not an allowed FHIR server address' },
  PBH_ERR_UNAUTHORIZED: { statusCode: 401, message: 'Unauthorized' },
  // Client JWT failures (CDS Hooks "Trusting CDS Clients"), one code per reason. Messages are fixed text:
  // they go verbatim into WWW-Authenticate error_description, so no quotes or backslashes.
  PBH_ERR_AUTH_MISSING: { statusCode: 401, message: 'A client JWT is required (Authorization: Bearer)' },
  PBH_ERR_AUTH_MALFORMED: { statusCode: 401, message: 'The Authorization header is not a Bearer compact JWT' },
  PBH_ERR_AUTH_ALGORITHM: { statusCode: 401, message: 'The JWT algorithm is not allowed (asymmetric only; none and HMAC are refused)' },
  PBH_ERR_AUTH_ISSUER_NOT_TRUSTED: { statusCode: 401, message: 'The JWT issuer is not a trusted issuer of this service' },
  PBH_ERR_AUTH_JKU: { statusCode: 401, message: 'The JWT jku header is not the JWKS URL registered for its issuer' },
  PBH_ERR_AUTH_SIGNATURE: { statusCode: 401, message: 'The JWT signature does not verify with a key of its issuer (or no key has its kid)' },
  PBH_ERR_AUTH_KEYS_UNAVAILABLE: { statusCode: 401, message: 'The keys of the JWT issuer could not be fetched' },
  PBH_ERR_AUTH_AUDIENCE: { statusCode: 401, message: 'The JWT aud is not the URL of the endpoint called' },
  PBH_ERR_AUTH_EXPIRED: { statusCode: 401, message: 'The JWT has expired' },
  PBH_ERR_AUTH_NOT_YET_VALID: { statusCode: 401, message: 'The JWT is issued in the future' },
  PBH_ERR_AUTH_LIFETIME: { statusCode: 401, message: 'The JWT lives longer than 1 hour (exp - iat)' },
  PBH_ERR_AUTH_CLAIMS: { statusCode: 401, message: 'The JWT lacks a required claim (iss, aud, exp, iat, jti)' },
  PBH_ERR_AUTH_REPLAY: { statusCode: 401, message: 'The JWT jti was already used (replay)' },
  PBH_ERR_NOT_FOUND: { statusCode: 404, message: 'Not found' },
  PBH_ERR_SERVICE_NOT_FOUND: { statusCode: 404, message: 'No CDS service with that id' },
  PBH_ERR_CARD_NOT_FOUND: { statusCode: 404, message: 'No card with that uuid was issued by this service' },
  PBH_ERR_PAYLOAD_TOO_LARGE: { statusCode: 413, message: 'The request body is too large' },
  PBH_ERR_URI_TOO_LONG: { statusCode: 414, message: 'A path segment of the request URL is too long' },
  PBH_ERR_UNSUPPORTED_MEDIA_TYPE: { statusCode: 415, message: 'Content-Type must be application/json' },
  PBH_ERR_PREFETCH_UNAVAILABLE: {
    statusCode: 412,
    message: 'Required data was neither prefetched nor fetchable (no fhirServer / fhirAuthorization)',
  },
  PBH_ERR_RATE_LIMITED: { statusCode: 429, message: 'Too many requests' },
  PBH_ERR_INTERNAL: { statusCode: 500, message: 'Internal error' },
  PBH_ERR_UNAVAILABLE: { statusCode: 503, message: 'Service unavailable' },
});

export type ErrorCode = keyof typeof Errors;

/** An error we raise on purpose: carries a catalogue code and optional safe detail. */
export class PbhError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;
  readonly detail?: string;
  readonly extra?: Record<string, unknown>;
  /** response headers the error handler sets (e.g. WWW-Authenticate) */
  readonly headers?: Record<string, string>;
  constructor(code: ErrorCode, detail?: string, extra?: Record<string, unknown>, headers?: Record<string, string>) {
    const def = Errors[code];
    super(detail ? `${def.message}: ${detail}` : def.message);
    this.name = 'PbhError';
    this.code = code;
    this.statusCode = def.statusCode;
    this.detail = detail;
    this.extra = extra;
    this.headers = headers;
  }
}

/** The JSON body of every error answer (Fastify's shape, with our code). */
export interface ErrorBody {
  statusCode: number;
  code: string;
  error: string;
  message: string;
  [extra: string]: unknown;
}
