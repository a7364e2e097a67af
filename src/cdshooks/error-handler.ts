/**
 * One mapping from every failure to an ErrorBody with a catalogued code (docs/errors.md). Nothing from
 * the request is echoed and no stack trace is sent; validation errors name the instancePath only.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { Errors, PbhError, type ErrorBody, type ErrorCode } from '../errors';

const HTTP_NAMES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function errorBody(code: ErrorCode, detail?: string, extra?: Record<string, unknown>): ErrorBody {
  const def = Errors[code];
  return {
    statusCode: def.statusCode,
    code,
    error: HTTP_NAMES[def.statusCode] ?? 'Error',
    message: detail ? `${def.message}: ${detail}` : def.message,
    ...extra,
  };
}

/** Map any thrown value to our body; the second value says whether it is our fault (log it). */
export function toErrorBody(err: unknown): { body: ErrorBody; internal: boolean } {
  if (err instanceof PbhError) return { body: errorBody(err.code, err.detail, err.extra), internal: false };
  const e = err as FastifyError & { validation?: Array<{ instancePath?: string; keyword?: string }> };
  if (e?.validation) {
    const first = e.validation[0];
    const where = first?.instancePath || '/';
    // the keyword says what kind of rule failed without quoting the value
    return { body: errorBody('PBH_ERR_VALIDATION', `${where} (${first?.keyword ?? 'schema'})`, { instancePath: where }), internal: false };
  }
  switch (e?.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { body: errorBody('PBH_ERR_PAYLOAD_TOO_LARGE'), internal: false };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { body: errorBody(e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 'PBH_ERR_UNSUPPORTED_MEDIA_TYPE' : 'PBH_ERR_BAD_JSON'), internal: false };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { body: errorBody('PBH_ERR_BAD_JSON', 'empty body'), internal: false };
  }
  if (e?.statusCode === 429) return { body: errorBody('PBH_ERR_RATE_LIMITED'), internal: false };
  if (e?.statusCode === 413) return { body: errorBody('PBH_ERR_PAYLOAD_TOO_LARGE'), internal: false };
  if (e?.statusCode === 415) return { body: errorBody('PBH_ERR_UNSUPPORTED_MEDIA_TYPE'), internal: false };
  if (e?.statusCode === 404) return { body: errorBody('PBH_ERR_NOT_FOUND'), internal: false };
  if (e?.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
    return { body: { statusCode: e.statusCode, code: 'PBH_ERR_VALIDATION', error: HTTP_NAMES[e.statusCode] ?? 'Bad Request', message: Errors.PBH_ERR_VALIDATION.message }, internal: false };
  }
  return { body: errorBody('PBH_ERR_INTERNAL'), internal: true };
}

export function registerErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => {
    const { body, internal } = toErrorBody(err);
    if (internal) {
      // type and stack only: messages of foreign errors may quote request content
      request.log.error({ errType: (err as Error)?.name, stack: (err as Error)?.stack }, 'unhandled error');
    } else {
      request.log.info({ code: body.code, statusCode: body.statusCode }, 'request rejected');
    }
    const headers = (err as { headers?: Record<string, string> })?.headers;
    if (headers) reply.headers(headers);
    void reply.code(body.statusCode).type('application/json').send(body);
  });
  app.setNotFoundHandler((_request, reply) => {
    void reply.code(404).type('application/json').send(errorBody('PBH_ERR_NOT_FOUND'));
  });
}
