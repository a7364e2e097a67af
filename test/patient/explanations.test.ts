import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { CARD_KIND_DISPLAY } from '../../src/admin/labels';
import { buildApp } from '../../src/app';
import type { OncologyAssessment, OncologyVerdict } from '../../src/biomarker/types';
import { oncologyCardKind } from '../../src/decision/oncology-card';
import { testConfig } from '../support/config';
import type { DecisionSummary } from '../../src/decision/types';
import { explainForPatient } from '../../src/patient/explain';
import { linkSigner } from '../../src/patient/link';
import { DEFAULT_LANGUAGE, loadPatientMessages, missingKeys, MESSAGES_DIR, placeholderMismatches } from '../../src/patient/messages';
import { patientExplanations } from '../../src/patient/plugin';
import { fleschKincaid, syllables } from '../../src/patient/readability';
import { projectPath } from '../../src/paths';
import { MemoryStore } from '../support/memory-store';

jest.setTimeout(60_000);

const PUBLIC_BASE_URL = 'https://pbh.test';
const MAX_GRADE = 8;
/** genotype jargon a patient text must not use */
const JARGON = /\*\d|genotype|phenotype|allele|metaboli[sz]er|heterozygous|homozygous|diplotype|haplotype|variant/i;
const textOf = (e: { title: string; sections: Array<{ heading: string; text: string }> }) => e.sections.map((s) => s.text).join(' ');

describe('Flesch–Kincaid grade (the formula, checked by hand)', () => {
  test('syllables by the heuristic', () => {
    expect(['gene', 'medicine', 'table', 'your', 'insurance', 'the', 'CYP2C19'].map(syllables)).toEqual([1, 3, 2, 1, 3, 1, 1]);
  });
  test('"The cat sat on the mat. It was happy." → 9 words, 2 sentences, 10 syllables: 0.39·4.5 + 11.8·10/9 − 15.59 = −0.73', () => {
    const s = fleschKincaid('The cat sat on the mat. It was happy.');
    expect(s).toMatchObject({ words: 9, sentences: 2, syllables: 10 });
    expect(s.grade).toBeCloseTo(0.39 * 4.5 + (11.8 * 10) / 9 - 15.59, 10);
  });
  test('a dense clinical sentence scores far above 8th grade (the measure discriminates)', () => {
    const s = fleschKincaid('Pharmacogenomic assessment demonstrates diminished enzymatic bioactivation, necessitating alternative antiplatelet therapy.');
    expect(s.grade).toBeGreaterThan(16);
  });
});

describe('every English text, for every card kind, verdict and gene, reads at or below 8th grade', () => {
  const cat = loadPatientMessages();
  const en = cat.languages.get('en')!;
  const genes = Object.keys(en.genes).filter((g) => g !== '_default');
  /** tumour genes named by the oncology knowledge's indications (any gene: the tumour texts do not depend on it) */
  const tumourGenes = ['KRAS', 'EGFR', 'ERBB2', 'BRAF'];
  const cases: DecisionSummary[] = [
    ...Object.keys(en.verdicts).map((v) => ({ cardKind: 'pgx-recommendation', pgxVerdict: v })),
    ...Object.keys(en.kinds).map((k) => ({ cardKind: k })),
  ].flatMap((c) =>
    [...(c.cardKind.startsWith('oncology-') ? tumourGenes : genes), undefined].map((gene) => ({
      cardUuid: 'u',
      indicator: 'warning' as const,
      suggestionUuids: [],
      drug: 'clopidogrel',
      gene,
      ...c,
    })),
  );

  test.each(cases.map((c) => [`${c.cardKind}/${c.pgxVerdict ?? '-'}/${c.gene ?? 'no gene'}`, c] as const))('%s', (_name, d) => {
    const e = explainForPatient(d, en);
    const text = textOf(e);
    expect(fleschKincaid(text).grade).toBeLessThanOrEqual(MAX_GRADE);
    // each section on its own too, so a hard passage cannot hide behind easy ones (headings and the title are
    // a few words: a sentence formula says nothing about them)
    for (const s of e.sections) expect([s.id, fleschKincaid(s.text).grade <= MAX_GRADE]).toEqual([s.id, true]);
    expect(text).not.toMatch(JARGON);
    expect(text).not.toMatch(/\{\w+\}/); // every placeholder filled
    expect(e.sections.map((s) => s.id)).toEqual([...(d.gene ? ['genes'] : []), 'meaning', 'change', 'privacy', 'questions']);
  });

  test('every card kind the service issues has its own words (not the catch-all text)', () => {
    const verdicts: OncologyVerdict[] = ['confirmed', 'contrary', 'not-on-file', 'indeterminate', 'indication-not-listed', 'no-cancer-coded'];
    const issued = [...Object.keys(CARD_KIND_DISPLAY), ...verdicts.map((verdict) => oncologyCardKind({ verdict } as OncologyAssessment))];
    const own = (kind: string) => (kind === 'pgx-recommendation' ? Object.keys(en.verdicts).length > 0 : kind in en.kinds);
    expect(issued.filter((k) => !own(k))).toEqual([]);
  });

  test('a test of the cancer is not explained as inherited genes', () => {
    const d: DecisionSummary = { cardUuid: 'u', cardKind: 'oncology-biomarker-contrary', indicator: 'warning', suggestionUuids: [], drug: 'cetuximab', gene: 'KRAS' };
    const genesText = explainForPatient(d, en).sections.find((s) => s.id === 'genes')!.text;
    expect(genesText).toBe(`${en.tumourGenesIntro} KRAS is the name of a gene. The test looked for changes in this gene in the cancer.`);
    expect(genesText).not.toMatch(/parents/);
    const inherited = explainForPatient({ ...d, cardKind: 'pgx-recommendation', pgxVerdict: 'adjust', gene: 'CYP2D6' }, en).sections[0].text;
    expect(inherited).toMatch(/from your parents/);
  });

  test('the privacy statement: used only for care, never for premiums or eligibility', () => {
    expect(en.privacy).toMatch(/only for your care/);
    expect(en.privacy).toMatch(/never used to set what you pay for your insurance/);
    expect(en.privacy).toMatch(/never used to decide if you can get or keep insurance/);
  });

  test('every gene the knowledge knows has a plain description', () => {
    const index = JSON.parse(readFileSync(projectPath('terminology', 'genes', 'index.json'), 'utf8')) as { genes: string[] };
    expect(index.genes.filter((g) => !en.genes[g])).toEqual([]);
  });
});

describe('languages are files, not code', () => {
  test('a new language file is picked up; texts it lacks fall back to English and are listed for the translator', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pbh-msg-'));
    writeFileSync(path.join(dir, 'en.json'), readFileSync(path.join(MESSAGES_DIR, 'en.json')));
    writeFileSync(path.join(dir, 'es.json'), JSON.stringify({ language: 'es', name: 'Español', title: 'Sobre su medicamento: {drug}' }));
    const cat = loadPatientMessages(dir);
    const es = cat.languages.get('es')!;
    const e = explainForPatient({ cardUuid: 'u', cardKind: 'pgx-recommendation', pgxVerdict: 'adjust', indicator: 'info', suggestionUuids: [], drug: 'warfarin' }, es);
    expect(e).toMatchObject({ language: 'es', title: 'Sobre su medicamento: warfarin' });
    expect(e.sections[0].text).toBe('Your gene test shows that your body does not handle warfarin the way most people do.');
    expect(missingKeys(cat.raw.get(DEFAULT_LANGUAGE)!, cat.raw.get('es')!)).toContain('privacy');
  });

  test('the shipped languages are complete', () => {
    const cat = loadPatientMessages();
    for (const [code, raw] of cat.raw) expect([code, missingKeys(cat.raw.get(DEFAULT_LANGUAGE)!, raw)]).toEqual([code, []]);
  });

  test('a translation keeps the placeholders: the shipped files do, and a translated {placeholder} is caught', () => {
    const cat = loadPatientMessages();
    const en = cat.raw.get(DEFAULT_LANGUAGE)!;
    for (const [code, raw] of cat.raw) expect([code, placeholderMismatches(en, raw)]).toEqual([code, []]);
    const es = { title: 'Sobre su medicamento: {medicamento}', verdicts: { adjust: { meaning: 'Su cuerpo procesa este medicamento de otra forma.' } }, geneLine: '{gene} es un gen. {geneRole}.' };
    expect(placeholderMismatches(en, es)).toEqual(['title: {drug} ≠ {medicamento}', 'verdicts.adjust.meaning: {drug} ≠ {}']);
  });
});

describe('over HTTP: the card links to the explanation, rendered from the audit record', () => {
  let app: FastifyInstance;
  let store: MemoryStore;
  let base: string;

  beforeAll(async () => {
    store = new MemoryStore();
    app = await buildApp(testConfig({ publicBaseUrl: PUBLIC_BASE_URL }), { store });
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app?.close();
  });

  const local = (url: string) => url.replace(PUBLIC_BASE_URL, base);

  async function clopidogrelCard() {
    const request = JSON.parse(readFileSync(projectPath('examples', 'requests', 'ava-order-sign.json'), 'utf8'));
    request.hookInstance = '6b3f8e2a-0c1d-4e5f-9a8b-7c6d5e4f3a2b';
    const res = await fetch(`${base}/cds-services/pgx-benefit-order-sign`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { cards: Array<{ uuid: string; summary: string; links?: Array<{ label: string; url: string; type: string }> }> };
    const card = body.cards.find((c) => /clopidogrel/i.test(c.summary) && /CYP2C19/.test(c.summary))!;
    expect(card).toBeDefined();
    const link = card.links!.find((l) => l.label === 'Explanation for the patient (plain language)')!;
    return { card, link };
  }

  test('the link is absolute, opaque (no patient data) and renders a plain HTML page at or below 8th grade', async () => {
    const { card, link } = await clopidogrelCard();
    expect(link.type).toBe('absolute');
    expect(link.url).toMatch(new RegExp(`^${PUBLIC_BASE_URL}/patient-explanations/pgx-benefit-order-sign/${card.uuid}\\.[A-Za-z0-9_-]{22}$`));
    const opaque = link.url.slice(`${PUBLIC_BASE_URL}/patient-explanations/pgx-benefit-order-sign/`.length);
    expect(opaque).not.toMatch(/pbh-ava|CYP2C19|clopidogrel/i);

    const res = await fetch(local(link.url));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    const html = await res.text();
    expect(html).toMatch(/<html lang="en">/);
    expect(html).toMatch(/<h1>About your medicine: clopidogrel<\/h1>/);
    const text = html.replace(/<style>.*?<\/style>/s, '').replace(/<title>.*?<\/title>/s, '').replace(/<[^>]+>/g, ' ');
    expect(text).toMatch(/CYP2C19 is the name of a gene\. It helps your liver break down some medicines\./);
    expect(text).toMatch(/may not work well for you|could cause a serious side effect/);
    expect(text).toMatch(/never used to decide if you can get or keep insurance/);
    expect(text).not.toMatch(JARGON);
    expect(fleschKincaid(text).grade).toBeLessThanOrEqual(MAX_GRADE);
  });

  test('JSON for a patient portal; language by ?lang= or Accept-Language, English when there is no file', async () => {
    const { link } = await clopidogrelCard();
    const res = await fetch(`${local(link.url)}?lang=fr`, { headers: { accept: 'application/json', 'accept-language': 'de' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-language')).toBe('en');
    const e = (await res.json()) as { language: string; title: string; sections: Array<{ id: string; text: string }> };
    expect(e.language).toBe('en');
    expect(e.sections.map((s) => s.id)).toEqual(['genes', 'meaning', 'change', 'privacy', 'questions']);
    expect(fleschKincaid(textOf({ title: e.title, sections: e.sections.map((s) => ({ heading: '', text: s.text })) })).grade).toBeLessThanOrEqual(MAX_GRADE);
  });

  test('a forged, altered or foreign token is a 404 that says nothing about the card', async () => {
    const { card, link } = await clopidogrelCard();
    const sig = link.url.split('.').pop()!;
    const forged = [
      local(link.url).replace(/\.[^.]+$/, `.${'A'.repeat(22)}`),
      local(link.url).replace('pgx-benefit-order-sign', 'pgx-benefit-order-select'),
      `${base}/patient-explanations/pgx-benefit-order-sign/00000000-0000-5000-8000-000000000000.${sig}`,
    ];
    for (const url of forged) {
      const res = await fetch(url);
      expect(res.status).toBe(404);
      const body = await res.text();
      expect(body).not.toContain(card.uuid);
      expect(body).toContain('PBH_ERR_NOT_FOUND');
    }
  });

  test('a card about a test of the cancer is explained as such over HTTP: the tumour, not inherited genes', async () => {
    const s = new MemoryStore();
    const signer = linkSigner('a-test-pseudonym-key-0123456789');
    const d: DecisionSummary = { cardUuid: '21111111-2222-5333-8444-555555555555', cardKind: 'oncology-biomarker-missing', indicator: 'warning', drug: 'cetuximab', gene: 'KRAS', pair: 'KRAS:cetuximab', suggestionUuids: [] };
    s.enqueueAudit({ id: 'o', time: '2026-11-01T00:00:00Z', kind: 'hook', serviceId: 'pgx-benefit-order-sign', client: {}, resourcesUsed: [], decisions: [d], systemActions: [], knowledgeVersion: 'k', durationMs: 1, outcome: 'success', errors: [] });
    const small = Fastify();
    await small.register(patientExplanations, { store: s, signer });
    await small.listen({ port: 0, host: '127.0.0.1' });
    try {
      const url = signer.url(`http://127.0.0.1:${(small.server.address() as AddressInfo).port}`, 'pgx-benefit-order-sign', d.cardUuid);
      const res = await fetch(url, { headers: { accept: 'application/json' } });
      expect(res.status).toBe(200);
      const e = (await res.json()) as { sections: Array<{ id: string; text: string }> };
      const text = e.sections.map((x) => x.text).join(' ');
      expect(text).toMatch(/genes in the cancer cells/);
      expect(text).toMatch(/We do not have a test of your cancer for it yet/);
      expect(text).not.toMatch(/from your parents/);
      expect(text).toMatch(/never used to decide if you can get or keep insurance/);
      expect(text).not.toMatch(JARGON);
      for (const x of e.sections) expect([x.id, fleschKincaid(x.text).grade <= MAX_GRADE]).toEqual([x.id, true]);
    } finally {
      await small.close();
    }
  });

  test('another language is served once its file exists (a temporary catalogue with Spanish)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pbh-msg-'));
    writeFileSync(path.join(dir, 'en.json'), readFileSync(path.join(MESSAGES_DIR, 'en.json')));
    writeFileSync(path.join(dir, 'es.json'), JSON.stringify({ language: 'es', title: 'Sobre su medicamento: {drug}' }));
    const s = new MemoryStore();
    const signer = linkSigner('a-test-pseudonym-key-0123456789');
    const d: DecisionSummary = { cardUuid: '11111111-2222-5333-8444-555555555555', cardKind: 'pgx-recommendation', pgxVerdict: 'contraindicated', indicator: 'critical', drug: 'abacavir', gene: 'HLA-B', suggestionUuids: [] };
    s.enqueueAudit({ id: 'a', time: '2026-11-01T00:00:00Z', kind: 'hook', serviceId: 'pgx-benefit-order-sign', client: {}, resourcesUsed: [], decisions: [d], systemActions: [], knowledgeVersion: 'k', durationMs: 1, outcome: 'success', errors: [] });
    const small = Fastify();
    await small.register(patientExplanations, { store: s, signer, messages: loadPatientMessages(dir) });
    await small.listen({ port: 0, host: '127.0.0.1' });
    try {
      const url = signer.url(`http://127.0.0.1:${(small.server.address() as AddressInfo).port}`, 'pgx-benefit-order-sign', d.cardUuid);
      const res = await fetch(url, { headers: { accept: 'application/json', 'accept-language': 'es-MX, en;q=0.5' } });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { title: string }).title).toBe('Sobre su medicamento: abacavir');
    } finally {
      await small.close();
    }
  });
});
