/**
 * `npm run demo [-- <patient id>...]`: every sample patient (examples/patients.json) sent through the
 * real service in-process (buildApp + inject: no network, no port), order-sign with all their orders,
 * and the answer printed for a terminal: cards coloured by indicator, markdown lightly cleaned, the
 * coverage-information system actions as one line per order.
 *
 * Colour when stdout is a terminal; NO_COLOR=1 turns it off, FORCE_COLOR=1 on.
 */
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { buildApp } from '../src/app';
import { loadConfig } from '../src/config';
import { buildHookRequest, type ExampleFile, type ExampleSpec, type PlanBindings } from '../src/sample-patients/build-request';
import { CRD_COVERAGE_INFORMATION_URL } from '../src/fhir/systems';
import { projectPath } from '../src/paths';

const SERVICE = 'pgx-benefit-order-sign';

// ---- terminal styling --------------------------------------------------------------------------

export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  colour(indicator: string, s: string): string;
}

const sgr = (code: string) => (s: string) => `\u001b[${code}m${s}\u001b[0m`;
const INDICATOR_SGR: Record<string, string> = { info: '34', warning: '33', critical: '31' };

export const ansi: Style = {
  bold: sgr('1'),
  dim: sgr('2'),
  colour: (indicator, s) => sgr(`1;${INDICATOR_SGR[indicator] ?? '37'}`)(s),
};
export const plain: Style = { bold: (s) => s, dim: (s) => s, colour: (_i, s) => s };

export function useColour(env: NodeJS.ProcessEnv, isTty: boolean): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  return isTty;
}

// ---- text ---------------------------------------------------------------------------------------

/** Markdown → readable plain text: emphasis and code marks dropped, links as "text <url>", tables as rows. */
export function cleanMarkdown(md: string): string {
  const out: string[] = [];
  for (const raw of md.replace(/\r\n/g, '\n').split('\n')) {
    let line = raw.trimEnd();
    if (/^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(line)) continue; // table separator row
    if (/^\s*\|.*\|\s*$/.test(line)) {
      line = line
        .trim()
        .replace(/^\|/, '')
        .replace(/\|$/, '')
        .split('|')
        .map((c) => c.trim())
        .join('  ·  ');
    }
    line = line
      .replace(/<\/?[a-zA-Z][a-zA-Z0-9-]*(\s[^>]*)?\/?>/g, '') // HTML tags, not <https://…> autolinks
      .replace(/^#{1,6}\s+/, '')
      .replace(/^(\s*)[-*+]\s+/, '$1• ')
      .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/\[([^\]]+)\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g, (_m, text: string, url: string) => (text === url ? url : `${text} <${url}>`))
      .replace(/(\*\*|__)(.+?)\1/g, '$2')
      .replace(/(^|[\s(])[*_]([^*_\s][^*_]*?)[*_](?=[\s).,;:!?]|$)/g, '$1$2')
      .replace(/`([^`]+)`/g, '$1')
      .replace(/\\([\\`*_{}[\]()#+\-.!|<>~])/g, '$1'); // markdown escapes, last: "\*2" is the allele *2
    out.push(line);
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trim();
}

/** Greedy word wrap; keeps blank lines and a bullet's hanging indent. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const para of text.split('\n')) {
    if (para.trim() === '') {
      lines.push('');
      continue;
    }
    const indent = /^(\s*(?:• |\d{1,2}\. )?)/.exec(para)![1];
    const hang = ' '.repeat(indent.length);
    let line = '';
    for (const word of para.slice(indent.length).split(/\s+/).filter(Boolean)) {
      const prefix = lines.length && line === '' ? hang : '';
      if (line && (line + ' ' + word).length > width) {
        lines.push(line);
        line = hang + word;
      } else {
        line = line ? `${line} ${word}` : (prefix || indent) + word;
      }
    }
    if (line) lines.push(line);
  }
  return lines;
}

// ---- CDS Hooks answer → text ------------------------------------------------------------------

interface Coding {
  system?: string;
  code: string;
  display?: string;
}
interface DemoCard {
  summary: string;
  detail?: string;
  indicator: string;
  source?: { label: string; url?: string };
  suggestions?: Array<{ label: string; isRecommended?: boolean; actions?: Array<{ type: string; description: string }> }>;
  overrideReasons?: Coding[];
  links?: Array<{ label: string; url: string; type: string }>;
}
interface Extension {
  url: string;
  valueCode?: string;
  valueString?: string;
  valueCodeableConcept?: { text?: string; coding?: Coding[] };
  extension?: Extension[];
}
interface DemoAction {
  type: string;
  description: string;
  resource?: { resourceType: string; id?: string; medicationCodeableConcept?: { text?: string }; extension?: Extension[] };
}
export interface DemoAnswer {
  cards: DemoCard[];
  systemActions?: DemoAction[];
}

export function renderCard(card: DemoCard, width: number, style: Style): string[] {
  const bar = style.colour(card.indicator, '▌');
  const inner = Math.max(30, width - 4);
  const out = [`${bar} ${style.colour(card.indicator, card.indicator.toUpperCase())}  ${style.bold(card.summary)}`];
  const body: string[] = [];
  if (card.detail) body.push(...wrap(cleanMarkdown(card.detail), inner));
  for (const s of card.suggestions ?? []) {
    body.push(...wrap(`${s.isRecommended ? '★' : '→'} Suggestion: ${s.label}`, inner));
    for (const a of s.actions ?? []) body.push(...wrap(`    ${a.type}: ${a.description}`, inner).map((l) => style.dim(l)));
  }
  if (card.overrideReasons?.length) {
    body.push(...wrap(`Override reasons: ${card.overrideReasons.map((r) => r.display ?? r.code).join('; ')}`, inner).map((l) => style.dim(l)));
  }
  for (const l of card.links ?? []) {
    body.push(...wrap(`Link: ${l.label} <${l.url}>${l.type === 'smart' ? ' (SMART app)' : ''}`, inner).map((x) => style.dim(x)));
  }
  if (card.source) body.push(...wrap(`Source: ${card.source.label}${card.source.url ? ` <${card.source.url}>` : ''}`, inner).map((x) => style.dim(x)));
  return [...out, ...body.map((l) => `${bar}   ${l}`)];
}

/** One line per draft order: what the CRD coverage-information extension says. */
export function renderCoverage(actions: DemoAction[], style: Style, width = 100): string[] {
  const note = (text: string) => wrap(text, width - 6).map((l) => style.dim(`      ${l}`));
  const lines: string[] = [];
  for (const a of actions) {
    const ext = a.resource?.extension?.find((e) => e.url === CRD_COVERAGE_INFORMATION_URL);
    if (!ext) {
      lines.push(`  ${a.type}: ${a.description}`);
      continue;
    }
    const sub = (url: string) => (ext.extension ?? []).filter((e) => e.url === url);
    const code = (url: string) => sub(url)[0]?.valueCode;
    const reason = sub('reason')[0]?.valueCodeableConcept?.text;
    const details = sub('detail').map((d) => {
      const c = d.extension?.find((e) => e.url === 'code')?.valueCodeableConcept?.coding?.[0];
      const v = d.extension?.find((e) => e.url === 'value')?.valueString;
      return `${c?.display ?? c?.code ?? 'detail'}: ${v ?? ''}`;
    });
    const order = a.resource?.medicationCodeableConcept?.text ?? a.resource?.id ?? 'order';
    const facts = [`covered: ${code('covered') ?? '?'}`];
    if (code('pa-needed')) facts.push(`prior auth: ${code('pa-needed')}`);
    if (code('doc-needed')) facts.push(`documentation: ${code('doc-needed')}`);
    lines.push(`  ${style.bold(order)} — ${facts.join(' · ')}`);
    if (reason) lines.push(...note(reason));
    for (const d of details) lines.push(...note(d));
  }
  return lines;
}

export function renderPatient(spec: ExampleSpec, answer: DemoAnswer, ms: number, width: number, style: Style): string {
  const rule = '━'.repeat(Math.min(width, 100));
  const lines = [rule, `${style.bold(spec.title)}  ${style.dim(`(${spec.id})`)}`];
  lines.push(...wrap(spec.story, width).map((l) => style.dim(l)));
  lines.push(...wrap(`Orders (order-sign): ${spec.orders.map((o) => o.display).join('; ')}`, width), '');
  if (answer.cards.length === 0) lines.push(style.dim('No cards: nothing for the prescriber to act on.'));
  for (const card of answer.cards) lines.push(...renderCard(card, width, style), '');
  if (answer.systemActions?.length) {
    lines.push(style.bold('Coverage information (systemActions):'), ...renderCoverage(answer.systemActions, style, width));
  }
  lines.push(style.dim(`${answer.cards.length} card(s), ${answer.systemActions?.length ?? 0} system action(s) in ${ms} ms`), '');
  return lines.join('\n');
}

// ---- main ---------------------------------------------------------------------------------------

export async function runDemo(only: string[], write: (s: string) => void, style: Style, width: number): Promise<number> {
  const examples = JSON.parse(readFileSync(projectPath('examples/patients.json'), 'utf8')) as ExampleFile;
  const bindings = JSON.parse(readFileSync(projectPath('examples/plan-bindings.json'), 'utf8')) as PlanBindings;
  const patients = only.length ? examples.patients.filter((p) => only.includes(p.id)) : examples.patients;
  const unknown = only.filter((id) => !examples.patients.some((p) => p.id === id));
  if (unknown.length) {
    write(`Unknown patient id(s): ${unknown.join(', ')}. Known: ${examples.patients.map((p) => p.id).join(', ')}\n`);
    return 2;
  }
  const app = await buildApp(loadConfig({ PBH_PROFILE: 'demo', LOG_LEVEL: 'silent', PBH_DATA_DIR: 'memory://' }));
  let failures = 0;
  try {
    await app.ready();
    for (const spec of patients) {
      const request = buildHookRequest(spec, { hook: 'order-sign', now: new Date().toISOString(), bindings, hookInstance: randomUUID() });
      const started = process.hrtime.bigint();
      const res = await app.inject({ method: 'POST', url: `/cds-services/${SERVICE}`, payload: request });
      const ms = Number((process.hrtime.bigint() - started) / 1_000_000n);
      if (res.statusCode !== 200) {
        failures++;
        write(`${spec.title} (${spec.id}): the service answered ${res.statusCode} ${res.body}\n\n`);
        continue;
      }
      write(renderPatient(spec, res.json() as DemoAnswer, ms, width, style) + '\n');
    }
  } finally {
    await app.close();
  }
  return failures ? 1 : 0;
}

if (require.main === module) {
  const colour = useColour(process.env, !!process.stdout.isTTY);
  const width = Math.max(60, Math.min(process.stdout.columns ?? 100, 120) - 2);
  runDemo(process.argv.slice(2), (s) => process.stdout.write(s), colour ? ansi : plain, width)
    .then((code) => {
      process.exitCode = code;
    })
    .catch((e: unknown) => {
      process.stderr.write(`demo failed: ${(e as Error)?.stack ?? String(e)}\n`);
      process.exitCode = 1;
    });
}
