/** The CDS services this instance offers: hooks/*.json, read once at start-up. */
import fs from 'node:fs';
import path from 'node:path';
import { projectPath } from '../paths';
import type { ServiceDefinition } from './types';

const HOOKS = new Set(['order-select', 'order-sign']);

export function loadServiceDefinitions(dir: string = projectPath('hooks')): ServiceDefinition[] {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  const services = files.map((f) => {
    const s = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as ServiceDefinition;
    if (!/^[a-z0-9][a-z0-9-]*$/.test(s.id ?? '') || !HOOKS.has(s.hook) || !s.description || typeof s.prefetch !== 'object') {
      throw new Error(`hooks/${f}: invalid service definition (id, hook, description, prefetch required)`);
    }
    return s;
  });
  const ids = new Set(services.map((s) => s.id));
  if (ids.size !== services.length) throw new Error('hooks/: duplicate service id');
  return services;
}

/** The discovery document (CDS Hooks 2.0 §Discovery). */
export function discoveryDocument(services: ServiceDefinition[]): { services: ServiceDefinition[] } {
  return {
    services: services.map((s) => ({
      hook: s.hook,
      id: s.id,
      title: s.title,
      description: s.description,
      ...(s.usageRequirements ? { usageRequirements: s.usageRequirements } : {}),
      prefetch: s.prefetch,
    })),
  };
}
