/**
 * JSON body parsing: Fastify's own parser (secure-json-parse: `__proto__` / `constructor.prototype`
 * rejected) behind the nesting-depth guard shared with FHIR responses (src/fhir/json-guard.ts), with
 * errors mapped to our codes without echoing V8's SyntaxError message (it quotes the body, which may hold PHI).
 */
import type { FastifyInstance } from 'fastify';
import { PbhError } from '../errors';
import { jsonDepthExceeds, MAX_JSON_DEPTH } from '../fhir/json-guard';

export { MAX_JSON_DEPTH };

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function isValidJson(text: string): boolean {
  try {
    JSON.parse(text); // native parse never pollutes prototypes; only reached on the error path
    return true;
  } catch {
    return false;
  }
}

export function registerJsonParser(app: FastifyInstance, bodyLimit: number): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    ['application/json', 'application/fhir+json'],
    { parseAs: 'buffer', bodyLimit },
    (req, body, done) => {
      // decode strictly: a lenient decode turns invalid UTF-8 into U+FFFD and accepts a corrupted body
      let text: string;
      try {
        text = strictUtf8.decode(body as Buffer);
      } catch {
        return done(new PbhError('PBH_ERR_BAD_JSON', 'not valid UTF-8'), undefined);
      }
      if (jsonDepthExceeds(body as Buffer, MAX_JSON_DEPTH)) return done(new PbhError('PBH_ERR_JSON_TOO_DEEP'), undefined);
      parse(req, text, (err: Error | null, value?: unknown) => {
        if (!err) return done(null, value);
        const code = (err as { code?: string }).code;
        if (code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return done(new PbhError('PBH_ERR_BAD_JSON', 'empty body'), undefined);
        if (isValidJson(text)) {
          // well-formed JSON the secure parser refused: a __proto__ / constructor.prototype key
          return done(new PbhError('PBH_ERR_VALIDATION', 'forbidden key (__proto__ / constructor)'), undefined);
        }
        done(new PbhError('PBH_ERR_BAD_JSON'), undefined);
      });
    },
  );
}
