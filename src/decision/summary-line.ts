/**
 * The one-line summary of an order card: the drug, then what pharmacogenomics says, then what the benefit
 * says ("Clopidogrel: CYP2C19 Poor Metabolizer — use an alternative (CPIC strong); prasugrel preferred").
 * Built from the same assessment as the detail; clampSummary keeps it under the CDS Hooks limit.
 */
import type { RankedAlternative } from '../benefit/types';
import { phenotypeCategory } from '../pgx/genomic-profile';
import type { GeneResult, PgxAssessment } from '../pgx/types';
import type { OrderAssessment } from './assess-order';
import { clampSummary } from './cards';
import { plainText } from './escape';
import { paPathwayWords } from './render-markdown';

export function orderSummaryLine(a: OrderAssessment, preferred: RankedAlternative | undefined): string {
  return clampSummary(
    [drugName(a), [pgxPhrase(a), benefitPhrase(a, preferred)].filter(Boolean).join('; ') || 'covered, see details'].join(': '),
  );
}

function drugName(a: OrderAssessment): string {
  // an unrecognised drug's name is the order's own text: plain text, bounded
  const n = a.drug.cpicDrug ?? plainText(a.drug.display, 60);
  return n ? n[0].toUpperCase() + n.slice(1) : 'Medication';
}

/**
 * The genes worth naming in a one-line summary: those whose (effective) phenotype is not normal —
 * they drive the recommendation — or the first gene when all are normal.
 */
function phenotypePhrase(pgx: PgxAssessment): string {
  const phrase = (g: GeneResult): string => {
    const eff = pgx.effectivePhenotypes.find((e) => e.gene === g.gene && e.cause && e.effectivePhenotype !== e.genotypePhenotype);
    return eff ? `${g.gene} ${g.phenotype}, acts as ${eff.effectivePhenotype} (${eff.cause!.drug})` : `${g.gene} ${g.phenotype}`;
  };
  const converted = new Set(pgx.effectivePhenotypes.filter((e) => e.cause && e.effectivePhenotype !== e.genotypePhenotype).map((e) => e.gene));
  const drivers = pgx.genes.filter((g) => converted.has(g.gene) || !/^(normal|negative)/.test(phenotypeCategory(g)));
  const named = drivers.length ? drivers : pgx.genes.slice(0, 1);
  return named.map(phrase).join(', ');
}

const actionWords: Record<string, string> = {
  standard: 'standard use',
  'adjust-dose': 'adjust dose',
  avoid: 'avoid',
  'use-alternative': 'use an alternative',
  'consider-alternative': 'consider an alternative',
  monitor: 'monitor',
  'no-recommendation': 'no CPIC recommendation',
};

/** "monitor" rows classified info are CPIC's standard dosing with the monitoring everyone gets */
const actionPhrase = (r: NonNullable<PgxAssessment['recommendation']>): string =>
  r.action === 'monitor' && r.indicator === 'info' ? 'standard dosing' : actionWords[r.action] ?? r.action;

const provisionalPhrase = (pgx: PgxAssessment): string =>
  pgx.provisional?.length ? `${[...new Set(pgx.provisional.map((p) => p.status))].join('/')} result — confirm before acting` : '';

function pgxPhrase(a: OrderAssessment): string {
  const phrase = pgxVerdictPhrase(a);
  const provisional = provisionalPhrase(a.pgx);
  return phrase && provisional ? `${phrase}; ${provisional}` : phrase;
}

function pgxVerdictPhrase(a: OrderAssessment): string {
  const { pgx } = a;
  switch (pgx.verdict) {
    case 'unrecognised':
      return 'unrecognised drug, not checked';
    case 'no-guidance':
      return '';
    case 'untested':
      if (a.gaps.length) return `${pgx.missingGenes.join('/')} results unavailable — do not assume normal`;
      return pgx.partial
        ? `${phenotypePhrase(pgx)} — ${pgx.partial.summary}; no ${pgx.missingGenes.join('/')} result — consider testing`
        : `no ${pgx.missingGenes.join('/')} result — consider PGx testing`;
    case 'indeterminate':
      return `${pgx.genes.find((g) => g.status === 'indeterminate')?.gene ?? 'genomic'} result indeterminate`;
    default: {
      const r = pgx.recommendation;
      const other = r ? undefined : pgx.otherGuidance?.[0];
      if (other) {
        const act = other.contraindicated ? 'contraindicated' : other.informational ? 'no change advised' : actionWords[other.action] ?? other.action;
        return `${phenotypePhrase(pgx)} — ${act} (${other.source})`;
      }
      const act = r ? actionPhrase(r) : 'see details';
      return `${phenotypePhrase(pgx)} — ${act}${r?.strength ? ` (CPIC ${r.strength.toLowerCase()})` : ''}`;
    }
  }
}

function benefitPhrase(a: OrderAssessment, preferred: RankedAlternative | undefined): string {
  const b = a.benefit;
  if (!b) return a.benefitUnavailable ? 'coverage not checked' : '';
  const parts: string[] = [];
  if (!b.status.covered) parts.push('not on formulary');
  if (b.stepTherapy?.status === 'exempt') parts.push('step therapy exempt');
  else if (b.stepTherapy?.status === 'required') parts.push('step therapy required');
  else if (b.stepTherapy?.status === 'satisfied') parts.push('step therapy satisfied by history');
  if (b.priorAuth && b.priorAuth.pathway !== 'not-required') parts.push(`PA ${paPathwayWords(b.priorAuth.pathway)}`);
  if (preferred) parts.push(`${preferred.drug.cpicDrug ?? plainText(preferred.drug.display, 60)} preferred`);
  return parts.join('; ');
}
