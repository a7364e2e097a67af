/**
 * Prefetch template rendering (CDS Hooks 2.0 §Prefetch tokens): `{{context.x}}` and `{{userPractitionerId}}`
 * style tokens are replaced with URL-encoded values, so an id can never inject query parameters.
 */
export type TemplateValues = Record<string, string | undefined>;

export class TemplateError extends Error {}

export function renderTemplate(template: string, values: TemplateValues): string {
  return template.replace(/\{\{\s*([A-Za-z0-9_.]+)\s*\}\}/g, (_m, token: string) => {
    const v = values[token];
    if (v === undefined || v === '') throw new TemplateError(`no value for prefetch token ${token}`);
    return encodeURIComponent(v);
  });
}

/** The token values available for a hook request: every string in `context`, plus the user tokens. */
export function templateValues(context: Record<string, unknown>): TemplateValues {
  const values: TemplateValues = {};
  for (const [k, v] of Object.entries(context)) if (typeof v === 'string') values[`context.${k}`] = v;
  const userId = typeof context.userId === 'string' ? context.userId : undefined;
  if (userId) {
    // "Practitioner/123" → userPractitionerId = 123 (and the same for other user types)
    const m = /^(Practitioner|PractitionerRole|Patient|RelatedPerson)\/([^/]+)$/.exec(userId);
    if (m) values[`user${m[1]}Id`] = m[2];
  }
  return values;
}
