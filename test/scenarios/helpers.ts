/** Drive the real service (knowledge, plans, engines) with the sample patients, through HTTP routes. */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app';
import { testConfig } from '../support/config';
import type { Card, HookResponse } from '../../src/cdshooks/types';
import { buildHookRequest, type ExampleFile, type ExampleSpec, type PlanBindings } from '../../src/sample-patients/build-request';
import { projectPath } from '../../src/paths';

export const examples = JSON.parse(readFileSync(projectPath('examples/patients.json'), 'utf8')) as ExampleFile;
export const bindings = JSON.parse(readFileSync(projectPath('examples/plan-bindings.json'), 'utf8')) as PlanBindings;

export function spec(id: string, change: Partial<ExampleSpec> = {}): ExampleSpec {
  const found = examples.patients.find((p) => p.id === id);
  if (!found) throw new Error(`no sample patient ${id}`);
  return { ...structuredClone(found), ...change };
}

export async function startService(): Promise<FastifyInstance> {
  const app = await buildApp(testConfig());
  await app.ready();
  return app;
}

export async function callHook(
  app: FastifyInstance,
  patient: ExampleSpec,
  hook: 'order-select' | 'order-sign' = 'order-sign',
  orderIndexes?: number[],
): Promise<HookResponse> {
  const body = buildHookRequest(patient, { hook, now: new Date().toISOString(), bindings, hookInstance: randomUUID(), orderIndexes });
  const res = await app.inject({ method: 'POST', url: `/cds-services/pgx-benefit-${hook}`, payload: body });
  if (res.statusCode !== 200) throw new Error(`hook answered ${res.statusCode}: ${res.body}`);
  return res.json() as HookResponse;
}

/** the card about one drug (by summary prefix, which is the drug name) */
export function cardFor(cards: Card[], drug: string): Card {
  const card = cards.find((c) => c.summary.toLowerCase().startsWith(drug.toLowerCase()));
  if (!card) throw new Error(`no card for ${drug}; got: ${cards.map((c) => c.summary).join(' | ')}`);
  return card;
}

export const withGenotypes = (id: string, genotypes: ExampleSpec['genotypes']): ExampleSpec => spec(id, { genotypes });
