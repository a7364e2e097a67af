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
  PBH_ERR_BAD_JSON: { statusCode: 400, message: 'The request body is not valid JSON' },
  PBH_ERR_JSON_TOO_DEEP: { statusCode: 400, message: 'The request body is nested too deeply' },
  PBH_ERR_HOOK_MISMATCH: { statusCode: 400, message: 'This service does not handle that hook' },
  PBH_ERR_CONTEXT_INVALID: { statusCode: 400, message: 'The hook context is invalid' },
  PBH_ERR_FHIR_SERVER_FORBIDDEN: { statusCode: 400, message: 'fhirServer is not an allowed FHIR server address' },
  PBH_ERR_UNAUTHORIZED: { statusCode: 401, message: 'Unauthorized' },
  PBH_ERR_FORBIDDEN: { statusCode: 403, message: 'Forbidden' },
  PBH_ERR_NOT_FOUND: { statusCode: 404, message: 'Not found' },
  PBH_ERR_SERVICE_NOT_FOUND: { statusCode: 404, message: 'No CDS service with that id' },
  PBH_ERR_CARD_NOT_FOUND: { statusCode: 404, message: 'No card with that uuid was issued by this service' },
  PBH_ERR_PAYLOAD_TOO_LARGE: { statusCode: 413, message: 'The request body is too large' },
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
  constructor(code: ErrorCode, detail?: string, extra?: Record<string, unknown>) {
    const def = Errors[code];
    super(detail ? `${def.message}: ${detail}` : def.message);
    this.name = 'PbhError';
    this.code = code;
    this.statusCode = def.statusCode;
    this.detail = detail;
    this.extra = extra;
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
