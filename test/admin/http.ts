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

/**
 * An admin CSV as an analyst's program reads it: the `#` comment lines before the header (the method and
 * rules, "# " taken off), then RFC 4180 rows (quoted cells may hold commas and doubled quotes). A comment
 * line after the header would be read as data, so it fails here.
 */
export function readCsv(text: string): { notes: string[]; rows: string[][] } {
  const lines = text.replace(/\r\n$/, '').split('\r\n');
  const firstRow = lines.findIndex((l) => !l.startsWith('#'));
  const rows = lines.slice(firstRow);
  if (rows.some((l) => l.startsWith('#'))) throw new Error('a # line after the header');
  return {
    notes: lines.slice(0, firstRow).map((l) => l.replace(/^# /, '')),
    rows: rows.map((line) => [...line.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)].map((m) => m[1].replace(/^"|"$/g, '').replace(/""/g, '"'))),
  };
}
