/**
 * Logging: pino JSON, one request id on every line, request bodies never logged, and a redaction list
 * as a second line of defence for anything that could carry tokens, identifiers or genotypes.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type { Config } from './config';

const SENSITIVE_KEYS = [
  'authorization',
  'Authorization',
  'cookie',
  'fhirAuthorization',
  'access_token',
  'token',
  'accessToken',
  'id_token',
  'refresh_token',
  'patientId',
  'userId',
  'patient',
  'prefetch',
  'context',
  'draftOrders',
  'genotype',
  'diplotype',
  'body',
];

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  ...SENSITIVE_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]),
];

export function loggerOptions(config: Pick<Config, 'logLevel'>): LoggerOptions {
  return {
    level: config.logLevel,
    base: { service: 'precision-benefit-hooks' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      // method and the matched route pattern only ("/playground/examples/:id/request"): a raw path can carry
      // an identifier, and query strings and headers are never logged
      req: (req: { method?: string; routeOptions?: { url?: string } }) => ({ method: req.method, route: req.routeOptions?.url ?? '(no route)' }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
  };
}

export function createLogger(config: Pick<Config, 'logLevel' | 'logFile'>, stream?: DestinationStream): Logger {
  if (stream) return pino(loggerOptions(config), stream);
  // synchronous appends: a test's lines are on disk before the suite's log scan reads them
  if (config.logFile) return pino(loggerOptions(config), pino.destination({ dest: config.logFile, sync: true, mkdir: true, append: true }));
  return pino(loggerOptions(config));
}

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** Honour the caller's x-request-id when it is short and plain (it is echoed into logs), else a UUID. */
export function genReqId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && SANE_REQUEST_ID.test(given) ? given : randomUUID();
}
