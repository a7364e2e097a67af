/**
 * Output encoding, as a property: arbitrary strings (hostile markup mixed with random text) go through
 * every card field that takes outside data, the markdown `detail` is rendered with a CommonMark renderer
 * (marked, GFM on: autolinks, tables, strikethrough), and no HTML element or link can come from the input
 * — only the elements our own templates write, and only our own https links. Plain-text fields (summary,
 * suggestion labels, action descriptions) stay one line, without control characters or angle brackets.
 * Through HTTP for what the EHR sends (genotype text, Observation id and date, the ordered drug's name);
 * through the renderers for plan data (loaded at start-up, never sent by a client) and data gaps.
 */
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app';
import { testConfig } from '../support/config';
import { buildDataGapCard } from '../../src/decision/cards';
import { mdCode, mdLink, mdText, oneLine, plainText } from '../../src/decision/escape';
import { renderBenefit, renderGaps } from '../../src/decision/render-markdown';
import type { DecisionContext } from '../../src/decision/types';
import { PROJECT_ROOT } from '../../src/paths';
import { draftOrder, genotypeObservation, hookRequest } from '../support/fixtures';

// a few thousand renders: room for a busy CI machine
jest.setTimeout(120_000);

// marked ships ESM (Jest's sandbox cannot require it) and a UMD build, loaded here by its file path
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { marked } = require(path.join(PROJECT_ROOT, 'node_modules', 'marked', 'lib', 'marked.umd.js')) as {
  marked: { parse: (md: string, opts?: { async: false; gfm: boolean }) => string };
};

const HOSTILE = [
  '`', '``', '```', '<img src=x onerror=alert(1)>', '[x](javascript:alert(1))', '![x](javascript:alert(1))',
  '<script>alert(1)</script>', '<javascript:alert(1)>', '<https://evil.example>', 'javascript:alert(1)', '</code>',
  '<a href="javascript:alert(1)">x</a>', '&lt;img src=x&gt;', '&#60;img&#62;', '\n', '\n\n', '\r\n\r\n', '\u2028', '\u0000',
  '\u202e', '\u200b', '\ud800', '# ', '- ', '> ', '    ', '1. ', '|a|b|\n|-|-|', '[x]: javascript:alert(1)', '[x][x]',
  'http://evil.example/x', 'https://evil.example', 'www.evil.example', 'evil@example.org', 'mailto:evil@example.org',
  '*', '**', '_', '~~', '\\', '\\`', '<', '>', '&', '"', "'", '<!-- ', ' -->', '<![CDATA[', '<?php', 'CYP2C19 ', '*1/*2', '*2',
];
const hostile = fc
  .array(fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 6 }), fc.string({ unit: 'binary', maxLength: 4 })), { minLength: 1, maxLength: 8 })
  .map((parts) => parts.join(''));

/** the elements our templates write; `a` only with an href, `ol` only with a start */
const ALLOWED_TAGS = new Set(['p', 'strong', 'em', 'code', 'ul', 'ol', 'li', 'h3', 'a', 'br']);
/** every link destination the knowledge base itself holds (guideline, label and annotation pages): the only links a card may carry */
function knowledgeUrls(): Set<string> {
  const urls = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      if (/^https?:\/\//.test(v)) urls.add(v);
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  const dir = path.join(PROJECT_ROOT, 'terminology');
  for (const f of readdirSync(dir)) if (f.endsWith('.json')) walk(JSON.parse(readFileSync(path.join(dir, f), 'utf8')));
  return urls;
}
const KNOWLEDGE_URLS = knowledgeUrls();
const OUR_LINK = { test: (href: string): boolean => KNOWLEDGE_URLS.has(href) };

function expectOnlyOurMarkup(markdown: string): void {
  const html = marked.parse(markdown, { async: false, gfm: true });
  for (const m of html.matchAll(/<\/?([A-Za-z][A-Za-z0-9-]*)([^>]*)>/g)) {
    const [, tag, attrs] = m;
    expect({ tag, allowed: ALLOWED_TAGS.has(tag.toLowerCase()) }).toEqual({ tag, allowed: true });
    if (m[0].startsWith('</')) continue;
    const names = [...attrs.matchAll(/\s([A-Za-z-]+)=/g)].map((a) => a[1]);
    if (tag === 'a') {
      expect(names).toEqual(['href']);
      const href = /href="([^"]*)"/.exec(attrs)![1];
      expect({ href, ours: OUR_LINK.test(href) }).toEqual({ href, ours: true });
    } else if (tag === 'ol') {
      expect(names.every((n) => n === 'start')).toBe(true);
    } else {
      expect({ tag, attrs: names }).toEqual({ tag, attrs: [] });
    }
  }
  expect(html).not.toMatch(/(href|src)="\s*javascript:/i);
}

function expectPlainText(s: string, max = 140): void {
  expect(s.length).toBeLessThanOrEqual(max);
  // no controls, line breaks, bidi overrides or zero-width characters; no markup for a careless HTML renderer
  expect(s).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069<>]/);
}

describe('escape helpers', () => {
  test('mdText: rendered, it is one paragraph of exactly the (one-line) input text', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const html = marked.parse(`x ${mdText(s)} y`, { async: false, gfm: true });
        expectOnlyOurMarkup(`x ${mdText(s)} y`);
        const text = /^<p>([\s\S]*)<\/p>\n$/.exec(html)![1];
        const decoded = text.replace(/&(lt|gt|quot|#39|amp);/g, (_m, e: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' })[e]!);
        expect(decoded.replace(/ +/g, ' ')).toBe(`x ${oneLine(s)} y`.replace(/ +/g, ' '));
      }),
      { numRuns: 500 },
    );
  });

  test('mdCode: a diplotype with backticks stays inside one code span', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const md = `- **CYP2C19** ${mdCode(s)} → **Poor Metabolizer**`;
        const html = marked.parse(md, { async: false, gfm: true });
        expectOnlyOurMarkup(md);
        if (mdCode(s)) expect(html.match(/<code>/g)).toHaveLength(1);
        expect(html).toContain('<strong>Poor Metabolizer</strong>');
      }),
      { numRuns: 500 },
    );
    expect(marked.parse(mdCode('*1/*2`<img src=x onerror=alert(1)>`'), { async: false, gfm: true })).toBe(
      '<p><code>*1/*2`&lt;img src=x onerror=alert(1)&gt;`</code></p>\n',
    );
  });

  test('mdLink: link text from outside is text; only absolute http(s) destinations make a link', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        expectOnlyOurMarkup(mdLink(s, [...KNOWLEDGE_URLS].find((u) => u.startsWith('https://cpicpgx.org/guidelines/'))!));
        // a destination that is not an absolute http(s) URL never becomes a link
        const html = marked.parse(mdLink('guideline', s), { async: false, gfm: true });
        for (const m of html.matchAll(/href="([^"]*)"/g)) expect(m[1]).toMatch(/^https?:\/\//i);
      }),
    );
    expect(mdLink('x', 'javascript:alert(1)')).toBe('x');
  });

  test('plainText: one bounded line, no controls, no angle brackets', () => {
    fc.assert(fc.property(hostile, (s) => expectPlainText(plainText(s), 80)));
  });
});

describe('through HTTP: what the EHR sends', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildApp(testConfig({ rateLimitMax: 1_000_000 }));
  });
  afterAll(() => app.close());

  const call = async (mutate: (r: any) => void) => {
    const r: any = hookRequest('order-sign');
    r.context.draftOrders.entry.length = 1;
    mutate(r);
    const res = await app.inject({ method: 'POST', url: '/cds-services/pgx-benefit-order-sign', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(r) });
    expect(res.statusCode).toBe(200);
    return res.json() as { cards: Array<{ summary: string; detail: string; suggestions?: Array<{ label: string; actions: Array<{ description: string }> }> }>; systemActions: Array<{ description: string }> };
  };
  const expectSafeCards = (body: Awaited<ReturnType<typeof call>>) => {
    expect(body.cards.length).toBeGreaterThan(0);
    for (const card of body.cards) {
      expectPlainText(card.summary);
      expectOnlyOurMarkup(card.detail);
      for (const s of card.suggestions ?? []) {
        expectPlainText(s.label, 200);
        for (const a of s.actions) expectPlainText(a.description, 200);
      }
    }
    for (const a of body.systemActions) expectPlainText(a.description, 200);
  };

  test('genotype text, Observation id and date from the EHR', async () => {
    await fc.assert(
      fc.asyncProperty(hostile, fc.constantFrom('CYP2C19 ', 'CYP2C19 *1/', ''), hostile, hostile, async (diplotype, prefix, id, date) => {
        const body = await call((r) => {
          const o: any = genotypeObservation('obs-1');
          o.id = id;
          o.effectiveDateTime = `2025-01-01${date}`;
          o.valueCodeableConcept = { coding: [{ system: 'http://www.pharmvar.org', code: 'CYP2C19', display: prefix + diplotype }], text: prefix + diplotype };
          r.prefetch.pgx = { resourceType: 'Bundle', type: 'searchset', entry: [{ resource: o }] };
        });
        expectSafeCards(body);
      }),
      // an interpretable genotype: the card carries guidance links, which must be the knowledge base's own
      { numRuns: 150, examples: [['*1/*2', 'CYP2C19 ', '`', '']] },
    );
  });

  test('a diplotype with a backtick and HTML stays in its code span (the example that broke out)', async () => {
    const diplotype = 'CYP2C19 *1/*2`<img src=x onerror=alert(1)>`[x](javascript:alert(1))';
    const body = await call((r) => {
      const o: any = genotypeObservation('obs-1');
      o.valueCodeableConcept = { coding: [{ system: 'http://www.pharmvar.org', code: 'CYP2C19', display: diplotype }], text: diplotype };
      r.prefetch.pgx = { resourceType: 'Bundle', type: 'searchset', entry: [{ resource: o }] };
    });
    expectSafeCards(body);
    expect(body.cards.map((c) => c.detail).join('\n')).not.toMatch(/(^|[^\\`])<img/);
  });

  test("the ordered drug's name (an unrecognised drug goes into the summary)", async () => {
    await fc.assert(
      fc.asyncProperty(hostile, async (name) => {
        const body = await call((r) => {
          const order = draftOrder('mr-1');
          order.medicationCodeableConcept = { text: name, coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '99999999', display: name }] };
          r.context.draftOrders.entry = [{ resource: order }];
        });
        expectSafeCards(body);
      }),
      { numRuns: 150 },
    );
  });
});

describe('through the renderers: plan data and data gaps', () => {
  const ctx = { hook: 'order-sign', serviceId: 's', hookInstance: 'h', now: '2026-01-01T00:00:00Z', serviceBaseUrl: 'https://pbh.example.org' } as DecisionContext;

  test('data-gap card: key and reason', () => {
    fc.assert(
      fc.property(hostile, hostile, (key, reason) => {
        const { card } = buildDataGapCard([{ key, reason }], ctx);
        expectPlainText(card.summary);
        expectOnlyOurMarkup(card.detail!);
        expectOnlyOurMarkup(renderGaps([{ key, reason }]).join('\n'));
      }),
    );
  });

  test('benefit section: every string of the plan', () => {
    fc.assert(
      fc.property(fc.array(hostile, { minLength: 16, maxLength: 16 }), (t) => {
        const pa = {
          pathway: 'needs-documentation', criteriaSetId: t[0], reason: t[1],
          criteria: [{ result: 'unknown', description: t[2], evidence: t[3] }],
          attachments: [t[4]], timeframes: [{ label: t[5], value: t[6], source: t[7] }],
        };
        const benefit: any = {
          planName: t[8], planId: t[9], planVersion: t[10], drug: { display: t[11] },
          status: { covered: false, tier: t[12], priorAuthorization: true, stepTherapy: true, quantityLimit: true, quantityLimitDetail: t[13], ruleId: t[14] },
          stepTherapy: { status: 'required', protocolId: t[15], steps: [{ drugOrClass: t[1], outcome: 'not-tried', evidence: t[2] }] },
          priorAuth: pa,
          alternatives: [{ rank: 1, drug: { display: t[3] }, why: t[4], pgx: { verdict: 'appropriate' }, priorAuth: pa }],
          costShare: { standard: t[5], precisionException: { drug: t[6], costShare: t[7], reason: t[8] } },
        };
        expectOnlyOurMarkup(renderBenefit(benefit, undefined, { full: true }).join('\n'));
        expectOnlyOurMarkup(renderBenefit(undefined, { reason: t[0] } as any, { full: true }).join('\n'));
      }),
      { numRuns: 200 },
    );
  });
});
