import type { FastifyInstance } from 'fastify';

/**
 * Real HTTP against a bare Fastify instance on an ephemeral port. Returns the parts of an inject-style
 * response the tests use.
 */
export async function get(
  app: FastifyInstance,
  url: string,
  headers: Record<string, string> = {},
): Promise<{ statusCode: number; headers: Record<string, string>; body: string; json: () => any }> {
  if (!app.server.listening) await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  const res = await fetch(`http://127.0.0.1:${port}${url}`, { headers });
  const body = await res.text();
  return { statusCode: res.status, headers: Object.fromEntries(res.headers), body, json: () => JSON.parse(body) };
}
