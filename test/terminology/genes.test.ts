/**
 * terminology/genes/ reproduces CPIC exactly: every diplotype row of every CPIC source table gives the same
 * phenotype and lookup key through the product's own tables and code, and the generator is byte-stable.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadGeneKnowledge } from '../../src/loaders/genes';
import { parseDiplotype } from '../../src/pgx/star-allele';
import { interpretAlleles } from '../../src/pgx/phenotype';
import { buildGeneFiles, CPIC_VERSION, readNat2Source } from '../../scripts/terminology/build-genes';

const ROOT = path.resolve(__dirname, '../..');
const SOURCE = process.env.PBH_CPIC_SOURCE_DIR ?? path.resolve(ROOT, '../shared/data/cpic-gene-phenotypes');
const haveSource = fs.existsSync(SOURCE);
const kb = loadGeneKnowledge(path.join(ROOT, 'terminology'));

interface Row {
  diplotype: string;
  phenotype: string;
  lookupkey: string | Record<string, string>;
  activityScore: string | null;
}

const sourceFiles = haveSource
  ? fs.readdirSync(SOURCE).filter((f) => f.endsWith('.json') && f !== 'CYP2D6-activity.json').sort()
  : [];

describe('terminology/genes', () => {
  it('index lists every gene file with the CPIC version and a version-derived date', () => {
    const index = JSON.parse(fs.readFileSync(path.join(ROOT, 'terminology/genes/index.json'), 'utf8'));
    expect(index.version).toBe(CPIC_VERSION);
    expect(index.generated).toBe('2025-11-05');
    for (const g of index.genes) expect(fs.existsSync(path.join(ROOT, `terminology/genes/${g}.json`))).toBe(true);
    expect(kb.genes.size).toBe(index.genes.length);
  });

  it('HGNC ids match CPIC\'s gene table (cpic-data V2__initial_data.sql; DPYD there carries its Entrez id 1806, HGNC is 3012)', () => {
    const index = JSON.parse(fs.readFileSync(path.join(ROOT, 'terminology/genes/index.json'), 'utf8'));
    expect(index.hgnc).toEqual({
      ABCG2: 'HGNC:74', CACNA1S: 'HGNC:1397', CFTR: 'HGNC:1884', CYP2B6: 'HGNC:2615', CYP2C19: 'HGNC:2621', CYP2C9: 'HGNC:2623',
      CYP2D6: 'HGNC:2625', CYP3A4: 'HGNC:2637', CYP3A5: 'HGNC:2638', CYP4F2: 'HGNC:2645', DPYD: 'HGNC:3012',
      G6PD: 'HGNC:4057', 'HLA-A': 'HGNC:4931', 'HLA-B': 'HGNC:4932', IFNL3: 'HGNC:18365', 'MT-RNR1': 'HGNC:7470',
      NAT2: 'HGNC:7646', NUDT15: 'HGNC:23063', RYR1: 'HGNC:10483', SLCO1B1: 'HGNC:10959', TPMT: 'HGNC:12014', UGT1A1: 'HGNC:12530',
      VKORC1: 'HGNC:23663',
    });
  });

  (haveSource ? it : it.skip)('regenerates byte-identically (scripts/terminology/build-genes.ts)', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'genes-'));
    try {
      const files = buildGeneFiles(SOURCE);
      for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(tmp, name), content);
      const committed = fs.readdirSync(path.join(ROOT, 'terminology/genes')).sort();
      expect(Object.keys(files).sort()).toEqual(committed);
      for (const name of committed) {
        expect(fs.readFileSync(path.join(tmp, name), 'utf8')).toBe(fs.readFileSync(path.join(ROOT, 'terminology/genes', name), 'utf8'));
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  // NAT2's CPIC table lives in terminology/sources (not in the shared snapshot), so this runs everywhere
  describe('every CPIC diplotype row of NAT2 (PharmCAT 5431bf11 phenotype/NAT2.json, kept in terminology/sources/cpic-nat2.json)', () => {
    const src = readNat2Source();
    const gene = kb.genes.get('NAT2')!;

    it('is the same CPIC export as every other table, with all 1431 rows (53 alleles, each unordered pair once)', () => {
      expect(src.version).toBe(CPIC_VERSION);
      expect(Object.keys(src.haplotypes)).toHaveLength(53);
      expect(src.diplotypes).toHaveLength(1431);
      const count: Record<string, number> = {};
      for (const row of src.diplotypes) count[row.phenotype] = (count[row.phenotype] ?? 0) + 1;
      expect(count).toEqual({ 'Rapid Metabolizer': 3, 'Intermediate Metabolizer': 72, 'Poor Metabolizer': 666, Indeterminate: 690 });
    });

    it('every row, in both allele orders, gives CPIC\'s phenotype and lookup key through the product tables', () => {
      expect(gene).toMatchObject({ hgnc: 'HGNC:7646', method: 'function-pair' });
      const mismatches: string[] = [];
      for (const row of src.diplotypes) {
        const parsed = parseDiplotype(`NAT2${row.diplotype.split('/').join('/NAT2')}`, gene);
        if (!parsed.ok) {
          mismatches.push(`${row.diplotype}: ${parsed.reason}`);
          continue;
        }
        for (const tokens of [parsed.tokens, [...parsed.tokens].reverse()]) {
          const r = interpretAlleles(gene, tokens);
          const ok = row.phenotype === 'Indeterminate'
            ? r.status === 'indeterminate' && r.lookupKey === undefined
            : r.status === 'determinate' && r.phenotype === row.phenotype && r.lookupKey === row.phenotype;
          if (!ok) mismatches.push(`${tokens.join('/')}: expected ${row.phenotype}, got ${r.phenotype}/${r.lookupKey}`);
        }
      }
      expect(mismatches.slice(0, 10)).toEqual([]);
    });

    it('an allele CPIC added after this export (*70) is reported, not guessed', () => {
      const parsed = parseDiplotype('*4/*70', gene);
      const r = parsed.ok ? interpretAlleles(gene, parsed.tokens) : undefined;
      expect(parsed.ok ? r?.status : 'rejected').not.toBe('determinate');
    });
  });

  if (!haveSource) {
    it.skip(`full CPIC diplotype tables: source ${SOURCE} absent (set PBH_CPIC_SOURCE_DIR)`, () => undefined);
    return;
  }

  describe.each(sourceFiles)('every CPIC diplotype row of %s', (file) => {
    const src = JSON.parse(fs.readFileSync(path.join(SOURCE, file), 'utf8')) as { gene: string; diplotypes: Row[] };
    const gene = kb.genes.get(src.gene)!;

    it(`has the gene and all ${src.diplotypes.length} rows agree`, () => {
      expect(gene).toBeDefined();
      const mismatches: string[] = [];
      for (const row of src.diplotypes) {
        const expected = typeof row.lookupkey === 'string' ? row.lookupkey : Object.values(row.lookupkey)[0]!;
        const indeterminate = row.phenotype === 'Indeterminate' || expected === 'n/a';
        const single = gene.method === 'single-allele';
        const parsed = parseDiplotype(row.diplotype, gene, single ? 1 : 2);
        if (!parsed.ok) {
          mismatches.push(`${row.diplotype}: ${parsed.reason}`);
          continue;
        }
        // both orders: CPIC lists each unordered pair once
        const orders = parsed.tokens.length === 2 ? [parsed.tokens, [...parsed.tokens].reverse()] : [parsed.tokens];
        for (const tokens of orders) {
          const r = interpretAlleles(gene, tokens);
          const ok = indeterminate
            ? r.status === 'indeterminate' && r.lookupKey === undefined
            : r.status === 'determinate' && r.phenotype === row.phenotype && r.lookupKey === expected &&
              (row.activityScore === null || r.activityScore === row.activityScore);
          if (!ok) mismatches.push(`${tokens.join('/')}: expected ${row.phenotype}/${expected}, got ${r.phenotype}/${r.lookupKey} (${r.reason ?? ''})`);
        }
      }
      expect(mismatches.slice(0, 10)).toEqual([]);
    });
  });

  describe('CYP2D6 (activity values verified against CPIC; diplotype rows as CPIC publishes them)', () => {
    const gene = kb.genes.get('CYP2D6')!;
    // rows of CPIC's CYP2D6 diplotype table (PharmCAT phenotype/cpic/CYP2D6.json, CPIC 2024) incl. its 2024-07 fixes
    const cpicRows: [string, string, string][] = [
      ['*1/*1', 'Normal Metabolizer', '2.0'],
      ['*1/*1x2', 'Ultrarapid Metabolizer', '3.0'],
      ['*1/*1x≥3', 'Ultrarapid Metabolizer', '≥4.0'],
      ['*1/*2x≥3', 'Ultrarapid Metabolizer', '≥4.0'],
      ['*1/*3', 'Intermediate Metabolizer', '1.0'],
      ['*1/*4x≥3', 'Intermediate Metabolizer', '1.0'],
      ['*1/*9', 'Normal Metabolizer', '1.25'],
      ['*1/*9x2', 'Normal Metabolizer', '1.5'],
      ['*1/*10', 'Normal Metabolizer', '1.25'],
      ['*1/*10x2', 'Normal Metabolizer', '1.5'],
      ['*1/*14', 'Normal Metabolizer', '1.5'],
      ['*1/*17', 'Normal Metabolizer', '1.5'],
      ['*1/*17x2', 'Normal Metabolizer', '2.0'],
      ['*1/*27x2', 'Ultrarapid Metabolizer', '3.0'],
      ['*1x2/*27x2', 'Ultrarapid Metabolizer', '4.0'],
      ['*1x≥3/*27x2', 'Ultrarapid Metabolizer', '≥5.0'],
      ['*1x≥3/*41x3', 'Ultrarapid Metabolizer', '≥3.75'],
      ['*4/*4', 'Poor Metabolizer', '0.0'],
      ['*4/*10', 'Intermediate Metabolizer', '0.25'],
      ['*10/*10', 'Intermediate Metabolizer', '0.5'],
      ['*41/*41x3', 'Intermediate Metabolizer', '1.0'],
      ['*2/*41', 'Normal Metabolizer', '1.25'],
      ['*2x2/*41', 'Normal Metabolizer', '2.25'],
      ['*1x2/*17', 'Ultrarapid Metabolizer', '2.5'],
    ];
    it.each(cpicRows)('%s → %s (%s)', (diplotype, phenotype, key) => {
      const p = parseDiplotype(diplotype, gene);
      expect(p.ok).toBe(true);
      const r = interpretAlleles(gene, (p as { tokens: string[] }).tokens);
      expect([r.phenotype, r.lookupKey, r.activityScore]).toEqual([phenotype, key, key]);
    });

    it('Indeterminate for uncertain-function alleles (*22: n/a)', () => {
      const r = interpretAlleles(gene, ['*1', '*22']);
      expect(r.status).toBe('indeterminate');
      expect(r.reason).toMatch(/\*22/);
    });

    it('records the CYP2D6 verification in the table provenance', () => {
      expect(gene.provenance?.join(' ')).toMatch(/verified/);
    });

    it('every pair of CYP2D6 table alleles follows the CPIC cut-offs (0 PM; 0.25–1.0 IM; 1.25–2.25 NM; >2.25 UM)', () => {
      const names = Object.keys(gene.alleles);
      for (const a of names) {
        for (const b of names) {
          const r = interpretAlleles(gene, [a, b]);
          const va = gene.alleles[a]!.activityValue!;
          const vb = gene.alleles[b]!.activityValue!;
          if (va === 'n/a' || vb === 'n/a') {
            expect(r.status).toBe('indeterminate');
            continue;
          }
          const n = (v: string) => Number(v.replace('≥', ''));
          const total = n(va) + n(vb);
          const expected =
            total === 0 ? 'Poor Metabolizer' : total <= 1 ? 'Intermediate Metabolizer' : total <= 2.25 ? 'Normal Metabolizer' : 'Ultrarapid Metabolizer';
          expect(`${a}/${b} ${r.phenotype}`).toBe(`${a}/${b} ${expected}`);
        }
      }
    });
  });
});
