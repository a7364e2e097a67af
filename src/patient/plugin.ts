/**
 * GET /patient-explanations/:serviceId/:token — the plain-language explanation of one card for the
 * patient, rendered from the card's decision in the audit trail: HTML to hand over or print, or JSON
 * (Accept: application/json) for a patient portal. Language from `?lang=` or Accept-Language, English
 * when the language has no file. The token is the capability (src/patient/link.ts); a wrong or unknown
 * one is a 404, the same as a card that was never issued or has been purged.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { PbhError } from '../errors';
import type { Store } from '../store/types';
import { explainForPatient, type PatientExplanation } from './explain';
import { PATIENT_EXPLANATION_PATH, type LinkSigner } from './link';
import { acceptedLanguages, loadPatientMessages, pickLanguage, type MessageCatalogue } from './messages';

export interface PatientExplanationOptions {
  store: Store;
  signer: LinkSigner;
  messages?: MessageCatalogue;
}

const STYLE = 'body{font:18px/1.6 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}h1{font-size:1.5rem}h2{font-size:1.15rem;margin-bottom:.25rem}p{margin-top:0}';
const CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function renderHtml(e: PatientExplanation): string {
  const body = e.sections.map((s) => `<section id="${s.id}"><h2>${escapeHtml(s.heading)}</h2><p>${escapeHtml(s.text)}</p></section>`).join('\n');
  return `<!doctype html>\n<html lang="${escapeHtml(e.language)}">\n<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(e.title)}</title><style>${STYLE}</style></head>\n<body><main><h1>${escapeHtml(e.title)}</h1>\n${body}\n</main></body>\n</html>\n`;
}

const explanationSchema = {
  type: 'object',
  required: ['language', 'title', 'sections'],
  properties: {
    language: { type: 'string' },
    title: { type: 'string' },
    sections: {
      type: 'array',
      items: { type: 'object', required: ['id', 'heading', 'text'], properties: { id: { type: 'string' }, heading: { type: 'string' }, text: { type: 'string' } } },
    },
  },
} as const;

export async function patientExplanations(app: FastifyInstance, opts: PatientExplanationOptions): Promise<void> {
  const messages = opts.messages ?? loadPatientMessages();
  // wrong, forged or unknown: one and the same 404, saying nothing about the card
  const notFound = () => new PbhError('PBH_ERR_NOT_FOUND', 'no explanation at this address');

  app.get<{ Params: { serviceId: string; token: string }; Querystring: { lang?: string } }>(
    `${PATIENT_EXPLANATION_PATH}/:serviceId/:token`,
    {
      schema: {
        params: {
          type: 'object',
          required: ['serviceId', 'token'],
          properties: { serviceId: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,99}$' }, token: { type: 'string', pattern: '^[0-9a-f-]{36}\\.[A-Za-z0-9_-]{22}$' } },
        },
        querystring: { type: 'object', additionalProperties: false, properties: { lang: { type: 'string', pattern: '^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})?$' } } },
        response: { 200: explanationSchema },
      },
    },
    async (req, reply) => {
      const cardUuid = opts.signer.verify(req.params.serviceId, req.params.token);
      if (!cardUuid) throw notFound();
      const decision = await opts.store.findIssuedCard(req.params.serviceId, cardUuid);
      if (!decision) throw notFound();
      const m = pickLanguage(messages, req.query.lang, ...acceptedLanguages(req.headers['accept-language']));
      const explanation = explainForPatient(decision, m);
      reply.header('cache-control', 'no-store').header('vary', 'accept, accept-language').header('content-language', explanation.language);
      const accept = req.headers.accept ?? '';
      if (/application\/json/.test(accept) && !/text\/html/.test(accept)) return explanation;
      return reply.header('content-security-policy', CSP).type('text/html; charset=utf-8').send(renderHtml(explanation));
    },
  );
}
