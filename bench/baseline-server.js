'use strict';
/**
 * The benchmark's yardstick: a bare Fastify server whose route parses and JSON-schema-validates a
 * CDS Hooks request (same body the service receives) and answers a small JSON document. Whatever the
 * service does beyond this is the cost of its work. Run as a child process: `node bench/baseline-server.js`;
 * prints `{"port": N}` on stdout once listening.
 */
const Fastify = require('fastify');
const schema = require('./baseline-schema.json');

async function main() {
  const app = Fastify({ logger: false, bodyLimit: 1048576 });
  // Fastify compiles the body schema with its bundled ajv (+ formats) once, at start-up.
  app.post('/cds-services/:id', { schema: { body: schema } }, async (request) => ({
    cards: [],
    echo: { hook: request.body.hook, orders: request.body.context.draftOrders.entry.length },
  }));
  app.get('/cds-services', async () => ({ services: [] }));
  await app.listen({ port: Number(process.env.PORT || 0), host: '127.0.0.1' });
  process.stdout.write(JSON.stringify({ port: app.server.address().port }) + '\n');
  const stop = () => app.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err) => {
  process.stderr.write(String(err && err.stack) + '\n');
  process.exit(1);
});
