/**
 * The admin reports page: static HTML/JS/CSS (public/admin) that reads the admin endpoints with the token
 * the user types. The page holds no data, so it is served without the token; its own plugin, so the
 * admin plugin's bearer check does not apply to it. Files are read once at registration.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { projectPath } from '../paths';
import { PLAYGROUND_CSP } from '../playground/plugin';

export const DASHBOARD_PATH = '/admin/dashboard';

/** the same page policy as the playground: same-origin scripts, styles and fetches only, no framing */
export const DASHBOARD_CSP = PLAYGROUND_CSP;

interface Asset {
  type: string;
  body: Buffer;
  etag: string;
}

function load(file: string, type: string): Asset {
  const body = readFileSync(projectPath('public', 'admin', file));
  return { type, body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
}

export async function adminDashboard(app: FastifyInstance): Promise<void> {
  const page = load('index.html', 'text/html; charset=utf-8');
  const files = new Map<string, Asset>([
    ['app.js', load('app.js', 'text/javascript; charset=utf-8')],
    ['style.css', load('style.css', 'text/css; charset=utf-8')],
  ]);
  const send = (req: FastifyRequest, reply: FastifyReply, a: Asset) => {
    reply.header('content-security-policy', DASHBOARD_CSP).header('etag', a.etag).header('cache-control', 'no-cache');
    if (req.headers['if-none-match'] === a.etag) return reply.code(304).send();
    return reply.type(a.type).send(a.body);
  };
  app.get(DASHBOARD_PATH, { schema: { hide: true } }, (req, reply) => send(req, reply, page));
  app.get<{ Params: { file: string } }>(`${DASHBOARD_PATH}/:file`, { schema: { hide: true } }, (req, reply) => {
    const a = files.get(req.params.file);
    if (!a) return reply.code(404).type('application/json').send({ statusCode: 404, code: 'PBH_ERR_NOT_FOUND', error: 'Not Found', message: 'Not Found' });
    return send(req, reply, a);
  });
}
