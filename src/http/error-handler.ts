/**
 * One mapping from every failure to an ErrorBody with a catalogued code (docs/errors.md), and one
 * renderer for every route: Fastify's own errors (FST_ERR_*, the router's included) are mapped to our
 * codes. Nothing from the request is echoed (Fastify's messages quote the URL) and no stack trace is
 * sent; validation errors name the instancePath only.
 */
import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Errors, PbhError, type ErrorBody, type ErrorCode } from '../errors';

/**
 * Every Fastify error that can reach a client, with our code for it. A test walks Fastify's own
 * catalogue (`errorCodes`): a Fastify upgrade that adds a client-facing error fails it until it is mapped.
 */
export const FASTIFY_ERRORS: Readonly<Record<string, ErrorCode>> = {
  FST_ERR_NOT_FOUND: 'PBH_ERR_NOT_FOUND',
  FST_ERR_VALIDATION: 'PBH_ERR_VALIDATION',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PBH_ERR_PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'PBH_ERR_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'PBH_ERR_BAD_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'PBH_ERR_BAD_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'PBH_ERR_BAD_JSON',
  FST_ERR_BAD_URL: 'PBH_ERR_BAD_URL',
  FST_ERR_INVALID_URL: 'PBH_ERR_BAD_URL',
  FST_ERR_MAX_PARAM_LENGTH: 'PBH_ERR_URI_TOO_LONG',
  FST_ERR_HANDLER_TIMEOUT: 'PBH_ERR_UNAVAILABLE',
  FST_ERR_ROUTE_MISSING_CONTENT_TYPE: 'PBH_ERR_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_ROUTE_MISSING_CONTENT: 'PBH_ERR_VALIDATION',
  // raised by our own misuse of Fastify, never by a request
  FST_ERR_CTP_INSTANCE_ALREADY_STARTED: 'PBH_ERR_INTERNAL',
  FST_ERR_ASYNC_CONSTRAINT: 'PBH_ERR_INTERNAL',
};

export function errorBody(code: ErrorCode, detail?: string, extra?: Record<string, unknown>): ErrorBody {
  const def = Errors[code];
  return {
    statusCode: def.statusCode,
    code,
    error: STATUS_CODES[def.statusCode] ?? 'Error',
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
  const mapped = typeof e?.code === 'string' ? FASTIFY_ERRORS[e.code] : undefined;
  if (mapped) {
    const detail = e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ? 'empty body' : undefined;
    return { body: errorBody(mapped, detail), internal: mapped === 'PBH_ERR_INTERNAL' };
  }
  // errors of plugins (rate limit, CORS, ...) are known only by their status
  switch (e?.statusCode) {
    case 404:
      return { body: errorBody('PBH_ERR_NOT_FOUND'), internal: false };
    case 413:
      return { body: errorBody('PBH_ERR_PAYLOAD_TOO_LARGE'), internal: false };
    case 414:
      return { body: errorBody('PBH_ERR_URI_TOO_LONG'), internal: false };
    case 415:
      return { body: errorBody('PBH_ERR_UNSUPPORTED_MEDIA_TYPE'), internal: false };
    case 429:
      return { body: errorBody('PBH_ERR_RATE_LIMITED'), internal: false };
    case 503:
      return { body: errorBody('PBH_ERR_UNAVAILABLE'), internal: false };
  }
  if (e?.statusCode && e.statusCode >= 400 && e.statusCode < 500) return { body: errorBody('PBH_ERR_BAD_REQUEST'), internal: false };
  return { body: errorBody('PBH_ERR_INTERNAL'), internal: true };
}

/** The one error renderer: every route, the router's own errors and every plugin answer through it. */
export function sendError(err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { body, internal } = toErrorBody(err);
  if (internal) {
    // type and stack only: messages of foreign errors may quote request content
    request.log.error({ errType: (err as Error)?.name, stack: (err as Error)?.stack }, 'unhandled error');
  } else {
    // a foreign code is logged so an unmapped one can be added to the catalogue; never its message
    const foreign = err instanceof PbhError ? undefined : (err as { code?: unknown })?.code;
    request.log.info({ code: body.code, statusCode: body.statusCode, ...(typeof foreign === 'string' ? { cause: foreign } : {}) }, 'request rejected');
  }
  const headers = (err as { headers?: Record<string, string> })?.headers;
  if (headers) reply.headers(headers);
  return reply.code(body.statusCode).type('application/json').send(body);
}

export function registerErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => {
    void sendError(err, request, reply);
  });
  app.setNotFoundHandler((_request, reply) => {
    void reply.code(404).type('application/json').send(errorBody('PBH_ERR_NOT_FOUND'));
  });
}
