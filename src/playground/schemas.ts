/**
 * JSON Schemas of the playground routes (for validation, fast serialisation and the OpenAPI document).
 * Nested FHIR content is declared open (`additionalProperties: true`) so that serialisation never drops
 * a field of the request the builder produced.
 */
const open = { type: 'object', additionalProperties: true } as const;

export const exampleListResponse = {
  type: 'object',
  required: ['patients'],
  additionalProperties: false,
  properties: {
    patients: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'title', 'story', 'plan', 'genes', 'orders'],
        additionalProperties: false,
        properties: {
          id: { type: 'string' },
          title: { type: 'string' },
          story: { type: 'string' },
          plan: { type: ['string', 'null'], description: "plan key of the example; null: the patient has no Coverage" },
          planName: { type: 'string' },
          genes: { type: 'array', items: { type: 'string' }, description: 'genes with a result on file' },
          orders: {
            type: 'array',
            items: {
              type: 'object',
              required: ['index', 'rxcui', 'display'],
              additionalProperties: false,
              properties: { index: { type: 'integer' }, rxcui: { type: 'string' }, display: { type: 'string' } },
            },
          },
        },
      },
    },
  },
} as const;

export const unverifiedIssuersResponse = {
  type: 'object',
  required: ['issuers', 'otherCalls'],
  additionalProperties: false,
  properties: {
    issuers: {
      type: 'array',
      items: {
        type: 'object',
        required: ['iss', 'firstSeen', 'lastSeen', 'calls'],
        additionalProperties: false,
        properties: {
          iss: { type: 'string' },
          firstSeen: { type: 'string', format: 'date-time' },
          lastSeen: { type: 'string', format: 'date-time' },
          calls: { type: 'integer' },
        },
      },
    },
    otherCalls: { type: 'integer', description: 'calls from issuers beyond the first 20 (or not printable)' },
  },
} as const;

export const requestParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,63}$' } },
} as const;

export const requestQuery = {
  type: 'object',
  properties: {
    hook: { enum: ['order-select', 'order-sign'], default: 'order-sign' },
    orders: { type: 'string', maxLength: 200, description: 'comma-separated indexes of the patient\'s orders; default all' },
  },
} as const;

/** A CDS Hooks 2.0 request as the shared builder makes it (see profiles/cds-hooks/hook-request.schema.json). */
export const hookRequestResponse = {
  type: 'object',
  required: ['hook', 'hookInstance', 'context'],
  additionalProperties: true,
  properties: {
    hook: { type: 'string' },
    hookInstance: { type: 'string' },
    fhirServer: { type: 'string' },
    fhirAuthorization: open,
    context: open,
    prefetch: open,
  },
} as const;

export const playgroundError = {
  type: 'object',
  required: ['statusCode', 'code', 'error', 'message'],
  additionalProperties: true,
  properties: { statusCode: { type: 'integer' }, code: { type: 'string' }, error: { type: 'string' }, message: { type: 'string' } },
} as const;
