/**
 * A short explanation of one card for the patient, from the decision recorded in the audit trail and the
 * language's texts. Pure: no I/O, no clock. It says what the result means, what changes, what a gene is
 * (never a genotype, star allele or phenotype term), and how genetic information is and is not used.
 */
import type { DecisionSummary } from '../decision/types';
import type { PatientMessages, VerdictText } from './messages';

export interface PatientExplanation {
  language: string;
  title: string;
  sections: Array<{ id: 'genes' | 'meaning' | 'change' | 'privacy' | 'questions'; heading: string; text: string }>;
}

/**
 * Cards about a test of the cancer (src/decision/oncology-card.ts kinds, all "oncology-…"): the genes are the
 * tumour's, mostly not inherited, so the inherited-gene words ("you get them from your parents") would be wrong.
 */
const isTumourTest = (d: DecisionSummary) => d.cardKind.startsWith('oncology-');

const fill = (template: string, vars: Record<string, string>) => template.replace(/\{(\w+)\}/g, (m, k: string) => vars[k] ?? m);

function textFor(d: DecisionSummary, m: PatientMessages): VerdictText {
  if (d.cardKind === 'pgx-recommendation' && d.pgxVerdict && m.verdicts[d.pgxVerdict]) return m.verdicts[d.pgxVerdict];
  return m.kinds[d.cardKind] ?? m.kinds._default;
}

export function explainForPatient(d: DecisionSummary, m: PatientMessages): PatientExplanation {
  const vars = { drug: d.drug ?? m.unnamedDrug, gene: d.gene ?? '', geneRole: '' };
  const t = textFor(d, m);
  const sections: PatientExplanation['sections'] = [];
  if (d.gene && isTumourTest(d)) {
    sections.push({ id: 'genes', heading: m.headings.genes, text: `${m.tumourGenesIntro} ${fill(m.tumourGeneLine, vars)}` });
  } else if (d.gene) {
    vars.geneRole = m.genes[d.gene] ?? m.genes._default;
    sections.push({ id: 'genes', heading: m.headings.genes, text: `${m.genesIntro} ${fill(m.geneLine, vars)}` });
  }
  sections.push(
    { id: 'meaning', heading: m.headings.meaning, text: fill(t.meaning, vars) },
    { id: 'change', heading: m.headings.change, text: fill(t.change, vars) },
    { id: 'privacy', heading: m.headings.privacy, text: m.privacy },
    { id: 'questions', heading: m.headings.questions, text: m.questions },
  );
  return { language: m.language, title: fill(m.title, vars), sections };
}
